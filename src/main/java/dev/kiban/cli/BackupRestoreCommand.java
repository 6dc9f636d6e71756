package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.ImageSources;
import dev.kiban.backup.QuiescedContainers;
import dev.kiban.backup.Snapshot;
import dev.kiban.backup.SwarmState;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Engine;
import dev.kiban.engine.VolumeSummary;
import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.UsageException;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.ByteSize;
import dev.kiban.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true, header = "Restore a snapshot byte for byte, checking every chunk's hash as it is written.",
        description = {
            "Files: with --target DIR each source goes to DIR/<source name>; without it a volume goes back to "
                    + "the spec's volume tree or to the engine's local volume of that name, the compose tree to the "
                    + "spec's, after a confirmation (or --yes); a --path source needs --target. A volume that a "
                    + "running container uses is refused unless --stop, which stops those containers (their services "
                    + "scaled to 0) and starts them again after.",
            "The snapshot's tree is checked whole, built in a new directory beside the destination and swapped "
                    + "in: the destination then holds exactly the snapshot's files, a failed restore leaves it as it "
                    + "was, and no link in it is followed.",
            "--images loads the snapshot's images into the engine with their tags. --swarm creates the snapshot's Swarm configs that the "
                    + "engine lacks and lists the secrets to recreate by hand (their data was never readable: D5).",
            "Progress is shown on stderr when a terminal is attached (not with --json); with --json the list of what "
                    + "would be replaced and the question go to stderr.",
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
        try (BackupRepository repo = repositoryOptions.open(CommandSupport.spec(spec).require())) {
            Snapshot snap = repo.snapshot(snapshot);
            if (images) return images(repo, snap);
            if (swarm) return swarm(repo, snap);
            return files(repo, snap);
        }
    }

    private int images(BackupRepository repo, Snapshot snap) throws IOException {
        List<Snapshot.Tree> saved = snap.trees().stream().filter(t -> t.source().startsWith(ImageSources.PREFIX)).toList();
        List<Image> loaded = new ArrayList<>();
        try (Engine engine = connect()) {
            for (Snapshot.Tree t : saved) {
                progress().println("loading " + t.source() + " ...");
                progress().flush();
                try (InputStream archive = repo.read(t.entries().get(0))) {
                    engine.loadImages(archive);
                }
                String tags = t.meta().getOrDefault("tags", "");
                out().println("loaded " + t.source() + " (" + t.entries().get(0).target() + (tags.isEmpty() ? ", untagged" : ", " + tags) + ")");
                loaded.add(new Image(t.source(), t.entries().get(0).target(), tags));
            }
        }
        out().println("loaded " + saved.size() + " image" + (saved.size() == 1 ? "" : "s") + " from " + snap.id());
        if (output.json) OutputOptions.print(spec, new ImagesReport(snap.id(), loaded));
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

    /** A tree and where it goes: a path the operator or the spec/engine chose, never one read from the snapshot. */
    private record Destination(Snapshot.Tree tree, Path path) {}

    private int files(BackupRepository repo, Snapshot snap) throws IOException {
        String only = volume != null ? "volume:" + volume : compose ? "compose" : source;
        List<Snapshot.Tree> trees = snap.trees().stream().filter(t -> t.path() != null && !t.path().isEmpty())
                .filter(t -> only == null || only.equals(t.source())).toList();
        if (trees.isEmpty()) {
            throw new SpecException("snapshot " + snap.id() + " has no " + (only == null ? "file sources" : "source " + only) + "; it has "
                    + String.join(", ", snap.trees().stream().map(t -> printable(String.valueOf(t.source())))
                            .toList()));
        }
        PrintWriter out = out();
        for (Snapshot.Tree t : trees) checkSourceName(t);
        boolean volumes = trees.stream().anyMatch(t -> t.source().startsWith(VOLUME));
        Engine engine = target != null || !volumes ? null
                : connectIfAvailable(why -> note("no engine answers; not checking which containers use "
                        + "the volumes, and only the spec's volume tree is known"));
        try {
            PlatformSpec platform = target != null ? null : CommandSupport.spec(spec).require();
            List<Destination> destinations = new ArrayList<>();
            for (Snapshot.Tree t : trees) destinations.add(new Destination(t, destination(t, platform, engine)));
            Set<Path> seen = new HashSet<>();
            for (Destination d : destinations) {
                if (!seen.add(d.path().toAbsolutePath().normalize())) {
                    throw new IOException("the snapshot has two trees that go to " + d.path() + " ("
                            + printable(d.tree().source()) + " is one); restore them one at a time with --target");
                }
            }
            if (target == null) {
                PrintWriter shown = yes ? out : output.notices(spec); // a question keeps its context, also with --json
                shown.println("restoring in place:");
                for (Destination d : destinations) {
                    boolean same = recorded(d.tree()).equals(d.path().toAbsolutePath().normalize().toString());
                    shown.println("  " + printable(d.tree().source()) + " -> " + d.path()
                            + (same ? "" : "   (backed up from " + printable(d.tree().path()) + ")"));
                }
                if (!yes && !CommandSupport.confirm(context, shown, "Replace the files there with the snapshot's?")) {
                    throw new DeclinedException("not restored; nothing changed (confirm with y, pass --yes, or restore "
                            + "elsewhere with --target DIR)");
                }
            }
            for (Destination d : destinations) {
                int code = restoreTree(repo, d.tree(), d.path(), engine);
                if (code != ExitCode.OK) return code;
            }
        } finally {
            if (engine != null) engine.close();
        }
        if (output.json) OutputOptions.print(spec, new FilesReport(snap.id(), restored, noted));
        return ExitCode.OK;
    }

    private static final String VOLUME = "volume:";
    private static final String PATH = "path:";

    /**
     * A tree's name becomes a path component (DIR/volume_NAME) or picks a volume: only the names kiban writes
     * are accepted, and a volume name is one directory name (not empty, '.', '..', no '/', no NUL).
     */
    private static void checkSourceName(Snapshot.Tree t) throws IOException {
        String s = t.source() == null ? "" : t.source();
        boolean ok;
        if (s.equals("compose")) ok = true;
        else if (s.startsWith(VOLUME)) ok = isName(s.substring(VOLUME.length()));
        else if (s.startsWith(PATH)) ok = s.length() > PATH.length() && s.indexOf('\0') < 0;
        else ok = false;
        if (!ok) {
            throw new IOException("the snapshot has a tree named " + printable(s) + ", which is not a source kiban "
                    + "writes (volume:NAME, compose, path:DIR; a volume name is one directory name); nothing was "
                    + "restored");
        }
    }

    private static boolean isName(String n) {
        return !n.isEmpty() && !n.equals(".") && !n.equals("..") && n.indexOf('/') < 0 && n.indexOf('\0') < 0;
    }

    /**
     * Where a tree goes: DIR/<source> with --target; in place, the spec's compose tree, a volume of the spec's
     * volume tree or the engine's local volume of that name. The path recorded in the snapshot only chooses
     * between those (and lets a volume-tree directory that is gone be recreated); it is never the destination
     * itself.
     */
    private Path destination(Snapshot.Tree t, PlatformSpec platform, Engine engine) throws IOException {
        String s = t.source();
        if (target != null) {
            String component = s.replace(':', '_').replace('/', '_');
            if (!isName(component)) {
                throw new IOException("the snapshot tree " + printable(s) + " has no usable name under --target");
            }
            return target.resolve(component);
        }
        if (s.equals("compose")) return Path.of(platform.storage().compose().value());
        if (s.startsWith(PATH)) {
            throw new SpecException(printable(s) + " was backed up from a --path, which neither the spec nor the "
                    + "engine places; restore it with --target DIR");
        }
        String name = s.substring(VOLUME.length());
        String recorded = recorded(t);
        List<Path> candidates = new ArrayList<>();
        Path inTree = Path.of(platform.storage().volumes().value()).resolve(name);
        if (Files.exists(inTree, LinkOption.NOFOLLOW_LINKS)) candidates.add(inTree);
        if (engine != null && engine.address().isLocal()) {
            for (VolumeSummary v : engine.volumes()) {
                if (!v.name().equals(name) || !v.driver().equals("local")) continue;
                String device = v.options().getOrDefault("device", "");
                Path data = Path.of(device.isEmpty() ? v.mountpoint() : device);
                if (data.isAbsolute()) candidates.add(data); // "" would be the working directory
            }
        }
        for (Path c : candidates) if (c.toAbsolutePath().normalize().toString().equals(recorded)) return c;
        if (!candidates.isEmpty()) return candidates.get(0);
        // a volume-tree directory that is gone comes back where the spec puts it
        if (inTree.toAbsolutePath().normalize().toString().equals(recorded)) return inTree;
        throw new IOException("the volume " + printable(name) + " is neither in the volume tree " + inTree.getParent()
                + " nor a local volume of the engine" + (engine == null ? " (no engine answers)" : "")
                + "; create it first, or restore elsewhere with --target DIR");
    }

    /** The path the snapshot says the tree was read from, for comparing only ("" when it is no valid path). */
    private static String recorded(Snapshot.Tree t) {
        try {
            return Path.of(t.path()).toAbsolutePath().normalize().toString();
        } catch (java.nio.file.InvalidPathException e) {
            return "";
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return s.length() > 200 ? b + "..." : b.toString();
    }

    private int restoreTree(BackupRepository repo, Snapshot.Tree t, Path into, Engine engine) throws IOException {
        if (target != null && !yes && Files.isDirectory(into, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(into)) {
                if (s.findAny().isPresent()) {
                    throw new UsageException(into + " already holds files; replace them with --yes");
                }
            }
        }
        BackupRepository.Source asSource = new BackupRepository.Source(t.source(), into);
        QuiescedContainers users = engine == null ? null : new QuiescedContainers(engine, java.util.Set.of(), false);
        List<ContainerSummary> running = users == null ? List.of() : users.writersOf(asSource);
        if (!running.isEmpty() && !stop) {
            throw new UsageException(printable(t.source()) + " is in use by "
                    + String.join(", ", running.stream().map(ContainerSummary::name).toList())
                    + "; stop them first, or pass --stop to have kiban stop and restart them around the restore");
        }
        QuiescedContainers stopper = running.isEmpty() ? null
                : new QuiescedContainers(engine, new java.util.HashSet<>(running.stream().map(ContainerSummary::name).toList()), false);
        long bytes;
        boolean done = false;
        if (stopper != null) stopper.before(asSource);
        progress().println("restoring " + printable(t.source()) + " to " + into + " ...");
        progress().flush();
        try {
            bytes = repo.restore(t, into);
            done = true;
        } finally {
            if (stopper != null) {
                stopper.after(asSource);
                // a failed restore has no report: its notes (a container not started again) go with its error
                for (String n : stopper.notes()) {
                    if (done) note(n);
                    else output.notices(spec).println("note: " + n);
                }
            }
        }
        out().println("restored " + printable(t.source()) + " to " + into + " (" + t.entries().size() + " entries, "
                + ByteSize.ofBytes(bytes) + ", every chunk checked)");
        restored.add(new Restored(t.source(), into.toString(), t.entries().size(), bytes));
        return ExitCode.OK;
    }

    private void note(String note) {
        out().println("note: " + note);
        noted.add(note);
    }
}
