package dev.kiban.cli;

import static dev.kiban.cli.HostileCorpus.expect;
import static dev.kiban.cli.HostileCorpus.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.cli.HostileCorpus.Outcome;
import dev.kiban.cli.HostileCorpus.Sentinel;
import dev.kiban.os.AtomicFileTempNames;
import dev.kiban.testing.LockHolder;
import dev.kiban.testing.TestRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile host roots for apply, rollback, plan and generations: planted symbolic links on the way to
 * every kind of path kiban writes, crafted generation records, a lock held by another process. In every
 * case the sentinel tree outside the root stays exactly as it was.
 */
class HostileRootTest {
    /** The sentinel's secret file's content: it must never be printed (e.g. as a plan's "before"). */
    static final String SECRET = "root only";

    @TempDir
    Path dir;
    Path root;
    Path spec;
    Sentinel sentinel;

    @BeforeEach
    void aDebianRootASpecAndASentinelOutsideTheRoot() throws IOException {
        root = TestRoots.withOperator(dir.resolve("root"), "ID=debian\nVERSION_ID=\"12\"\n");
        Files.createDirectories(root.resolve("etc/ssh/sshd_config.d"));
        spec = Files.writeString(dir.resolve("kiban.yaml"), CommandLineTest.FILLED);
        sentinel = Sentinel.plant(dir.resolve("sentinel"));
    }

    @AfterEach
    void theSentinelIsUnchanged() throws IOException {
        sentinel.assertUnchanged();
    }

    Outcome apply() {
        return run("-c", spec.toString(), "apply", "--root", root.toString(), "--family", "debian", "--yes");
    }

    Outcome rollback() {
        return run("rollback", "--root", root.toString(), "--yes");
    }

