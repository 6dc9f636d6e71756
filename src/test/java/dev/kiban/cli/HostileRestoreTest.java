package dev.kiban.cli;

import static dev.kiban.backup.CraftedSnapshots.dir;
import static dev.kiban.backup.CraftedSnapshots.hardLink;
import static dev.kiban.backup.CraftedSnapshots.symlink;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.backup.CraftedSnapshots;
import dev.kiban.backup.SwarmRaft;
import dev.kiban.backup.Snapshot.Entry;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.engine.VolumeSummary;
import dev.kiban.os.HostPrograms;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.FakePrograms;
import dev.kiban.testing.TestSwarm;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus for {@code backup restore}: crafted snapshots in an unencrypted repository and
 * destinations with planted links (issue 10). Each row is one case: what it does, its exit code, a
 * fragment of the message, and a sentinel tree beside the destination that must not change. The cases
 * that need a volume's mountpoint from the engine are in {@code dev.kiban.backup.BackupRestoreSafetyTest}
 * and {@code RestoreInPlaceIT}.
 */
class HostileRestoreTest {
    @TempDir
    Path dir;

    /** One case's world: a repository, a sentinel, a --target directory, the spec's volume and compose trees. */
    static final class World {
        final Path root;
        final Path repo;
        final Path target;
        final Path volumes;
        final Path compose;
        final HostileCorpus.Sentinel sentinel;
        final CraftedSnapshots crafted;
        final Path spec;

        World(Path root) throws Exception {
            this.root = root;
            repo = root.resolve("repo");
            target = root.resolve("target");
            volumes = root.resolve("volumes");
            compose = root.resolve("compose");
            Files.createDirectories(volumes);
            Files.createDirectories(compose);
            sentinel = HostileCorpus.Sentinel.plant(root.resolve("sentinel"));
            crafted = CraftedSnapshots.in(repo);
            spec = TestSwarm.spec(root, "storage: {volumes: " + volumes + ", compose: " + compose + "}\n");
        }

        String secret() {
            return sentinel.file().toString();
        }

        Entry file(String path, String content) throws Exception {
            return crafted.file(path, content);
        }

        /** One tree named {@code source} that claims to come from the sentinel; the snapshot's id. */
        String tree(String source, Entry... entries) throws Exception {
            return crafted.tree(source, sentinel.dir().toString(), entries).write();
        }

        String volume(Entry... entries) throws Exception {
            return tree("volume:data", entries);
        }

        /** kiban backup restore of the snapshot under --target, with --yes. */
        HostileCorpus.Outcome toTarget(String id) {
            return HostileCorpus.run(toTargetArgs(id));
        }

        /** kiban backup restore of a {@code volume:data} tree of these entries under --target, with --yes. */
        HostileCorpus.Outcome toTarget(Entry... entries) throws Exception {
            return toTarget(volume(entries));
        }

        String[] toTargetArgs(String id) {
            return new String[] {"-c", spec.toString(), "backup", "restore", id, "-r", repo.toString(), "--target",
                target.toString(), "--yes"};
        }

        String[] inPlace(String id) {
            return new String[] {"-c", spec.toString(), "backup", "restore", id, "-r", repo.toString(), "--yes"};
        }
    }

    @FunctionalInterface
    interface Setup {
        HostileCorpus.Outcome run(World w) throws Exception;
    }

    @FunctionalInterface
    interface After {
        void check(World w) throws Exception;
    }

