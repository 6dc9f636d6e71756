package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.ImageSources;
import dev.kiban.backup.QuiescedContainers;
import dev.kiban.backup.Snapshot;
import dev.kiban.backup.SwarmState;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Engine;
import dev.kiban.spec.ByteSize;
import dev.kiban.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true, header = "Restore a snapshot byte for byte, checking every chunk's hash as it is written.",
        description = {
            "Files: with --target DIR each source goes to DIR/<source name>; without it a volume or the compose tree goes back where it was "
                    + "read from, after a confirmation (or --yes). A volume that a running container uses is refused unless --stop, which stops "
                    + "those containers (their services scaled to 0) and starts them again after.",
            "--images loads the snapshot's images into the engine with their tags. --swarm creates the snapshot's Swarm configs that the "
                    + "engine lacks and lists the secrets to recreate by hand (their data was never readable: D5).",
            ""})
final class BackupRestoreCommand extends EngineCommandBase {

    @Mixin
    RepositoryOptions repositoryOptions;

    @Parameters(index = "0", paramLabel = "SNAP", description = "A snapshot id (or its start, or 'latest').")
    String snapshot;

    @Option(names = "--source", paramLabel = "NAME", description = "Restore only this source (e.g. volume:db_data, compose).")
    String source;

    @Option(names = "--volume", paramLabel = "NAME", description = "Restore only this volume (same as --source volume:NAME).")
    String volume;

    @Option(names = "--compose", description = "Restore only the compose tree.")
    boolean compose;

    @Option(names = "--target", paramLabel = "DIR", description = "Restore the file sources under DIR instead of in place.")
    Path target;

    @Option(names = "--images", description = "Load the snapshot's images into the engine, with their tags.")
    boolean images;

    @Option(names = "--swarm", description = "Recreate the snapshot's Swarm configs; list the secrets to recreate.")
    boolean swarm;

    @Option(names = "--stop", description = "Stop the containers using a volume while it is restored in place, and start them after.")
    boolean stop;

    @Option(names = {"-y", "--yes"}, description = "Restore over existing files without asking.")
    boolean yes;