    Path replaceWithLink(String rel, Path to) throws IOException {
        Path p = root.resolve(rel);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted((a, b) -> b.compareTo(a)).toList()) Files.delete(q);
            }
        } else {
            Files.deleteIfExists(p);
        }
        Files.createDirectories(p.getParent());
        return Files.createSymbolicLink(p, to);
    }

    Path generation(int n, String manifest) throws IOException {
        Path g = Files.createDirectories(root.resolve("var/lib/kiban/generations/" + n + "/before"));
        Files.writeString(g.getParent().resolve("manifest.json"), manifest);
        return g.getParent();
    }

    static String manifest(int n, String path) {
        return """
                {"number": %d, "created": "2026-01-01T00:00:00Z", "status": "APPLIED", "note": "crafted",
                 "entries": [{"path": "%s", "directory": false, "existed": false, "mode": "", "owner": ""}]}
                """.formatted(n, path);
    }

    @Test
    void theRootsEtcIsALinkToTheSentinel() throws IOException {
        replaceWithLink("etc", sentinel.dir());
        Outcome o = apply();
        expect(o, 1, "/etc is a symbolic link (to " + sentinel.dir() + ")", SECRET);
        assertThat(o.err()).contains("kiban: not applying:");
    }

    @Test
    void theUnitOfTheDashboardTurnedOffIsALinkToTheSentinelFileItIsLeftAlone() throws IOException {
        Path unit = replaceWithLink("etc/systemd/system/kiban-dashboard.service", sentinel.file());
        Outcome o = apply();
        expect(o, 0, "note: /etc/systemd/system/kiban-dashboard.service left alone: dashboard.enabled is false, but it "
                + "is a symbolic link (to " + sentinel.file() + ")", SECRET);
        assertThat(o.out()).doesNotContain("remove file");
        assertThat(Files.readSymbolicLink(unit)).isEqualTo(sentinel.file());
    }

    @Test
    void etcDockerIsALinkToTheSentinel() throws IOException {
        replaceWithLink("etc/docker", sentinel.dir());
        expect(apply(), 1, "refusing /etc/docker/daemon.json under " + root + ": /etc/docker is a symbolic link",
                SECRET);
        assertThat(root.resolve("var/lib/kiban")).as("refused before the lock or a generation").doesNotExist();
    }

    @Test
    void theSshdDropInDirectoryIsALinkToTheSentinel() throws IOException {
        replaceWithLink("etc/ssh/sshd_config.d", sentinel.dir());
        expect(apply(), 1, "/etc/ssh/sshd_config.d is a symbolic link", SECRET);
        assertThat(root.resolve("etc/docker/daemon.json")).doesNotExist();
    }

    @Test
    void etcDockerIsAFileNotADirectory() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/docker"), "not a directory\n");
        expect(apply(), 1, "/etc/docker is not a directory; expected a directory");
    }

    @Test
    void daemonJsonIsALinkToTheSentinelFileItIsReplacedAndRollbackPutsTheLinkBack() throws IOException {
        Path daemon = replaceWithLink("etc/docker/daemon.json", sentinel.file());
        Outcome o = apply();
        expect(o, 0, "applied as generation 1", SECRET);
        assertThat(o.out()).contains("note: /etc/docker/daemon.json is a symbolic link (to " + sentinel.file()
                + "): apply replaces");
        assertThat(Files.isSymbolicLink(daemon)).isFalse();
        assertThat(Files.readString(daemon)).contains("\"data-root\"");
        expect(rollback(), 0, "rolled back generation 1", SECRET);
        assertThat(Files.readSymbolicLink(daemon)).isEqualTo(sentinel.file());
    }

    @Test
    void theSshdDropInIsALinkItIsReplacedAndRollbackPutsTheLinkBack() throws IOException {
        Path conf = replaceWithLink("etc/ssh/sshd_config.d/10-kiban.conf", Path.of("../../../../sentinel/secret.txt"));
        expect(apply(), 0, "applied as generation 1", SECRET);
        assertThat(Files.isRegularFile(conf, LinkOption.NOFOLLOW_LINKS)).isTrue();
        expect(rollback(), 0, "rolled back generation 1", SECRET);
        assertThat(Files.readSymbolicLink(conf)).isEqualTo(Path.of("../../../../sentinel/secret.txt"));
    }

    /**
     * Replaced by rename, a hard link's other name (the sentinel) keeps its content; its link count comes
     * back to 1. (Its content is this file's content too, so the plan's diff shows it: the kernel's
     * protected_hardlinks keeps others from linking to files they do not own.)
     */
    @Test
    void daemonJsonIsAHardLinkToTheSentinelFile() throws IOException {
        Files.createDirectories(root.resolve("etc/docker"));
        Path daemon = Files.createLink(root.resolve("etc/docker/daemon.json"), sentinel.file());
        expect(apply(), 0, "applied as generation 1");
        assertThat(Files.readString(daemon)).contains("\"data-root\"");
        expect(rollback(), 0, "rolled back generation 1", SECRET);
        assertThat(Files.readString(daemon)).isEqualTo(SECRET + "\n");
        assertThat(Files.isSameFile(daemon, sentinel.file())).as("put back as a copy, not written into").isFalse();
    }

    @Test
    void daemonJsonIsAFifoThatWouldBlockAReader() throws Exception {
        Files.createDirectories(root.resolve("etc/docker"));
        Path fifo = root.resolve("etc/docker/daemon.json");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        expect(apply(), 1, "/etc/docker/daemon.json under " + root + ": it is not a regular file", SECRET);
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aLinkPlantedAtTheTemporaryFilesNameIsNotFollowed() throws Exception {
        Files.createDirectories(root.resolve("etc/docker"));
        Path planted = Files.createSymbolicLink(root.resolve("etc/docker/.daemon.json.planted.tmp"), sentinel.file());
        try (AutoCloseable first = AtomicFileTempNames.firstTry(name -> "." + name + ".planted.tmp")) {
            expect(apply(), 0, "applied as generation 1", SECRET);
        }
        assertThat(Files.readSymbolicLink(planted)).isEqualTo(sentinel.file());
        assertThat(Files.isRegularFile(root.resolve("etc/docker/daemon.json"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void theGenerationStoreIsALinkToTheSentinel() throws IOException {
        replaceWithLink("var/lib/kiban", sentinel.dir());
        Outcome o = apply();
        expect(o, 1, "/var/lib/kiban is a symbolic link", SECRET);
        assertThat(root.resolve("etc/docker/daemon.json")).doesNotExist();
        expect(run("generations", "--root", root.toString()), 1, "/var/lib/kiban is a symbolic link", SECRET);
        expect(rollback(), 1, "/var/lib/kiban is a symbolic link", SECRET);
    }

    @Test
    void theNextGenerationsDirectoryIsPlantedAsALink() throws IOException {
        Files.createDirectories(root.resolve("var/lib/kiban/generations"));
        Files.createSymbolicLink(root.resolve("var/lib/kiban/generations/1"), sentinel.dir());
        expect(apply(), 1, "generations/1 is a symbolic link, not a generation kiban recorded; move it away", SECRET);
        assertThat(root.resolve("etc/docker/daemon.json")).doesNotExist();
    }

    @Test
    void theLockFileIsALinkToTheSentinel() throws IOException {
        Files.createDirectories(root.resolve("var/lib/kiban"));
        Files.createSymbolicLink(root.resolve("var/lib/kiban/lock"), sentinel.file());
        expect(apply(), 1, "lock: it is a symbolic link; expected kiban's lock file", SECRET);
        assertThat(root.resolve("etc/docker/daemon.json")).doesNotExist();
    }

    @Test
    void aGenerationWhosePathClimbsOutOfTheRootIsRefused() throws IOException {
        generation(1, manifest(1, "/../../sentinel/secret.txt"));
        Outcome o = rollback();
        expect(o, 1, "recorded host path /../../sentinel/secret.txt has a '.' or '..' component", SECRET);
        assertThat(o.err()).contains("rollback refused");
    }

    @Test
    void aGenerationWithARelativePathIsRefused() throws IOException {
        generation(1, manifest(1, "sentinel/secret.txt"));
        expect(rollback(), 1, "not an absolute host path: sentinel/secret.txt", SECRET);
    }

    /** A recorded absolute path is a host path, read under the root: naming a path outside reaches nothing there. */
    @Test
    void aGenerationNamingAnAbsolutePathOutsideTheRootStaysUnderTheRoot() throws IOException {
        generation(1, manifest(1, sentinel.file().toString()));
        expect(rollback(), 0, "rolled back generation 1", SECRET);
    }

    /**
     * An entry for a file that existed but has no mode recorded cannot be put back: refused before any
     * entry is restored (the first, valid one included), not a crash half-way through.
     */
    @Test
    void aGenerationWithAnEmptyModeForAFileThatExistedIsRefusedBeforeAnythingChanges() throws IOException {
        Path g = generation(1, """
                {"number": 1, "created": "2026-01-01T00:00:00Z", "status": "APPLIED", "note": "crafted",
                 "entries": [
                  {"path": "/etc/a.conf", "directory": false, "existed": true, "mode": "rw-r--r--", "owner": ""},
                  {"path": "/etc/b.conf", "directory": false, "existed": true, "mode": "", "owner": ""}]}
                """);
        Files.createDirectories(g.resolve("before/etc"));
        Files.writeString(g.resolve("before/etc/a.conf"), "old a\n");
        Files.writeString(g.resolve("before/etc/b.conf"), "old b\n");
        Files.writeString(root.resolve("etc/a.conf"), "new a\n");
        Files.writeString(root.resolve("etc/b.conf"), "new b\n");
        Outcome o = rollback();
        expect(o, 1, "no mode is recorded for /etc/b.conf, which existed before", SECRET);
        assertThat(o.err()).contains("rollback refused");
        assertThat(Files.readString(root.resolve("etc/a.conf"))).as("nothing put back half-way").isEqualTo("new a\n");
        assertThat(Files.readString(root.resolve("etc/b.conf"))).isEqualTo("new b\n");
        expect(run("generations", "--root", root.toString()), 1, "no mode is recorded for /etc/b.conf", SECRET);
    }

    /** An owner that does not resolve here is found before the first file is put back (as root, owners apply). */
    @Test
    void aGenerationWhoseOwnerIsNotOnThisMachineIsRefusedBeforeAnythingChanges() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "owners are set only as root");
        Path g = generation(1, """
                {"number": 1, "created": "2026-01-01T00:00:00Z", "status": "APPLIED", "note": "crafted",
                 "entries": [
                  {"path": "/etc/a.conf", "directory": false, "existed": true, "mode": "rw-r--r--", "owner": ""},
                  {"path": "/etc/b.conf", "directory": false, "existed": true, "mode": "rw-r--r--",
                   "owner": "nosuchkibanuser:nosuchkibangroup"}]}
                """);
        Files.createDirectories(g.resolve("before/etc"));
        Files.writeString(g.resolve("before/etc/a.conf"), "old a\n");
        Files.writeString(g.resolve("before/etc/b.conf"), "old b\n");
        Files.writeString(root.resolve("etc/a.conf"), "new a\n");
        Files.writeString(root.resolve("etc/b.conf"), "new b\n");
        expect(rollback(), 1, "the owner recorded for /etc/b.conf (nosuchkibanuser:nosuchkibangroup) is not a user",
                SECRET);
        assertThat(Files.readString(root.resolve("etc/a.conf"))).as("nothing put back half-way").isEqualTo("new a\n");
        assertThat(Files.readString(root.resolve("etc/b.conf"))).isEqualTo("new b\n");
    }

    @Test
    void aGarbageManifestIsRefusedByRollbackAndGenerations() throws IOException {
        generation(1, "\u0000garbage{{");
        expect(rollback(), 1, "is not a manifest kiban wrote", SECRET);
        expect(run("generations", "--root", root.toString()), 1, "is not a manifest kiban wrote", SECRET);
    }

    @Test
    void aManifestThatIsALinkIsRefused() throws IOException {
        Path g = generation(1, "{}");
        Files.delete(g.resolve("manifest.json"));
        Files.createSymbolicLink(g.resolve("manifest.json"), sentinel.file());
        expect(rollback(), 1, "manifest.json: it is not a regular file", SECRET);
    }

    @Test
    void anApplyWhileAnotherProcessHoldsTheLockIsRefused() throws Exception {
        Path lock = Files.createDirectories(root.resolve("var/lib/kiban")).resolve("lock");
        try (LockHolder other = LockHolder.hold(lock)) {
            Outcome o = apply();
            expect(o, 1, "another kiban apply or rollback holds " + lock + " (pid " + other.pid() + ")", SECRET);
        }
        assertThat(root.resolve("etc/docker/daemon.json")).doesNotExist();
        assertThat(root.resolve("var/lib/kiban/generations")).doesNotExist();
    }

    @Test
    void aRollbackWhileAnotherProcessHoldsTheLockIsRefused() throws Exception {
        expect(apply(), 0, "applied as generation 1");
        try (LockHolder other = LockHolder.hold(root.resolve("var/lib/kiban/lock"))) {
            expect(rollback(), 1, "another kiban apply or rollback holds", SECRET);
        }
        assertThat(root.resolve("etc/docker/daemon.json")).exists();
        expect(rollback(), 0, "rolled back generation 1");
    }

    @Test
    void aDeclinedRollbackChangesNothingAndExitsOne() throws IOException {
        expect(apply(), 0, "applied as generation 1");
        Outcome o = run(Map.of(), a -> {
            throw new AssertionError("no engine");
        }, "n\n", "rollback", "--root", root.toString());
        expect(o, 1, "nothing changed");
        assertThat(o.out()).contains("roll back generation 1", "Roll back this generation? [y/N]");
        assertThat(root.resolve("etc/docker/daemon.json")).exists();
    }

    /**
     * The generations the operator confirmed are the ones rolled back: when another apply records a new
     * generation while the prompt waits, the rollback is refused and nothing is undone.
     */
    @Test
    void aGenerationRecordedWhileTheRollbackPromptWaitsRefusesTheRollback() throws IOException {
        expect(apply(), 0, "applied as generation 1");
        java.io.InputStream answer = new java.io.InputStream() {
            private final java.io.InputStream yes = new java.io.ByteArrayInputStream("y\n".getBytes());
            private boolean raced;

            @Override
            public int read() throws IOException {
                race();
                return yes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                race();
                return yes.read(b, off, len);
            }

            private void race() throws IOException {
                if (raced) return;
                raced = true;
                Files.createDirectories(root.resolve("var/lib/kiban/generations/2/before"));
                Files.writeString(root.resolve("var/lib/kiban/generations/2/manifest.json"), """
                        {"number": 2, "created": "2026-01-01T00:00:00Z", "status": "APPLIED",
                         "note": "another apply", "entries": []}
                        """);
            }
        };
        Outcome o = run(Map.of(), a -> {
            throw new AssertionError("no engine");
        }, answer, "rollback", "--root", root.toString());
        expect(o, 1, "the generations to roll back changed since they were listed (now 2, confirmed 1)", SECRET);
        assertThat(o.out()).contains("roll back generation 1").doesNotContain("rolled back generation");
        assertThat(root.resolve("etc/docker/daemon.json")).exists();
    }

    @Test
    void planAndGenerationsOnARootWithoutStateCreateNothing() throws IOException {
        List<Path> before = tree();
        expect(run("-c", spec.toString(), "plan", "--root", root.toString()), 0, "to create");
        expect(run("generations", "--root", root.toString()), 0, "no generations under " + root);
        expect(run("rollback", "--root", root.toString()), 0, "nothing to roll back");
        assertThat(tree()).isEqualTo(before);
        assertThat(root.resolve("var")).doesNotExist();
    }

    @Test
    void planShowsTheRefusalForALinkedDirectory() throws IOException {
        replaceWithLink("etc/docker", sentinel.dir());
        Outcome o = run("-c", spec.toString(), "plan", "--root", root.toString());
        expect(o, 1, "REFUSED: refusing /etc/docker/daemon.json under " + root + ": /etc/docker is a symbolic link",
                SECRET);
        assertThat(root.resolve("var")).doesNotExist();
    }

    List<Path> tree() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted().toList();
        }
    }
}
