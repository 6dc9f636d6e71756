package dev.kiban.backup;

import dev.kiban.engine.Engine;
import dev.kiban.engine.VolumeSummary;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecException;
import dev.kiban.spec.SpecText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where each file tree of a snapshot goes: {@code DIR/<source>} with --target; in place, the spec's compose
 * tree, a volume of the spec's volume tree or the engine's local volume of that name. The path recorded in
 * the snapshot only chooses between those; it is never the destination itself. Every destination is checked
 * against the repository and its key, and no two trees go to one place, before anything is restored.
 *
 * @param destinations each tree with where it goes
 * @param inPlace whether the trees go back where the spec or the engine puts them (no --target)
 */
public record FileRestorePlan(List<Destination> destinations, boolean inPlace) {
    private static final String VOLUME = "volume:";
    private static final String PATH = "path:";

    /** A tree and where it goes: a path the operator or the spec/engine chose, never one read from the snapshot. */
    public record Destination(Snapshot.Tree tree, Path path) {}

    /**
     * The snapshot's file trees to restore, all or only the source {@code only}; each named as kiban names
     * them (a tree's name becomes a path component or picks a volume).
     */
    public static List<Snapshot.Tree> trees(Snapshot snap, String only) throws IOException {
        // a manager's Swarm state goes back only by its own procedure (restore --swarm-state), or by name to --target
        List<Snapshot.Tree> trees = snap.trees().stream().filter(t -> t.path() != null && !t.path().isEmpty())
                .filter(t -> only == null ? !SwarmRaft.SOURCE.equals(t.source()) : only.equals(t.source())).toList();
        if (trees.isEmpty() && only == null && snap.tree(SwarmRaft.SOURCE).isPresent()) {
            throw new SpecException("snapshot " + snap.id() + " holds a manager's Swarm state: restore it with "
                    + "--swarm-state (or look at its files with --source " + SwarmRaft.SOURCE + " --target DIR)");
        }
        if (trees.isEmpty()) {
            throw new SpecException("snapshot " + snap.id() + " has no " + (only == null ? "file sources"
                    : "source " + only) + "; it has "
                    + String.join(", ", snap.trees().stream().map(t -> printable(String.valueOf(t.source())))
                            .toList()));
        }
        for (Snapshot.Tree t : trees) checkSourceName(t);
        return trees;
    }

    /** Whether any of {@code trees} is a volume: only then does the engine say where it goes and who uses it. */
    public static boolean hasVolumes(List<Snapshot.Tree> trees) {
        return trees.stream().anyMatch(t -> t.source().startsWith(VOLUME));
    }

    /**
     * Where {@code trees} go: under {@code target} when given, else in place ({@code platform} then says where;
     * {@code engine}, when one answers, knows its local volumes).
     */
    public static FileRestorePlan of(BackupRepository repo, List<Snapshot.Tree> trees, Path target,
            PlatformSpec platform, Engine engine) throws IOException {
        List<Destination> destinations = new ArrayList<>();
        for (Snapshot.Tree t : trees) destinations.add(new Destination(t, destination(t, target, platform, engine)));
        // before anything is restored: no destination may hold the repository or its key
        for (Destination d : destinations) repo.checkRestoreDestination(d.path());
        Set<Path> seen = new HashSet<>();
        for (Destination d : destinations) {
            if (!seen.add(d.path().toAbsolutePath().normalize())) {
                throw new IOException("the snapshot has two trees that go to " + d.path() + " ("
                        + printable(d.tree().source()) + " is one); restore them one at a time with --target");
            }
        }
        return new FileRestorePlan(destinations, target == null);
    }

    /** One line per tree for the operator's confirmation: source, destination, and where it was backed up from. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Destination d : destinations) {
            boolean same = recorded(d.tree()).equals(d.path().toAbsolutePath().normalize().toString());
            out.add("  " + printable(d.tree().source()) + " -> " + d.path()
                    + (same ? "" : "   (backed up from " + printable(d.tree().path()) + ")"));
        }
        return out;
    }

    /**
     * A tree's name becomes a path component (DIR/volume_NAME) or picks a volume: only the names kiban writes
     * are accepted, and a volume name is one directory name (not empty, '.', '..', no '/', no NUL).
     */
    private static void checkSourceName(Snapshot.Tree t) throws IOException {
        String s = t.source() == null ? "" : t.source();
        boolean ok;
        if (s.equals("compose") || s.equals(SwarmRaft.SOURCE)) ok = true;
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

    private static Path destination(Snapshot.Tree t, Path target, PlatformSpec platform, Engine engine)
            throws IOException {
        String s = t.source();
        if (target != null) {
            String component = s.replace(':', '_').replace('/', '_');
            if (!isName(component)) {
                throw new IOException("the snapshot tree " + printable(s) + " has no usable name under --target");
            }
            return target.resolve(component);
        }
        if (s.equals("compose")) return Path.of(platform.storage().compose().value());
        if (s.equals(SwarmRaft.SOURCE)) {
            throw new SpecException("the Swarm state goes back only with --swarm-state (the engine stopped, a new "
                    + "cluster forced); to look at its files restore it with --target DIR");
        }
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

    /** A name read from a snapshot, safe to print: control characters escaped, at most 200 characters. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            // C1 controls (0x9b is a terminal's CSI), line separators and invisibles too, not only C0
            b.append(SpecText.isControl(c) ? String.format(c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c)
                    : String.valueOf(c));
        }
        return s.length() > 200 ? b + "..." : b.toString();
    }
}