    BackupRestoreCommand(KibanContext context) {
        super(context);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() throws IOException {
        try (BackupRepository repo = repositoryOptions.open(CommandSupport.spec(spec).require())) {
            Snapshot snap = repo.snapshot(snapshot);
            if (images) return images(repo, snap);
            if (swarm) return swarm(repo, snap);
            return files(repo, snap);
        }
    }

    private int images(BackupRepository repo, Snapshot snap) throws IOException {
        List<Snapshot.Tree> saved = snap.trees().stream().filter(t -> t.source().startsWith(ImageSources.PREFIX)).toList();
        try (Engine engine = connect()) {
            for (Snapshot.Tree t : saved) {
                try (InputStream archive = repo.read(t.entries().get(0))) {
                    engine.loadImages(archive);
                }
                String tags = t.meta().getOrDefault("tags", "");
                out().println("loaded " + t.source() + " (" + t.entries().get(0).target() + (tags.isEmpty() ? ", untagged" : ", " + tags) + ")");
            }
        }
        out().println("loaded " + saved.size() + " image" + (saved.size() == 1 ? "" : "s") + " from " + snap.id());
        return ExitCode.OK;
    }

    private int swarm(BackupRepository repo, Snapshot snap) throws IOException {
        Snapshot.Tree t = snap.tree(SwarmState.SOURCE).orElseThrow(() -> new SpecException("snapshot " + snap.id() + " holds no Swarm state"));
        SwarmState state;
        try (InputStream in = repo.read(t.entries().get(0))) {
            state = SwarmState.parse(in);
        }
        try (Engine engine = connect()) {
            SwarmState.RestorePlan plan = state.plan(engine);
            for (SwarmState.Config c : plan.create()) {
                engine.createConfig(c.name(), c.labels(), c.bytes());
                out().println("created config " + c.name() + " (" + c.bytes().length + " bytes" + (c.usedBy().isEmpty() ? "" : ", used by " + String.join(", ", c.usedBy())) + ")");
            }
            plan.existing().forEach(n -> out().println("kept config " + n + " (the engine has it; configs cannot be changed in place)"));
            for (SwarmState.Secret s : plan.recreateByHand()) {
                out().println("recreate secret " + s.name() + " by hand: printf '%s' \"$VALUE\" | docker secret create " + s.name() + " -"
                        + (s.usedBy().isEmpty() ? "" : "   (used by " + String.join(", ", s.usedBy()) + ")"));
            }
            out().printf("swarm: %d configs created, %d kept, %d secrets to recreate; the snapshot also records %d nodes and %d networks%n",
                    plan.create().size(), plan.existing().size(), plan.recreateByHand().size(), state.nodes().size(), state.networks().size());
            return plan.recreateByHand().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
        }
    }

    private int files(BackupRepository repo, Snapshot snap) throws IOException {
        String only = volume != null ? "volume:" + volume : compose ? "compose" : source;
        List<Snapshot.Tree> trees = snap.trees().stream().filter(t -> !t.path().isEmpty())
                .filter(t -> only == null || t.source().equals(only)).toList();
        if (trees.isEmpty()) {
            throw new SpecException("snapshot " + snap.id() + " has no " + (only == null ? "file sources" : "source " + only) + "; it has "
                    + String.join(", ", snap.trees().stream().map(Snapshot.Tree::source).toList()));
        }
        PrintWriter out = out();
        if (target == null) {
            out.println("restoring in place:");
            trees.forEach(t -> out.println("  " + t.source() + " -> " + t.path()));
            if (!yes && !CommandSupport.confirm(context, out, "Replace the files there with the snapshot's?")) {
                spec.commandLine().getErr().println("kiban: not restored (confirm with y, pass --yes, or restore elsewhere with --target DIR)");
                return ExitCode.USAGE;
            }
        }
        Engine engine = target != null ? null : connectIfAvailable(why -> out.println("note: no engine answers; not checking which containers use the volumes"));
        try {
            for (Snapshot.Tree t : trees) {
                int code = restoreTree(repo, t, engine);
                if (code != ExitCode.OK) return code;
            }
        } finally {
            if (engine != null) engine.close();
        }
        return ExitCode.OK;
    }

    private int restoreTree(BackupRepository repo, Snapshot.Tree t, Engine engine) throws IOException {
        Path into = target != null ? target.resolve(t.source().replace(':', '_').replace('/', '_')) : Path.of(t.path());
        if (target != null && !yes && Files.isDirectory(into)) {
            try (Stream<Path> s = Files.list(into)) {
                if (s.findAny().isPresent()) {
                    spec.commandLine().getErr().println("kiban: " + into + " already holds files; restore over them with --yes");
                    return ExitCode.USAGE;
                }
            }
        }
        BackupRepository.Source asSource = new BackupRepository.Source(t.source(), into);
        QuiescedContainers users = engine == null ? null : new QuiescedContainers(engine, java.util.Set.of(), false);
        List<ContainerSummary> running = users == null ? List.of() : users.writersOf(asSource);
        if (!running.isEmpty() && !stop) {
            spec.commandLine().getErr().println("kiban: " + t.source() + " is in use by " + String.join(", ", running.stream().map(ContainerSummary::name).toList())
                    + "; stop them first, or pass --stop to have kiban stop and restart them around the restore");
            return ExitCode.USAGE;
        }
        QuiescedContainers stopper = running.isEmpty() ? null
                : new QuiescedContainers(engine, new java.util.HashSet<>(running.stream().map(ContainerSummary::name).toList()), false);
        long bytes;
        if (stopper != null) stopper.before(asSource);
        try {
            bytes = repo.restore(t, into);
        } finally {
            if (stopper != null) {
                stopper.after(asSource);
                stopper.notes().forEach(n -> out().println("note: " + n));
            }
        }
        out().println("restored " + t.source() + " to " + into + " (" + t.entries().size() + " entries, " + ByteSize.ofBytes(bytes) + ", every chunk checked)");
        return ExitCode.OK;
    }
}
