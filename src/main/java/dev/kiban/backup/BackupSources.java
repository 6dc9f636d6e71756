package dev.kiban.backup;

import dev.kiban.engine.Engine;
import dev.kiban.failure.UsageException;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one backup run reads (R5.1): the kinds of source the operator chose (or the spec's
 * backup.sources), plus each --path directory. Without an engine only files are backed up, and what was
 * left out for that is said in {@link Selection#notes}.
 */
public final class BackupSources {
    private BackupSources() {}

    /** The directories and streams to back up, and what was skipped and why. */
    public record Selection(List<BackupRepository.Source> files, List<BackupRepository.StreamSource> streams,
            List<String> notes) {
        public boolean empty() {
            return files.isEmpty() && streams.isEmpty();
        }

        public int size() {
            return files.size() + streams.size();
        }
    }

    /**
     * The sources of {@code which} (the spec's backup.sources when null) and of {@code paths}; {@code engine}
     * may be null (no engine answers). A volume's data is read only from a local engine. A --path that is not
     * a directory is a usage mistake.
     */
    public static Selection select(PlatformSpec platform, List<PlatformSpec.BackupSource> which, List<Path> paths,
            Engine engine) throws IOException {
        List<BackupRepository.Source> sources = new ArrayList<>();
        List<BackupRepository.StreamSource> streams = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean local = engine != null && engine.address().isLocal();
        for (PlatformSpec.BackupSource w : which != null ? which : platform.backup().sources()) {
            switch (w) {
                case VOLUMES -> sources.addAll(VolumeSources.of(Path.of(platform.storage().volumes().value()),
                        local ? engine.volumes() : List.of()));
                case IMAGES -> {
                    if (engine != null) streams.addAll(ImageSources.of(engine));
                    else notes.add("images: skipped, no engine");
                }
                case COMPOSE -> {
                    Path compose = Path.of(platform.storage().compose().value());
                    if (Files.isDirectory(compose)) sources.add(new BackupRepository.Source("compose", compose));
                    else notes.add("compose: no compose tree at " + compose);
                }
                case SWARM -> {
                    Optional<SwarmState> swarm = engine == null ? Optional.empty() : SwarmState.read(engine);
                    if (swarm.isPresent()) {
                        streams.add(swarm.get().source());
                        swarm.get().secretsNote().ifPresent(notes::add);
                    } else {
                        notes.add("swarm: skipped, " + (engine == null ? "no engine"
                                : "this engine is not a Swarm manager"));
                    }
                }
            }
        }
        for (Path p : paths) {
            if (!Files.isDirectory(p)) throw new UsageException("--path " + p + ": not a directory");
            sources.add(new BackupRepository.Source("path:" + p.toAbsolutePath().normalize(), p));
        }
        return new Selection(sources, streams, notes);
    }

    /**
     * Around each directory's copy: the local engine's containers labelled to stop (and {@code stop}) are
     * stopped; a remote engine's containers write elsewhere, so nothing is stopped.
     */
    public static BackupRepository.Quiesce quiesce(Engine engine, Set<String> stop) {
        boolean local = engine != null && engine.address().isLocal();
        return local ? new QuiescedContainers(engine, Set.copyOf(stop)) : BackupRepository.Quiesce.NONE;
    }
}
