package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.BackupSources;
import dev.kiban.backup.DatabaseContainers;
import dev.kiban.backup.RepositoryDisk;
import dev.kiban.backup.Snapshot;
import dev.kiban.backup.SwarmRaft;
import dev.kiban.engine.Engine;
import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import dev.kiban.failure.UsageException;
import dev.kiban.os.BackupLog;
import dev.kiban.os.Failures;
import dev.kiban.spec.ByteSize;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Write one snapshot of the volumes, images, compose tree and Swarm state.", description = {
            "volumes: every directory of the spec's volume tree and every local named volume of the engine. images: "
                    + "one docker save per image, by its tags (or id), so restore --images loads them back. compose: "
                    + "the compose tree with its .env files. swarm: configs with their data, secrets by name and users "
                    + "(their data cannot be read back), nodes, networks.",
            "Files are split into content-defined chunks, stored once across snapshots in pack files, zstd-compressed, "
                    + "addressed by SHA-256 (and AES-256-GCM encrypted with backup.encryptionKey); files unchanged "
                    + "since the last snapshot are not read again.",
            "Consistency: running containers labelled kiban.backup.stop=true are stopped (their service scaled to 0) "
                    + "while their volumes are copied and started again after, even on failure; kiban.backup.pre / "
                    + "kiban.backup.post run inside them around it (R5.5).",
            "One writer at a time (a kernel lock, released when its process dies: a second run is refused). A "
                    + "failed or killed run leaves the earlier snapshots intact and its own data removed (a killed "
                    + "run's packs by the next prune). Each run appends a line to the backup log, FAILED also when "
                    + "the repository cannot be opened. Only a run creates a repository, and only its last "
                    + "directory: a missing parent (a backup disk not mounted) fails the run.",
            "Progress is shown on stderr when a terminal is attached (not with --json); the summary is the report, "
                    + "on stdout.",
            "",
            "--swarm-state backs up this manager's Swarm state (its Raft log, certificates and keys: "
                    + "<engine.dataRoot>/swarm) by Docker's procedure, alone in its snapshot (listed as swarm-state): "
                    + "refused unless this node is an active manager whose swarm keeps its quorum without it; on a "
                    + "single manager it asks first (or --yes), since the control plane and this node's containers "
                    + "stop with the engine (live-restore is off under Swarm, D1). The engine is stopped (systemctl "
                    + "stop docker.socket docker.service), the directory copied without following a link, and the "
                    + "engine always started again; the run waits until the node is active again and says how long "
                    + "the engine was down. Only a failed run writes to the backup log (a good one would stand for the "
                    + "platform's data there). Restore it with kiban backup restore SNAP --swarm-state.",
            "",
            "The repository's disk: the run refuses (exit 1, nothing written; a plain run's FAILED line in "
                    + "the backup log) unless the repository is on a filesystem of its own mounted at or above "
                    + "it, not the root filesystem nor a bind mount of its device (an unmounted backup disk would "
                    + "fill /), and, when the spec names the disk (backup.repositoryDisk: {uuid: …} or {label: …}), "
                    + "unless that filesystem is that disk's (/dev/disk/by-uuid, by-label). --allow-root-filesystem "
                    + "allows a deliberate repository on the root filesystem (a named disk is still checked).",
            "Databases: when volumes are backed up, a running container that looks like a database (its image: "
                    + "postgres, mysql, mariadb, mongo, redis, elasticsearch, …; or a database's files in its volumes: "
                    + "PG_VERSION, ibdata1, WiredTiger, dump.rdb, …) with neither kiban.backup.stop nor "
                    + "kiban.backup.pre, nor named with --stop, is named in a warning (on stderr with --json) with the "
                    + "label to add (kiban.backup.stop=false says a live copy is meant); the run goes on.",
            "",
            "The repository is never backed up into itself: when it (or its key file) lies inside a source, it is "
                    + "left out of that source with a note; a source inside the repository is refused. A source "
                    + "whose own path is a symbolic link (a mountpoint path, say) is read at the link's target; "
                    + "links inside a source are stored as links.",
            ""})
