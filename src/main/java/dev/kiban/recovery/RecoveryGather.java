package dev.kiban.recovery;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.ImageSources;
import dev.kiban.backup.RestoreRun;
import dev.kiban.backup.Snapshot;
import dev.kiban.backup.SwarmState;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Engine;
import dev.kiban.engine.ImageSummary;
import dev.kiban.engine.NetworkSummary;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.SwarmObject;
import dev.kiban.engine.VolumeSummary;
import dev.kiban.recovery.RecoveryFacts.Place;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.stack.ComposeFile;
import dev.kiban.stack.StackRollout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The edge that reads what {@link RecoveryPlan} decides from: the snapshot (its compose files read from the
 * repository, never from the host), the engine, and each destination compared with the snapshot's tree. No
 * link is followed; nothing is changed.
 */
public final class RecoveryGather {
    private static final String VOLUME = "volume:";
    private static final String COMPOSE = "compose";
    private static final int MAX_COMPOSE = 1 << 20;

    private RecoveryGather() {}

    public static RecoveryFacts gather(BackupRepository repo, Snapshot snap, Engine engine, PlatformSpec platform,
            RecoveryFacts.Journal journal) throws IOException {
        List<String> bad = new ArrayList<>();
        List<RecoveryFacts.Image> images = new ArrayList<>();
        for (Snapshot.Tree t : snap.trees()) {
            if (t.source() != null && t.source().startsWith(ImageSources.PREFIX) && !t.entries().isEmpty()) {
                images.add(new RecoveryFacts.Image(t.source(), t.meta().getOrDefault("id", ""),
                        t.meta().getOrDefault("tags", "")));
            }
        }
        boolean manager = engine.swarm().manager() && engine.swarm().active();
        List<ContainerSummary> running = engine.containers().stream().filter(ContainerSummary::running).toList();
        List<VolumeSummary> engineVolumes = engine.volumes();
        Path tree = Path.of(platform.storage().volumes().value()).toAbsolutePath().normalize();
        List<RecoveryFacts.Volume> volumes = new ArrayList<>();
        for (Snapshot.Tree t : snap.trees()) {
            if (t.source() == null || !t.source().startsWith(VOLUME)) continue;
            String name = t.source().substring(VOLUME.length());
            if (!RecoveryPlan.NAME.matcher(name).matches()) {
                bad.add("a volume " + Printable.of(name));
                continue;
            }
            checkPaths(t, bad);
            boolean inTree = tree.equals(recordedParent(t));
            Optional<Path> dest = inTree ? Optional.of(tree.resolve(name)) : engineVolume(engineVolumes, name);
            Place place = dest.isEmpty() ? Place.ABSENT : compare(dest.get(), t);
            List<String> users = running.stream().filter(c -> c.mounts().stream().anyMatch(m -> name.equals(m.name())
                    || dest.isPresent() && dest.get().toString().equals(m.source()))).map(ContainerSummary::name)
                    .sorted().toList();
            volumes.add(new RecoveryFacts.Volume(name, inTree, place, users));
        }
        Optional<Place> compose = Optional.empty();
        List<RecoveryFacts.Stack> stacks = new ArrayList<>();
        Optional<Snapshot.Tree> composeTree = snap.tree(COMPOSE);
        if (composeTree.isPresent()) {
            checkPaths(composeTree.get(), bad);
            compose = Optional.of(compare(Path.of(platform.storage().compose().value()), composeTree.get()));
            stacks = stacks(repo, composeTree.get(), bad);
        }
        Optional<SwarmState> swarm = snap.tree(SwarmState.SOURCE).isPresent()
                ? Optional.of(RestoreRun.swarmState(repo, snap)) : Optional.empty();
        Set<String> snapshotStacks = new TreeSet<>(stacks.stream().map(RecoveryFacts.Stack::name).toList());
        List<String> others = running.stream().filter(c -> !snapshotStacks.contains(
                c.labels().getOrDefault(StackRollout.NAMESPACE_LABEL, ""))).map(c -> {
                    String ns = c.labels().get(StackRollout.NAMESPACE_LABEL);
                    return c.name() + (ns == null ? "" : " (stack " + Printable.of(ns) + ")");
                }).sorted().toList();
        Set<String> engineStacks = new TreeSet<>();
        Set<String> configs = new TreeSet<>();
        Set<String> secrets = new TreeSet<>();
        if (manager) {
            for (ServiceSummary s : engine.services(Map.of())) {
                String ns = s.labels().get(StackRollout.NAMESPACE_LABEL);
                if (ns != null) engineStacks.add(ns);
            }
            engine.configs().stream().map(SwarmObject::name).forEach(configs::add);
            engine.secrets().stream().map(SwarmObject::name).forEach(secrets::add);
        }
        Set<String> ids = new TreeSet<>(engine.images().stream().map(ImageSummary::id).toList());
        Set<String> networks = new TreeSet<>(engine.networks().stream().map(NetworkSummary::name).toList());
        RecoveryFacts.EngineState state = new RecoveryFacts.EngineState(manager, ids, configs, secrets, networks,
                engineStacks, others);
        return new RecoveryFacts(snap.id(), images, volumes, compose, stacks, bad, swarm, state, journal);
    }

