package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.FileRestorePlan;
import dev.kiban.backup.RestoreRun;
import dev.kiban.backup.Snapshot;
import dev.kiban.backup.SwarmRaft;
import dev.kiban.backup.SwarmState;
import dev.kiban.engine.SwarmInit;
import dev.kiban.os.ThisHost;
import dev.kiban.swarm.SwarmSetup;
import dev.kiban.engine.Engine;
import dev.kiban.failure.DeclinedException;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.ByteSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true,
        header = "Restore a snapshot byte for byte, checking every chunk's hash as it is written.", description = {
            "Files: with --target DIR each source goes to DIR/<source name>; without it a volume goes back to "
                    + "the spec's volume tree or to the engine's local volume of that name, the compose tree to the "
                    + "spec's, after a confirmation (or --yes); a --path source needs --target. A volume that a "
                    + "running container uses is refused unless --stop, which stops those containers (their services "
                    + "scaled to 0) and starts them again after.",
            "The snapshot's tree is checked whole, built in a new directory beside the destination and swapped "
                    + "in: the destination then holds exactly the snapshot's files, a failed restore leaves it as it "
                    + "was, and no link in it is followed. A destination that is, holds or lies inside the "
                    + "repository, or holds its key file, is refused (exit 2).",
            "--images loads the snapshot's images into the engine with their tags. --swarm creates the snapshot's "
                    + "Swarm configs that the engine lacks and lists the secrets to recreate by hand (their data was "
                    + "never readable).",
            "--swarm-state puts a manager's Swarm state (a snapshot of backup run --swarm-state) back by Docker's "
                    + "procedure, on a host of the same engine version that is in no swarm: it shows the plan and "
                    + "needs a yes (or --yes); stops the engine, moves <engine.dataRoot>/swarm aside (kept, named "
                    + "with the time), writes the snapshot's tree there with its owners and modes, starts the engine "
                    + "and runs swarm init --force-new-cluster with the spec's advertise and listen address and "
                    + "address pool. A failure before the init puts the old directory back and starts the engine "
                    + "again. Then it says what the operator does next: the other nodes join again.",
            "Progress is shown on stderr when a terminal is attached (not with --json); with --json the list of what "
                    + "would be replaced and the question go to stderr.",
            ""})
final class BackupRestoreCommand extends EngineBoundCommand {

    @Mixin
    RepositoryOptions repositoryOptions;

    @Parameters(index = "0", paramLabel = "SNAP", description = "A snapshot id (or its start, or 'latest').")
    String snapshot;

    @Option(names = "--source", paramLabel = "NAME",
            description = "Restore only this source (e.g. volume:db_data, compose).")
    String source;

    @Option(names = "--volume", paramLabel = "NAME",
            description = "Restore only this volume (same as --source volume:NAME).")
    String volume;

    @Option(names = "--compose", description = "Restore only the compose tree.")
    boolean compose;

    @Option(names = "--target", paramLabel = "DIR",
            description = "Restore the file sources under DIR instead of in place.")
    Path target;

    @Option(names = "--images", description = "Load the snapshot's images into the engine, with their tags.")
    boolean images;

    @Option(names = "--swarm", description = "Recreate the snapshot's Swarm configs; list the secrets to recreate.")
    boolean swarm;

    @Option(names = "--swarm-state", description = "Put the snapshot's Swarm state (Raft) back and make this node "
            + "the one manager of it (swarm init --force-new-cluster).")
    boolean swarmState;

    @Option(names = "--root", paramLabel = "DIR",
            description = "With --swarm-state: the root the engine's data root lies under (default /).")
    Path root = Path.of("/");

    @Option(names = "--stop", description = "Stop the containers using a volume while it is restored in place, and "
            + "start them after.")
    boolean stop;

    @Option(names = {"-y", "--yes"}, description = "Restore over existing files without asking.")
    boolean yes;

    @Mixin
    OutputOptions output;

    /** What was restored and noted so far, for the JSON report. */
    private final List<Restored> restored = new ArrayList<>();
    private final List<String> noted = new ArrayList<>();

    BackupRestoreCommand(KibanContext context) {
        super(context);
    }