    record Case(String name, int exit, String fragment, Setup setup, After after) {
        Case(String name, int exit, String fragment, Setup setup) {
            this(name, exit, fragment, setup, w -> { });
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static HostileCorpus.Outcome noEngine(String... args) {
        return HostileCorpus.run(Map.of(), a -> {
            throw new EngineUnavailableException("no engine in this test");
        }, "", args);
    }

    /** An engine on this host that has one local volume {@code data} at {@code mountpoint}, used by no container. */
    static HostileCorpus.Outcome withVolume(Path mountpoint, String... args) {
        List<VolumeSummary> volumes =
                List.of(new VolumeSummary("data", "local", mountpoint.toString(), Map.of(), Map.of()));
        Engine engine = (Engine) java.lang.reflect.Proxy.newProxyInstance(Engine.class.getClassLoader(),
                new Class<?>[] {Engine.class}, (proxy, m, a) -> switch (m.getName()) {
                    case "address" -> new EngineAddress("unix:///fake.sock", "default");
                    case "volumes" -> volumes;
                    case "containers" -> List.of();
                    case "close" -> null;
                    case "hashCode" -> 0;
                    case "equals" -> proxy == a[0];
                    case "toString" -> "a fake engine";
                    default -> throw new AssertionError("a restore does not call " + m.getName());
                });
        return HostileCorpus.run(Map.of(), a -> engine, "", args);
    }

    /** restore --swarm-state --yes under the world's root, on an engine in no swarm, with these host programs. */
    static HostileCorpus.Outcome swarmState(World w, String id, HostPrograms programs) throws Exception {
        Path spec = w.root.resolve("swarm-spec.yaml");
        Files.writeString(spec, CommandLineTest.FILLED + "swarm: {advertiseAddress: 192.0.2.10}\n");
        FakeEngine engine = new FakeEngine();
        return HostileCorpus.run(Map.of(), a -> engine, programs, new java.io.ByteArrayInputStream(new byte[0]),
                "-c", spec.toString(), "backup", "restore", id, "-r", w.repo.toString(), "--swarm-state", "--root",
                w.root.toString(), "--yes");
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // hard links
        c.add(new Case("hard link to ../../sentinel/secret.txt", 1, "points outside the restore target",
                w -> w.toTarget(dir("."), hardLink("h", "../../sentinel/secret.txt"))));
        c.add(new Case("hard link to an absolute path", 1, "points outside the restore target",
                w -> w.toTarget(dir("."), hardLink("h", w.secret()))));
        c.add(new Case("hard link to a directory", 1, "is not a regular file of the same snapshot tree",
                w -> w.toTarget(dir("."), dir("d"), hardLink("h", "d"))));
        c.add(new Case("hard link to a symlink entry", 1, "is not a regular file of the same snapshot tree",
                w -> w.toTarget(dir("."), symlink("s", w.secret()), hardLink("h", "s"))));
        c.add(new Case("hard link outside, then setuid nobody directory metadata of that name", 1,
                "nothing was restored",
                w -> w.toTarget(dir("."), hardLink("x", "../../sentinel/secret.txt"), dir("x", 04777, 65534, 65534))));
        c.add(new Case("hard link inside, then setuid nobody directory metadata of that name", 1,
                "lists the entry \"x\" twice",
                w -> w.toTarget(dir("."), w.file("f", "f\n"), hardLink("x", "f"), dir("x", 04777, 65534, 65534))));
        // entry paths
        for (String p : List.of("..", "../x", "../../sentinel/secret.txt", "/abs", "a/../../x", "./a", "a//b", "a/")) {
            c.add(new Case("directory entry " + p, 1, "points outside the restore target",
                    w -> w.toTarget(dir("."), dir("a"), dir(p))));
        }
        c.add(new Case("file entry at an absolute path", 1, "points outside the restore target",
                w -> w.toTarget(dir("."), w.file(w.secret(), "owned\n"))));
        c.add(new Case("entry with a NUL in its name", 1, "\"a\\x00b\", which is not a valid path",
                w -> w.toTarget(dir("."), w.file("a\0b", "x\n"))));
        c.add(new Case("empty entry path", 1, "which is not a valid path", w -> w.toTarget(dir("."), dir(""))));
        c.add(new Case("duplicate entries", 1, "lists the entry \"f\" twice",
                w -> w.toTarget(dir("."), w.file("f", "one\n"), w.file("f", "two\n"))));
        c.add(new Case("symlink d -> outside, then file d/secret.txt", 1, "whose parent \"d\" is not a directory",
                w -> w.toTarget(dir("."), symlink("d", w.sentinel.dir().toString()),
                        w.file("d/secret.txt", "owned\n"))));
        c.add(new Case("no root directory entry", 1, "has no root directory entry",
                w -> w.toTarget(w.file("f", "x\n"))));
        // tree names
        for (String name : List.of("..", "volume:..", "volume:.", "volume:", "volume:a/b", "volume:../../sentinel",
                "../sentinel", "a\0b")) {
            c.add(new Case("tree named " + name.replace("\0", "\\0"), 1, "which is not a source kiban writes",
                    w -> w.toTarget(w.tree(name, dir(".")))));
        }
        c.add(new Case("two trees for one destination", 1, "the snapshot has two trees that go to",
                w -> w.toTarget(w.crafted.tree("volume:data", "/a", dir(".")).tree("volume:data", "/b", dir("."))
                        .write())));
        // the destination
        c.add(new Case("symlinked intermediate directory in the destination", 0, "restored volume:data to", w -> {
            Files.createDirectories(w.target.resolve("volume_data"));
            Files.createSymbolicLink(w.target.resolve("volume_data/sub"), w.sentinel.dir().resolve("sub"));
            return w.toTarget(dir("."), dir("sub"), w.file("sub/data", "restored\n"));
        }, w -> {
            assertThat(w.target.resolve("volume_data/sub")).isDirectory();
            assertThat(Files.isSymbolicLink(w.target.resolve("volume_data/sub"))).isFalse();
            assertThat(Files.readString(w.target.resolve("volume_data/sub/data"))).isEqualTo("restored\n");
        }));
        c.add(new Case("symlink planted at the temporary name", 0, "restored volume:data to", w -> {
            Files.createDirectories(w.target.resolve("volume_data"));
            Files.writeString(w.target.resolve("volume_data/secret.txt"), "old\n");
            Files.createSymbolicLink(w.target.resolve("volume_data/.secret.txt.kiban-restore"), w.sentinel.file());
            return w.toTarget(dir("."), w.file("secret.txt", "restored\n"));
        }, w -> assertThat(Files.readString(w.target.resolve("volume_data/secret.txt"))).isEqualTo("restored\n")));
        c.add(new Case("symlink planted at the final file name", 0, "restored volume:data to", w -> {
            Files.createDirectories(w.target.resolve("volume_data"));
            Files.createSymbolicLink(w.target.resolve("volume_data/secret.txt"), w.sentinel.file());
            return w.toTarget(dir("."), w.crafted.file("secret.txt", "restored\n", 04777, 65534, 65534));
        }, w -> {
            Path restored = w.target.resolve("volume_data/secret.txt");
            assertThat(Files.isRegularFile(restored, LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(Files.readString(restored)).isEqualTo("restored\n");
        }));
        c.add(new Case("destination that is a symlink", 1, "is a symbolic link", w -> {
            Files.createDirectories(w.target);
            Files.createSymbolicLink(w.target.resolve("volume_data"), w.sentinel.dir());
            return w.toTarget(dir("."), w.file("secret.txt", "owned\n"));
        }));
        c.add(new Case("destination whose parent is a symlink", 1, "has a symbolic link in its path", w -> {
            Files.createSymbolicLink(w.target, w.sentinel.dir());
            return w.toTarget(dir("."), w.file("secret.txt", "owned\n"));
        }, w -> assertThat(w.sentinel.dir().resolve("volume_data")).doesNotExist()));
        c.add(new Case("destination whose grandparent is a symlink", 1, "has a symbolic link in its path", w -> {
            Files.createSymbolicLink(w.root.resolve("via"), w.sentinel.dir());
            String id = w.volume(dir("."), w.file("secret.txt", "owned\n"));
            return HostileCorpus.run("-c", w.spec.toString(), "backup", "restore", id, "-r", w.repo.toString(),
                    "--target", w.root.resolve("via/sub/new").toString(), "--yes");
        }));
        // in place: the destination comes from the spec or the engine, never from the path the snapshot records
        c.add(new Case("compose tree recorded at the sentinel, restored in place", 0, "restored compose to",
                w -> HostileCorpus.run(w.inPlace(w.tree("compose", dir("."), w.file("secret.txt", "owned\n")))),
                w -> assertThat(Files.readString(w.compose.resolve("secret.txt"))).isEqualTo("owned\n")));
        c.add(new Case("volume recorded at the sentinel, in the spec's volume tree", 0, "restored volume:data to",
                w -> {
            Files.createDirectories(w.volumes.resolve("data"));
            Files.createSymbolicLink(w.volumes.resolve("data/sub"), w.sentinel.dir().resolve("sub"));
            return noEngine(w.inPlace(w.volume(dir("."), dir("sub"), w.file("sub/data", "restored\n"))));
        }, w -> assertThat(Files.readString(w.volumes.resolve("data/sub/data"))).isEqualTo("restored\n")));
        c.add(new Case("volume recorded at the sentinel, in place without --yes, answered no", 1,
                "not restored; nothing changed", w -> {
            Files.createDirectories(w.volumes.resolve("data"));
            String id = w.volume(dir("."), w.file("secret.txt", "owned\n"));
            return HostileCorpus.run(Map.of(), a -> {
                throw new EngineUnavailableException("no engine in this test");
            }, "n\n", "-c", w.spec.toString(), "backup", "restore", id, "-r", w.repo.toString());
        }, w -> assertThat(w.volumes.resolve("data/secret.txt")).doesNotExist()));
        c.add(new Case("volume recorded at a path with a NUL, in the spec's volume tree", 0, "restored volume:data to",
                w -> {
            Files.createDirectories(w.volumes.resolve("data"));
            String id = w.crafted.tree("volume:data", "/a\0b", dir("."), w.file("f", "restored\n")).write();
            return noEngine(w.inPlace(id));
        }, w -> assertThat(Files.readString(w.volumes.resolve("data/f"))).isEqualTo("restored\n")));
        c.add(new Case("volume recorded at the sentinel, the engine's mountpoint is the destination", 0,
                "restored volume:data to", w -> {
                    Path mountpoint = w.root.resolve("docker/volumes/data/_data");
                    Files.createDirectories(mountpoint);
                    Files.createSymbolicLink(mountpoint.resolve("sub"), w.sentinel.dir().resolve("sub"));
                    Files.createSymbolicLink(mountpoint.resolve(".data.kiban-restore"), w.sentinel.file());
                    String id = w.volume(dir("."), dir("sub"), w.file("sub/data", "restored\n"));
                    return withVolume(mountpoint, w.inPlace(id));
                }, w -> assertThat(Files.readString(w.root.resolve("docker/volumes/data/_data/sub/data")))
                        .isEqualTo("restored\n")));
        c.add(new Case("engine volume whose mountpoint has a symlink in its path", 1, "has a symbolic link in its path",
                w -> {
                    Files.createSymbolicLink(w.root.resolve("docker"), w.sentinel.dir());
                    String id = w.volume(dir("."), w.file("d", "owned\n"));
                    return withVolume(w.root.resolve("docker/sub/_data"), w.inPlace(id));
                }));
        c.add(new Case("engine volume whose mountpoint is a symlink", 1, "is a symbolic link", w -> {
            Path mountpoint = w.root.resolve("docker/volumes/data/_data");
            Files.createDirectories(mountpoint.getParent());
            Files.createSymbolicLink(mountpoint, w.sentinel.dir());
            return withVolume(mountpoint, w.inPlace(w.volume(dir("."), w.file("secret.txt", "owned\n"))));
        }));
        c.add(new Case("volume recorded at the sentinel, unknown to the spec and the engine", 1,
                "is neither in the volume tree",
                w -> noEngine(w.inPlace(w.volume(dir("."), w.file("secret.txt", "owned\n"))))));
        c.add(new Case("volume named .. in place", 1, "which is not a source kiban writes",
                w -> noEngine(w.inPlace(w.tree("volume:..", dir("."))))));
        c.add(new Case("--path tree restored in place", 2, "restore it with --target DIR",
                w -> noEngine(w.inPlace(w.tree("path:" + w.sentinel.dir(), dir("."))))));
        c.add(new Case("compose tree in place where the spec's compose tree holds the repository", 2,
                "holds the backup repository", w -> {
                    Path other = Files.createDirectories(w.root.resolve("other-spec"));
                    Path spec = dev.kiban.testing.TestSwarm.spec(other, "storage: {volumes: " + w.volumes
                            + ", compose: " + w.root + "}\n");
                    String id = w.tree("compose", dir("."), w.file("secret.txt", "owned\n"));
                    return HostileCorpus.run("-c", spec.toString(), "backup", "restore", id, "-r", w.repo.toString(),
                            "--yes");
                }, w -> assertThat(w.repo.resolve("config.json")).isRegularFile()));
        // a manager's Swarm state (restore --swarm-state): the same tree checks, before the engine is stopped
        c.add(new Case("swarm state with a symlink escaping the root, then a file through it", 1,
                "whose parent \"raft\" is not a directory", w -> {
                    String id = w.tree(SwarmRaft.SOURCE, dir("."), symlink("raft", w.sentinel.dir().toString()),
                            w.file("raft/secret.txt", "owned\n"));
                    return swarmState(w, id, FakePrograms.none());
                }, w -> assertThat(w.root.resolve("var/lib/docker/swarm")).doesNotExist()));
        c.add(new Case("swarm state with a symlink escaping the root", 0, "restored the Swarm state to", w -> {
            String id = w.tree(SwarmRaft.SOURCE, dir("."), symlink("escape", w.secret()),
                    w.file("state.json", "[]\n"));
            return swarmState(w, id, FakePrograms.answering(List.of("systemctl"), 0, ""));
        }, w -> {
            Path link = w.root.resolve("var/lib/docker/swarm/escape");
            assertThat(Files.isSymbolicLink(link)).isTrue();
            assertThat(Files.readSymbolicLink(link).toString()).isEqualTo(w.secret());
        }));
        c.add(new Case("--target inside the repository", 2, "lies inside the backup repository",
                w -> HostileCorpus.run("-c", w.spec.toString(), "backup", "restore", w.volume(dir(".")), "-r",
                        w.repo.toString(), "--target", w.repo.resolve("snapshots").toString(), "--yes")));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aHostileRestoreStaysInsideItsTarget(Case c) throws Exception {
        World w = new World(dir);
        HostileCorpus.Outcome o = c.setup().run(w);
        HostileCorpus.expect(o, c.exit(), c.fragment());
        w.sentinel.assertUnchanged();
        c.after().check(w);
        try (Stream<Path> s = Files.walk(w.root)) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith(".kiban-")).toList())
                    .as("private directories left").isEmpty();
        }
    }
}