    /** The stacks of the compose tree: {@code <stack>/docker-compose.yml} (or the other names compose reads). */
    private static List<RecoveryFacts.Stack> stacks(BackupRepository repo, Snapshot.Tree t, List<String> bad)
            throws IOException {
        Map<String, Snapshot.Entry> files = new TreeMap<>();
        for (Snapshot.Entry e : t.entries()) {
            String[] parts = e.path().split("/", -1);
            if (parts.length != 2 || !ComposeFile.NAMES.contains(parts[1])) continue;
            if (!RecoveryPlan.NAME.matcher(parts[0]).matches()) {
                bad.add("a stack " + Printable.of(parts[0]) + " in its compose tree");
                continue;
            }
            Snapshot.Entry had = files.get(parts[0]);
            if (had == null || ComposeFile.NAMES.indexOf(parts[1]) < ComposeFile.NAMES.indexOf(fileName(had))) {
                files.put(parts[0], e);
            }
        }
        List<RecoveryFacts.Stack> out = new ArrayList<>();
        for (Map.Entry<String, Snapshot.Entry> f : files.entrySet()) {
            Snapshot.Entry e = f.getValue();
            if (e.type() != Snapshot.Entry.Type.FILE || e.size() > MAX_COMPOSE) {
                bad.add("a compose file " + Printable.of(e.path()) + " that is no regular file of at most 1 MiB");
                continue;
            }
            try (InputStream in = repo.read(e)) {
                out.add(new RecoveryFacts.Stack(f.getKey(), fileName(e),
                        new String(in.readNBytes(MAX_COMPOSE), StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    private static String fileName(Snapshot.Entry e) {
        return e.path().substring(e.path().indexOf('/') + 1);
    }

    /** Every entry of a tree stays inside it: no absolute path, no "..", no NUL (a restore would refuse it later). */
    private static void checkPaths(Snapshot.Tree t, List<String> bad) {
        for (Snapshot.Entry e : t.entries()) {
            String p = e.path() == null ? "" : e.path();
            boolean escapes = p.startsWith("/") || p.indexOf('\0') >= 0 || p.isEmpty()
                    || Stream.of(p.split("/", -1)).anyMatch(c -> c.equals("..") || c.isEmpty() && !p.equals("."));
            if (escapes) {
                bad.add("a path " + Printable.of(p) + " in " + Printable.of(t.source()));
                return;
            }
        }
    }

    private static Path recordedParent(Snapshot.Tree t) {
        try {
            Path p = Path.of(t.path() == null ? "" : t.path()).toAbsolutePath().normalize().getParent();
            return p == null ? Path.of("/") : p;
        } catch (java.nio.file.InvalidPathException e) {
            return Path.of("/");
        }
    }

    /** Where an engine volume of that name keeps its data here (a local one only). */
    private static Optional<Path> engineVolume(List<VolumeSummary> volumes, String name) {
        for (VolumeSummary v : volumes) {
            if (!v.name().equals(name) || !v.driver().equals("local")) continue;
            String device = v.options().getOrDefault("device", "");
            Path data = Path.of(device.isEmpty() ? v.mountpoint() : device);
            if (data.isAbsolute()) return Optional.of(data);
        }
        return Optional.empty();
    }

    /**
     * What {@code dir} holds compared with the snapshot's tree: type, permissions, size, modification time and
     * link target of every entry (the content is not read: a restore reproduces those exactly).
     */
    public static Place compare(Path dir, Snapshot.Tree t) throws IOException {
        Optional<BasicFileAttributes> a = lstat(dir);
        if (a.isEmpty()) return Place.ABSENT;
        if (!a.get().isDirectory()) return Place.DIFFERENT;
        Map<String, String> here = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) { // walk follows no link unless told to
            for (Path p : s.toList()) {
                if (p.equals(dir)) continue;
                here.put(dir.relativize(p).toString(), signature(p));
            }
        }
        if (here.isEmpty()) return t.entries().stream().allMatch(e -> e.path().equals(".")) ? Place.EQUAL : Place.EMPTY;
        Map<String, Snapshot.Entry> byPath = new HashMap<>();
        t.entries().forEach(e -> byPath.put(e.path(), e));
        Map<String, String> there = new TreeMap<>();
        for (Snapshot.Entry e : t.entries()) {
            if (e.path().equals(".")) continue;
            Snapshot.Entry s = e.type() == Snapshot.Entry.Type.HARDLINK ? byPath.getOrDefault(e.target(), e) : e;
            there.put(e.path(), signature(s));
        }
        if (here.equals(there)) return Place.EQUAL;
        // a tree that holds only what the snapshot has (apply's empty directories, a restore cut short) loses
        // nothing when the snapshot's replaces it
        boolean nothingLost = here.entrySet().stream().allMatch(h -> there.containsKey(h.getKey())
                && (h.getValue().startsWith("dir ") && there.get(h.getKey()).startsWith("dir ")
                        || h.getValue().equals(there.get(h.getKey()))));
        return nothingLost ? Place.EMPTY : Place.DIFFERENT;
    }

    private static String signature(Snapshot.Entry e) {
        return switch (e.type()) {
            case DIR -> "dir " + Integer.toOctalString(e.mode() & 07777);
            case FILE, HARDLINK -> "file " + Integer.toOctalString(e.mode() & 07777) + " " + e.size() + " " + e.mtime();
            case SYMLINK -> "link " + e.target();
        };
    }

    private static String signature(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) return "link " + Files.readSymbolicLink(p);
        int mode = ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
        if (a.isDirectory()) return "dir " + Integer.toOctalString(mode);
        return "file " + Integer.toOctalString(mode) + " " + a.size() + " " + a.lastModifiedTime().toMillis();
    }

    private static Optional<BasicFileAttributes> lstat(Path p) throws IOException {
        try {
            return Optional.of(Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