    private PrintWriter out() {
        return output.text(spec);
    }

    private PrintWriter progress() {
        return output.progress(context, spec);
    }

    /** restore --json of file sources: each tree restored (bytes written) and the notes. */
    record FilesReport(String snapshot, List<Restored> restored, List<String> notes) {}

    record Restored(String source, String path, int entries, long bytes) {}

    /** restore --images --json: each image archive loaded, with its tags (empty: untagged). */
    record ImagesReport(String snapshot, List<Image> images) {}

    record Image(String source, String archive, String tags) {}

    /** restore --swarm --json: configs created and kept, secrets to recreate by hand (names only: D5). */
    record SwarmReport(String snapshot, List<String> configsCreated, List<String> configsKept,
                       List<SecretToRecreate> secretsToRecreate, int nodes, int networks) {}

    record SecretToRecreate(String name, List<String> usedBy) {}

    @Override
    public Integer call() throws IOException {
        try (BackupRepository repo = repositoryOptions.open(SpecLoading.spec(spec).require())) {
            Snapshot snap = repo.snapshot(snapshot);
            if (images) return images(repo, snap);
            if (swarm) return swarm(repo, snap);
            if (swarmState) return swarmState(repo, snap);
            return files(repo, snap);
        }
    }

    /** What a restore says: progress to a terminal, notes with the report or, on failure, with the error. */
    private RestoreRun.Report report() {
        return new RestoreRun.Report() {
            @Override
            public void progress(String line) {
                BackupRestoreCommand.this.progress().println(line);
                BackupRestoreCommand.this.progress().flush();
            }

            @Override
            public void note(String note) {
                BackupRestoreCommand.this.note(note);
            }

            @Override
            public void noteOfFailure(String note) {
                output.notices(spec).println("note: " + note);
            }
        };
    }

    private int images(BackupRepository repo, Snapshot snap) throws IOException {
        List<Image> loaded = new ArrayList<>();
        try (Engine engine = connect()) {
            new RestoreRun(repo, engine, report()).images(snap, i -> {
                out().println("loaded " + i.source() + " (" + i.archive() + (i.tags().isEmpty() ? ", untagged"
                        : ", " + i.tags()) + ")");
                loaded.add(new Image(i.source(), i.archive(), i.tags()));
            });
        }
        out().println("loaded " + loaded.size() + " image" + (loaded.size() == 1 ? "" : "s") + " from " + snap.id());
        if (output.json) OutputOptions.print(spec, new ImagesReport(snap.id(), loaded));
        return ExitCode.OK;
    }

    private int swarm(BackupRepository repo, Snapshot snap) throws IOException {
        SwarmState state = RestoreRun.swarmState(repo, snap);
        try (Engine engine = connect()) {
            SwarmState.RestorePlan plan = new RestoreRun(repo, engine, report()).swarm(state, c ->
                    out().println("created config " + c.name() + " (" + c.bytes().length + " bytes"
                            + (c.usedBy().isEmpty() ? "" : ", used by " + String.join(", ", c.usedBy())) + ")"));
            plan.existing().forEach(n -> out().println("kept config " + n
                    + " (the engine has it; configs cannot be changed in place)"));
            for (SwarmState.Secret s : plan.recreateByHand()) {
                out().println("recreate secret " + s.name() + " by hand: printf '%s' \"$VALUE\" | docker secret create "
                        + s.name() + " -"
                        + (s.usedBy().isEmpty() ? "" : "   (used by " + String.join(", ", s.usedBy()) + ")"));
            }
            out().printf("swarm: %d configs created, %d kept, %d secrets to recreate; the snapshot also records %d "
                    + "nodes and %d networks%n",
                    plan.create().size(), plan.existing().size(), plan.recreateByHand().size(), state.nodes().size(),
                    state.networks().size());
            if (output.json) {
                List<String> created = plan.create().stream().map(SwarmState.Config::name).toList();
                List<SecretToRecreate> secrets = plan.recreateByHand().stream()
                        .map(s -> new SecretToRecreate(s.name(), s.usedBy())).toList();
                OutputOptions.print(spec, new SwarmReport(snap.id(), created, plan.existing(), secrets,
                        state.nodes().size(), state.networks().size()));
            }
            return plan.recreateByHand().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
        }
    }

