package dev.kiban.backup;

import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Engine;
import dev.kiban.failure.UsageException;
import dev.kiban.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Carries out a restore: a file tree into its destination (stopping and starting the containers that use
 * it, when allowed), the snapshot's images into the engine, or its Swarm configs. What it says on the way
 * goes to a {@link Report}; what it did is returned.
 */
public final class RestoreRun {
    private final BackupRepository repo;
    private final Engine engine;
    private final Report report;

    /** What a restore says while it runs. */
    public interface Report {
        /** A progress line (the caller shows it only to a terminal). */
        void progress(String line);

        /** A note of a restore that went through (a container not started again, say). */
        void note(String note);

        /** A note of a restore that failed: it has no report, so the note goes with its error. */
        void noteOfFailure(String note);
    }

    /** {@code engine} may be null: no engine answers (a --target restore needs none). */
    public RestoreRun(BackupRepository repo, Engine engine, Report report) {
        this.repo = repo;
        this.engine = engine;
        this.report = report;
    }

    /** One tree restored: its source, where, how many entries and bytes. */
    public record Restored(String source, Path path, int entries, long bytes) {}

    /**
     * Restores one tree of the plan. Under --target ({@code inPlace} false) a destination that holds files is
     * replaced only with {@code yes}. A volume that running containers use is refused unless {@code stop},
     * which stops them around the restore and starts them again, even when it fails.
     */
    public Restored tree(FileRestorePlan.Destination d, boolean inPlace, boolean yes, boolean stop)
            throws IOException {
        Snapshot.Tree t = d.tree();
        Path into = d.path();
        if (!inPlace && !yes && Files.isDirectory(into, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(into)) {
                if (s.findAny().isPresent()) {
                    throw new UsageException(into + " already holds files; replace them with --yes");
                }
            }
        }
        BackupRepository.Source asSource = new BackupRepository.Source(t.source(), into);
        QuiescedContainers users = engine == null ? null : new QuiescedContainers(engine, Set.of(), false);
        List<ContainerSummary> running = users == null ? List.of() : users.writersOf(asSource);
        if (!running.isEmpty() && !stop) {
            throw new UsageException(FileRestorePlan.printable(t.source()) + " is in use by "
                    + String.join(", ", running.stream().map(ContainerSummary::name).toList())
                    + "; stop them first, or pass --stop to have kiban stop and restart them around the restore");
        }
        QuiescedContainers stopper = running.isEmpty() ? null
                : new QuiescedContainers(engine, new HashSet<>(running.stream().map(ContainerSummary::name).toList()),
                        false);
        long bytes;
        boolean done = false;
        if (stopper != null) stopper.before(asSource);
        report.progress("restoring " + FileRestorePlan.printable(t.source()) + " to " + into + " ...");
        try {
            bytes = repo.restore(t, into);
            done = true;
        } finally {
            if (stopper != null) {
                stopper.after(asSource);
                for (String n : stopper.notes()) {
                    if (done) report.note(n);
                    else report.noteOfFailure(n);
                }
            }
        }
        return new Restored(t.source(), into, t.entries().size(), bytes);
    }

    /** An image archive loaded, with its tags (empty: untagged). */
    public record LoadedImage(String source, String archive, String tags) {}

    /** Loads each image archive of the snapshot into the engine, with its tags; {@code loaded} hears of each. */
    public List<LoadedImage> images(Snapshot snap, java.util.function.Consumer<LoadedImage> loaded)
            throws IOException {
        List<Snapshot.Tree> saved = snap.trees().stream().filter(t -> t.source().startsWith(ImageSources.PREFIX))
                .toList();
        List<LoadedImage> out = new ArrayList<>();
        for (Snapshot.Tree t : saved) {
            report.progress("loading " + t.source() + " ...");
            try (InputStream archive = repo.read(t.entries().get(0))) {
                engine.loadImages(archive);
            }
            LoadedImage image = new LoadedImage(t.source(), t.entries().get(0).target(),
                    t.meta().getOrDefault("tags", ""));
            loaded.accept(image);
            out.add(image);
        }
        return out;
    }

    /** The Swarm state a snapshot recorded, and what restoring it did. */
    public record SwarmRestored(SwarmState state, SwarmState.RestorePlan plan) {}

    /** The Swarm state a snapshot recorded; read before an engine is asked for anything. */
    public static SwarmState swarmState(BackupRepository repo, Snapshot snap) throws IOException {
        Snapshot.Tree t = snap.tree(SwarmState.SOURCE)
                .orElseThrow(() -> new SpecException("snapshot " + snap.id() + " holds no Swarm state"));
        try (InputStream in = repo.read(t.entries().get(0))) {
            return SwarmState.parse(in);
        }
    }

    /**
     * Creates the Swarm configs of {@code state} the engine lacks ({@code created} hears of each); configs it
     * has are kept, and secrets are listed to recreate by hand (their data was never readable: D5).
     */
    public SwarmState.RestorePlan swarm(SwarmState state, java.util.function.Consumer<SwarmState.Config> created) {
        SwarmState.RestorePlan plan = state.plan(engine);
        for (SwarmState.Config c : plan.create()) {
            engine.createConfig(c.name(), c.labels(), c.bytes());
            created.accept(c);
        }
        return plan;
    }
}