final class BackupRunCommand extends EngineBoundCommand {
    @Mixin
    RepositoryOptions repositoryOptions;

    @Option(names = "--source", paramLabel = "volumes|images|compose|swarm", split = ",",
            converter = ChoiceConverter.BackupSourceChoice.class,
            description = "What to back up. Default: the spec's backup.sources.")
    List<PlatformSpec.BackupSource> what;

    @Option(names = "--path", paramLabel = "DIR", description = "Also back up this directory (repeatable).")
    List<Path> paths = List.of();

    @Option(names = "--stop", paramLabel = "CONTAINER", split = ",",
            description = "Also stop these containers while their volumes are copied.")
    List<String> stop = List.of();

    @Option(names = "--log", paramLabel = "FILE",
            description = "Backup log to append to. Default: the spec's backup.log.")
    Path log;

    @Option(names = "--swarm-state", description = "Back up this manager's Swarm state (Raft): the engine is "
            + "stopped while <engine.dataRoot>/swarm is copied, then started again.")
    boolean swarmState;

    @Option(names = {"-y", "--yes"}, description = "With --swarm-state on a single-manager swarm: stop the engine "
            + "without asking.")
    boolean yes;

    @Option(names = "--root", paramLabel = "DIR",
            description = "With --swarm-state: the root the engine's data root lies under (default /).")
    Path root = Path.of("/");

    @Option(names = RepositoryDisk.OVERRIDE, description = "Write to a repository that is not on a filesystem of "
            + "its own (a deliberate local repository on /); without it such a run is refused.")
    boolean allowRootFilesystem;

    @Mixin
    OutputOptions output;

    /** Whether this run's FAILED line is written (or was tried): a run logs one line, never two. */
    private boolean failureLogged;

    /** The notes printed so far, for the JSON report. */
    private final List<String> noted = new ArrayList<>();

    BackupRunCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        PlatformSpec platform;
        try {
            platform = SpecLoading.spec(spec).require();
        } catch (RuntimeException e) {
            // without a spec only --log says where
            if (log != null) failed(log, "the spec cannot be used: " + e.getMessage());
            throw e;
        }
        PrintWriter out = output.text(spec);
        Path logFile = log != null ? log : Path.of(platform.backup().log().value());
        if (swarmState) return swarmState(platform, out, logFile);
        Engine engine = null;
        try {
            engine = connectIfAvailable(why -> note(out, "no engine answers; backing up files only (" + why
                    + ")"));
            return run(platform, out, engine, logFile);
        } catch (IOException | RuntimeException e) {
            // every failed run leaves its FAILED line, also one that never opened the repository: the monitor alerts on
            // it at once; one line per run, so not again when run() wrote it before refusing
            if (!failureLogged) failed(logFile, repositoryOptions.path(platform) + ": " + Failures.describe(e));
            throw e;
        } finally {
            if (engine != null) engine.close();
        }
    }

    /**
     * Appends the FAILED line; a log that cannot be written is said on stderr and does not hide the run's own error.
     */
    private void failed(Path logFile, String what) {
        failureLogged = true;
        try {
            new BackupLog(logFile).failed(what);
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("kiban: the backup log " + logFile + " cannot be written ("
                    + Failures.describe(e) + ")");
        }
    }

    private int run(PlatformSpec platform, PrintWriter out, Engine engine, Path logFile) throws IOException {
        requireDisk(platform);
        BackupSources.Selection selection = BackupSources.select(platform, what, paths, engine);
        List<String> notes = selection.notes();
        notes.forEach(n -> note(out, n));
        if (selection.empty()) {
            String why = "nothing to back up (no volumes, no compose tree, no engine, no --path)";
            failed(logFile, repositoryOptions.path(platform) + ": " + why);
            throw new RefusedException(why);
        }
        boolean volumes = (what != null ? what : platform.backup().sources())
                .contains(PlatformSpec.BackupSource.VOLUMES);
        if (volumes && engine != null && engine.address().isLocal()) warnDatabases(platform, engine);
        BackupRepository.Quiesce quiesce = BackupSources.quiesce(engine, Set.copyOf(stop));
        Snapshot snap;
        try (BackupRepository repo = repositoryOptions.openOrCreate(platform)) {
            PrintWriter progress = output.progress(context, spec);
            progress.println("backing up " + selection.size() + " sources to " + repo.dir() + " ...");
            progress.flush();
            try {
                snap = repo.backup(selection.files(), selection.streams(), quiesce, notes);
            } catch (IOException e) {
                // a failed run has no report: its notes (a container not started again) go with its error
                quiesce.notes().forEach(n -> output.notices(spec).println("note: " + n));
                failed(logFile, repo.dir() + ": " + Failures.describe(e));
                throw new RefusedException("backup failed: " + Failures.describe(e));
            } catch (RuntimeException e) {
                // not a failed backup but a fault: logged as FAILED all the same, then the internal-error path
                quiesce.notes().forEach(n -> output.notices(spec).println("note: " + n));
                failed(logFile, repo.dir() + ": " + Failures.describe(e));
                throw e;
            }
        }
        quiesce.notes().forEach(n -> note(out, n));
        // what the run left out (the repository or its key inside a source)
        snap.notes().stream().filter(n -> !notes.contains(n) && !quiesce.notes().contains(n))
                .forEach(n -> note(out, n));
        var s = snap.stats();
        String summary = String.format(java.util.Locale.ROOT,
                "snapshot %s: %d sources, %d files (%d unchanged), %s read, %d new chunks, %s added, in %.1f s",
                snap.id(), snap.trees().size(), s.files(), s.filesUnchanged(), ByteSize.ofBytes(s.bytesRead()),
                s.chunksNew(), ByteSize.ofBytes(s.bytesAdded()), s.millis() / 1000.0);
        out.println(summary);
        new BackupLog(logFile).ok(summary);
        if (output.json) {
            OutputOptions.print(spec, new Report(snap.id(), repositoryOptions.path(platform).toString(),
                    snap.trees().stream().map(Snapshot.Tree::source).toList(), s, noted));
        }
        return ExitCode.OK;
    }

    /**
     * backup run --swarm-state: the checks (an active manager, the quorum, the operator's yes on a single manager)
     * before the engine is stopped, then {@link SwarmRaft#backup}. Only a run that fails once under way (the
     * repository, the engine's stop, the copy, the start) writes a line to the backup log (FAILED: the monitor alerts
     * on it). A good one writes none: the log's last good line says the platform's data is backed up, which a
     * Raft-only snapshot does not; the checks' refusal, or a no, is said to the operator at the terminal.
     */
    private int swarmState(PlatformSpec platform, PrintWriter out, Path logFile) throws IOException {
        if (what != null || !paths.isEmpty() || !stop.isEmpty()) {
            throw new UsageException("--swarm-state is a run of its own: leave out --source, --path and --stop");
        }
        Path repoPath = repositoryOptions.path(platform);
        requireDisk(platform);
        try (Engine engine = connect()) {
            SwarmRaft.Quorum quorum = SwarmRaft.quorum(engine.swarm(), managerNodes(engine));
            if (quorum.refusal().isPresent()) {
                throw new RefusedException("not backing up the Swarm state: " + quorum.refusal().get()
                        + "; nothing was stopped");
            }
            Path dir = SwarmRaft.directory(root, platform.engine().dataRoot().value());
            if (quorum.single() && !yes) {
                PrintWriter shown = output.notices(spec);
                SwarmRaft.singleManagerWarning(dir).forEach(shown::println);
                if (!Prompt.confirm(context, shown, "Stop the engine and back up the Swarm state?")) {
                    throw new DeclinedException("not backed up; nothing was stopped (confirm with y, or pass --yes)");
                }
            } else if (!quorum.single()) {
                note(out, quorum.managers() + " managers, " + quorum.reachable() + " reachable: the swarm keeps its "
                        + "quorum while this one is stopped");
            }
            SwarmRaft.Backed backed;
            try (BackupRepository repo = repositoryOptions.openOrCreate(platform)) {
                PrintWriter progress = output.progress(context, spec);
                progress.println("stopping the engine to copy " + dir + " to " + repo.dir() + " ...");
                progress.flush();
                backed = SwarmRaft.backup(repo, engine, context.programs(), dir, List.of(), SwarmRaft.WAIT);
            } catch (IOException e) {
                failed(logFile, repoPath + ": " + Failures.describe(e));
                throw new RefusedException("backup failed: " + Failures.describe(e));
            } catch (RuntimeException e) {
                failed(logFile, repoPath + ": " + Failures.describe(e));
                throw e;
            }
            Snapshot snap = backed.snapshot();
            var s = snap.stats();
            String summary = String.format(java.util.Locale.ROOT,
                    "snapshot %s: swarm-state of %s, %d files (%d unchanged), %s read, %s added; the engine was down "
                            + "%s", snap.id(), dir, s.files(), s.filesUnchanged(), ByteSize.ofBytes(s.bytesRead()),
                    ByteSize.ofBytes(s.bytesAdded()), SwarmRaft.seconds(backed.down()));
            out.println(summary);
            if (output.json) {
                OutputOptions.print(spec, new SwarmStateReport(snap.id(), repoPath.toString(), dir.toString(), s,
                        backed.down().toMillis(), noted));
            }
            return ExitCode.OK;
        }
    }

    /** Refuses a repository not on a disk of its own, or not on the spec's named disk (issue 16, item 3). */
    private void requireDisk(PlatformSpec platform) throws IOException {
        Path repo = repositoryOptions.path(platform);
        Optional<String> refusal = RepositoryDisk.check(Path.of("/"), repo, platform.backup().repositoryDisk(),
                allowRootFilesystem);
        if (refusal.isPresent()) {
            throw new RefusedException("not backing up to " + repo + ": " + refusal.get() + "; nothing was written. "
                    + "Mount the backup disk" + (platform.backup().repositoryDisk().isPresent() ? "" : ", or pass "
                    + RepositoryDisk.OVERRIDE + " for a deliberate repository on the root filesystem"));
        }
    }

    /** A warning per running database with no backup label (issue 16, item 2); those named with --stop are not. */
    private void warnDatabases(PlatformSpec platform, Engine engine) {
        List<String> trees = List.of(platform.storage().volumes().value(),
                platform.engine().dataRoot().resolve("volumes").value());
        PrintWriter err = output.notices(spec);
        List<DatabaseContainers.Finding> found;
        try {
            found = DatabaseContainers.unquiesced(engine.containers(), Path.of("/"), trees);
        } catch (RuntimeException e) {
            // a warning's question does not fail the backup: the copy asks the engine again and says why it cannot
            String why = "could not look for unlabelled databases: " + Failures.describe(e);
            err.println("note: " + why);
            noted.add(why);
            err.flush();
            return;
        }
        for (DatabaseContainers.Finding f : found) {
            if (stop.contains(f.container())) continue;
            err.println("warning: " + f.warning());
            noted.add("warning: " + f.warning());
        }
        err.flush();
    }

    /** The nodes, asked of a manager only (a worker's answer is an error, and its refusal comes from the state). */
    private static List<dev.kiban.engine.NodeSummary> managerNodes(Engine engine) {
        return engine.swarm().manager() && engine.swarm().active() ? engine.nodes() : List.of();
    }

    /** backup run --swarm-state --json: the snapshot, the directory copied, its statistics, the engine's down time. */
    record SwarmStateReport(String snapshot, String repository, String directory, Snapshot.Stats stats,
            long engineDownMillis, List<String> notes) {}

    private void note(PrintWriter out, String note) {
        out.println("note: " + note);
        noted.add(note);
    }

    /** backup run --json: the snapshot written, its sources, its statistics (bytes, milliseconds) and the notes. */
    record Report(String snapshot, String repository, List<String> sources, Snapshot.Stats stats, List<String> notes) {}
}