    /** restore --swarm-state --json: where the state went, what was kept aside, and what to do next. */
    record SwarmStateReport(String snapshot, String directory, String keptAside, int entries, long bytes,
            long engineDownMillis, List<String> next) {}

    private int swarmState(BackupRepository repo, Snapshot snap) throws IOException {
        PlatformSpec platform = ThisHost.system().resolveForSwarm(SpecLoading.spec(spec).require());
        SwarmInit init = SwarmSetup.init(platform.swarm(), true);
        try (Engine engine = connect()) {
            Path dir = SwarmRaft.directory(root, platform.engine().dataRoot().value());
            SwarmRaft.RestorePlan plan = SwarmRaft.plan(snap, engine, dir, init, java.time.Instant.now());
            PrintWriter shown = yes ? out() : output.notices(spec);
            shown.println("restoring the Swarm state of " + snap.id() + ":");
            plan.lines().forEach(shown::println);
            if (!yes && !Prompt.confirm(context, shown, "Stop the engine and restore the Swarm state?")) {
                throw new DeclinedException("not restored; nothing changed (confirm with y, or pass --yes)");
            }
            progress().println("restoring the Swarm state to " + dir + " ...");
            progress().flush();
            SwarmRaft.Restored r = SwarmRaft.restore(repo, plan, engine, context.programs(), SwarmRaft.WAIT);
            out().println("restored the Swarm state to " + dir + " (" + r.entries() + " entries, "
                    + ByteSize.ofBytes(r.bytes()) + ", every chunk checked; the engine was down "
                    + SwarmRaft.seconds(r.down()) + ") and initialised a new cluster of it (--force-new-cluster)");
            List<String> next = SwarmRaft.afterRestore(r, init.advertiseAddress());
            next.forEach(n -> out().println("next: " + n));
            if (output.json) {
                OutputOptions.print(spec, new SwarmStateReport(snap.id(), dir.toString(),
                        r.aside().map(Path::toString).orElse(""), r.entries(), r.bytes(), r.down().toMillis(), next));
            }
            return ExitCode.OK;
        }
    }

    private int files(BackupRepository repo, Snapshot snap) throws IOException {
        String only = volume != null ? "volume:" + volume : compose ? "compose" : source;
        List<Snapshot.Tree> trees = FileRestorePlan.trees(snap, only);
        PrintWriter out = out();
        Engine engine = target != null || !FileRestorePlan.hasVolumes(trees) ? null
                : connectIfAvailable(why -> note("no engine answers; not checking which containers use "
                        + "the volumes, and only the spec's volume tree is known"));
        try {
            PlatformSpec platform = target != null ? null : SpecLoading.spec(spec).require();
            FileRestorePlan plan = FileRestorePlan.of(repo, trees, target, platform, engine);
            if (plan.inPlace()) {
                PrintWriter shown = yes ? out : output.notices(spec); // a question keeps its context, also with --json
                shown.println("restoring in place:");
                plan.lines().forEach(shown::println);
                if (!yes && !Prompt.confirm(context, shown, "Replace the files there with the snapshot's?")) {
                    throw new DeclinedException("not restored; nothing changed (confirm with y, pass --yes, or restore "
                            + "elsewhere with --target DIR)");
                }
            }
            RestoreRun run = new RestoreRun(repo, engine, report());
            for (FileRestorePlan.Destination d : plan.destinations()) {
                RestoreRun.Restored r = run.tree(d, plan.inPlace(), yes, stop);
                out().println("restored " + FileRestorePlan.printable(r.source()) + " to " + r.path() + " ("
                        + r.entries() + " entries, " + ByteSize.ofBytes(r.bytes()) + ", every chunk checked)");
                restored.add(new Restored(r.source(), r.path().toString(), r.entries(), r.bytes()));
            }
        } finally {
            if (engine != null) engine.close();
        }
        if (output.json) OutputOptions.print(spec, new FilesReport(snap.id(), restored, noted));
        return ExitCode.OK;
    }

    private void note(String note) {
        out().println("note: " + note);
        noted.add(note);
    }
}
