package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.BackupSources;
import dev.kiban.backup.Snapshot;
import dev.kiban.engine.Engine;
import dev.kiban.failure.RefusedException;
import dev.kiban.os.BackupLog;
import dev.kiban.os.Failures;
import dev.kiban.spec.ByteSize;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        BackupSources.Selection selection = BackupSources.select(platform, what, paths, engine);
        List<String> notes = selection.notes();
        notes.forEach(n -> note(out, n));
        if (selection.empty()) {
            String why = "nothing to back up (no volumes, no compose tree, no engine, no --path)";
            failed(logFile, repositoryOptions.path(platform) + ": " + why);
            throw new RefusedException(why);
        }
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

    private void note(PrintWriter out, String note) {
        out.println("note: " + note);
        noted.add(note);
    }

    /** backup run --json: the snapshot written, its sources, its statistics (bytes, milliseconds) and the notes. */
    record Report(String snapshot, String repository, List<String> sources, Snapshot.Stats stats, List<String> notes) {}
}
