package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.ImageSources;
import dev.kiban.backup.Snapshot;
import dev.kiban.backup.VolumeSources;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.spec.ByteSize;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, header = "Write one snapshot of the volumes and the compose tree.",
        description = {
            "volumes: every directory of the spec's volume tree and every local named volume of the engine; compose: the compose "
                    + "tree with its .env files. Files are split into content-defined chunks, stored once across snapshots, zstd-compressed "
                    + "and addressed by SHA-256; files unchanged since the last snapshot are not read again.",
            "One run at a time (a lock; a killed run's lock is taken over). A run killed at any point leaves the earlier snapshots "
                    + "intact. Each run appends a line to the backup log.",
            ""})
final class BackupRunCommand extends EngineCommandBase {
    @Mixin
    RepositoryOptions repositoryOptions;

    @Option(names = "--source", paramLabel = "volumes|images|compose", split = ",", description = "What to back up (default: volumes,images,compose).")
    List<String> what = List.of("volumes", "images", "compose");

    @Option(names = "--path", paramLabel = "DIR", description = "Also back up this directory (repeatable).")
    List<Path> paths = List.of();

    @Option(names = "--log", paramLabel = "FILE", description = "Backup log to append to. Default: the spec's backup.log.")
    Path log;

    BackupRunCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        PlatformSpec platform = CommandSupport.spec(spec).require();
        PrintWriter out = spec.commandLine().getOut();
        List<BackupRepository.Source> sources = new ArrayList<>();
        List<BackupRepository.StreamSource> streams = new ArrayList<>();
        Engine engine = null;
        try {
            engine = connect();
        } catch (EngineUnavailableException e) {
            out.println("note: no engine answers; backing up files only (" + e.getMessage() + ")");
        }
        try {
            return run(platform, out, sources, streams, engine);
        } finally {
            if (engine != null) engine.close();
        }
    }

    private int run(PlatformSpec platform, PrintWriter out, List<BackupRepository.Source> sources, List<BackupRepository.StreamSource> streams,
                    Engine engine) throws IOException {
        boolean local = engine != null && engine.address().isLocal();
        for (String w : what) {
            switch (w) {
                case "volumes" -> sources.addAll(VolumeSources.of(Path.of(platform.storage().volumes().value()), local ? engine.volumes() : List.of()));
                case "images" -> {
                    if (engine != null) streams.addAll(ImageSources.of(engine));
                }
                case "compose" -> {
                    Path compose = Path.of(platform.storage().compose().value());
                    if (Files.isDirectory(compose)) sources.add(new BackupRepository.Source("compose", compose));
                    else out.println("note: no compose tree at " + compose);
                }
                default -> throw new dev.kiban.spec.SpecException("--source takes volumes, images or compose (swarm is not built yet), not " + w);
            }
        }
        for (Path p : paths) {
            if (!Files.isDirectory(p)) throw new dev.kiban.spec.SpecException("--path " + p + ": not a directory");
            sources.add(new BackupRepository.Source("path:" + p.toAbsolutePath().normalize(), p));
        }
        if (sources.isEmpty() && streams.isEmpty()) {
            spec.commandLine().getErr().println("kiban: nothing to back up (no volumes, no compose tree, no --path)");
            return ExitCode.FINDINGS;
        }
        BackupRepository repo = repositoryOptions.open(platform);
        Path logFile = log != null ? log : Path.of(platform.backup().log().value());
        Snapshot snap;
        try {
            snap = repo.backup(sources, streams);
        } catch (IOException e) {
            appendLog(logFile, "FAILED " + repo.dir() + ": " + e.getMessage());
            throw e;
        }
        var s = snap.stats();
        String summary = String.format(java.util.Locale.ROOT, "snapshot %s: %d sources, %d files (%d unchanged), %s read, %d new chunks, %s added, in %.1f s",
                snap.id(), snap.trees().size(), s.files(), s.filesUnchanged(), ByteSize.ofBytes(s.bytesRead()), s.chunksNew(),
                ByteSize.ofBytes(s.bytesAdded()), s.millis() / 1000.0);
        out.println(summary);
        appendLog(logFile, "OK " + summary);
        return ExitCode.OK;
    }

    private static void appendLog(Path file, String line) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, java.time.Instant.now() + " " + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
