package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.testing.FileTreeState;
import dev.kiban.testing.HostTools;
import dev.kiban.testing.Prerequisite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup copy to a real OpenSSH server on 127.0.0.1 (its own sshd_config, host key and authorized_keys): a copy
 * that verifies with its data read, one interrupted by killing sshd half-way and resumed, a wrong key, an
 * unknown and a changed host key, a symbolic link planted on the server, a full disk (a 200 KiB tmpfs), a port
 * where nothing answers. The source never changes.
 */
class SftpCopyIT {
    @TempDir
    Path dir;
    Path repo;
    Path key;
    Map<String, String> sourceBefore;
    LoopbackSshd sshd;
    final List<Path> mounts = new ArrayList<>();

    @BeforeEach
    void aRepositoryOfThreeSnapshotsAndAnSshd() throws Exception {
        repo = dir.resolve("repo");
        key = RepositoryFixtures.keyFile(dir.resolve("keys/key"), "rw-------");
        for (int i = 1; i <= 3; i++) {
            RepositoryFixtures.snapshot(repo, RepositoryFixtures.tree(dir.resolve("data" + i), i), Optional.of(key));
        }
        sourceBefore = FileTreeState.of(repo);
        sshd = new LoopbackSshd(dir.resolve("sshd"));
    }

    @AfterEach
    void sourceUnchanged() throws Exception {
        RepositoryCopy.afterEach = name -> {};
        if (sshd != null) sshd.close();
        for (Path m : mounts) HostTools.run("umount", m.toString());
        assertThat(FileTreeState.of(repo)).as("the source repository").isEqualTo(sourceBefore);
    }

    private RepositoryCopy.Result copy(Path to) throws IOException {
        return copy(to, sshd.key, sshd.knownHosts);
    }

    private RepositoryCopy.Result copy(Path to, Path identity, Path knownHosts) throws IOException {
        try (BackupRepository source = BackupRepository.openExisting(repo, Optional.of(key));
                SftpCopyTarget target = SftpCopyTarget.open(sshd.address(to.toString()), identity, knownHosts)) {
            return RepositoryCopy.copy(source, target, false);
        }
    }

    /** The copy (on this machine's disk: the server is loopback), verified with every chunk read. */
    private List<String> verify(Path copy) throws IOException {
        assertThat(RepositoryFixtures.snapshotCount(copy, key)).isEqualTo(3);
        return RepositoryFixtures.problemsReadingEverything(copy, Optional.of(key));
    }

    @Test
    void aCopyInterruptedByAKilledServerResumesAndVerifiesWithItsDataRead() throws Exception {
        Path to = dir.resolve("offsite");
        AtomicInteger sent = new AtomicInteger();
        RepositoryCopy.afterEach = name -> {
            if (sent.incrementAndGet() == 3) {
                try {
                    sshd.kill();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        assertThatThrownBy(() -> copy(to)).isInstanceOf(CopyTargetUnavailableException.class)
                .hasMessageContaining("run kiban backup copy again");
        RepositoryCopy.afterEach = name -> {};
        assertThat(Files.exists(to.resolve(CopyPlan.CONFIG))).isTrue();
        assertThat(RepositoryFixtures.snapshotFile(to, "x").getParent()).isDirectory();
        try (var s = Files.list(to.resolve("snapshots"))) {
            assertThat(s).as("no snapshot before its packs and indexes").isEmpty();
        }
        sshd.start();
        RepositoryCopy.Result r = copy(to);
        assertThat(r.configCopied()).isFalse();
        assertThat(r.packsSkipped()).as("what the interrupted copy sent").isPositive();
        assertThat(r.snapshotsCopied()).isEqualTo(3);
        System.out.printf(java.util.Locale.ROOT, "sftp copy (resumed): %d bytes in %.3f s, %.1f MB/s%n", r.bytes(),
                r.seconds(), r.megabytesPerSecond());
        assertThat(verify(to)).isEmpty();
        assertThat(Files.exists(to.resolve(RepositoryLock.FILE))).as("the lock, removed at the end").isFalse();
        RepositoryCopy.Result again = copy(to);
        assertThat(again.packsCopied() + again.indexesCopied() + again.snapshotsCopied()).isZero();
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefusedAndNotPrinted() throws Exception {
        Path other = LoopbackSshd.keygen(dir.resolve("other_key"));
        String secret = Files.readString(other).lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        Path to = dir.resolve("offsite");
        assertThatThrownBy(() -> copy(to, other, sshd.knownHosts)).isInstanceOf(CopyTargetUnavailableException.class)
                .hasMessageContaining("refused the login of root")
                .hasMessageNotContaining(secret.substring(0, 20));
        assertThat(to).doesNotExist();
        CopyAddress wrongUser = CopyAddress.parse("sftp://nobody@127.0.0.1:" + sshd.port + to);
        assertThatThrownBy(() -> SftpCopyTarget.open(wrongUser, sshd.key, sshd.knownHosts).close())
                .isInstanceOf(CopyTargetUnavailableException.class).hasMessageContaining("refused the login of nobody");
    }

    @Test
    void anUnknownOrChangedHostKeyIsRefusedWithItsFingerprint() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "");
        String fingerprint = HostTools.run("ssh-keygen", "-l", "-f", sshd.dir.resolve("host_key.pub").toString())
                .output().split(" ")[1];
        Path to = dir.resolve("offsite");
        assertThatThrownBy(() -> copy(to, sshd.key, empty)).isInstanceOf(CopyTargetUnavailableException.class)
                .hasMessageContaining("does not know").hasMessageContaining(fingerprint);
        assertThat(Files.readString(empty)).as("never written").isEmpty();

        LoopbackSshd.keygen(dir.resolve("impostor"));
        Path changed = Files.writeString(dir.resolve("changed_known_hosts"), "[127.0.0.1]:" + sshd.port + " "
                + Files.readString(dir.resolve("impostor.pub")));
        assertThatThrownBy(() -> copy(to, sshd.key, changed)).isInstanceOf(CopyTargetUnavailableException.class)
                .hasMessageContaining("CHANGED").hasMessageContaining(fingerprint);
        assertThat(to).doesNotExist();
    }

    @Test
    void aSymbolicLinkPlantedOnTheServerIsRefusedWithNothingWrittenThrough() throws Exception {
        Path to = Files.createDirectories(dir.resolve("offsite"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(to.resolve("packs"), elsewhere);
        assertThatThrownBy(() -> copy(to)).isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining("symbolic link packs");
        try (var s = Files.list(elsewhere)) {
            assertThat(s).isEmpty();
        }
        Path linkTarget = dir.resolve("link-offsite");
        Files.createSymbolicLink(linkTarget, elsewhere);
        assertThatThrownBy(() -> copy(linkTarget)).isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining("symbolic link");
        try (var s = Files.list(elsewhere)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aFullServerDiskStopsTheCopyWithWhatWasSentStillSound() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        var m = HostTools.run("mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", small.toString());
        Prerequisite.require(m.ok(), "cannot mount a small tmpfs here (" + m.output() + ")");
        mounts.add(small);
        Path to = small.resolve("offsite");
        assertThatThrownBy(() -> copy(to)).isInstanceOf(CopyDiskFullException.class)
                .hasMessageContaining("refused a write").hasMessageContaining("run kiban backup copy again");
        try (var s = Files.list(to.resolve("snapshots"))) {
            assertThat(s).isEmpty();
        }
        assertThat(Files.exists(to.resolve(RepositoryLock.FILE))).as("the lock, removed").isFalse();
        try (BackupRepository r = BackupRepository.openExisting(to, Optional.of(key)).readLocked()) {
            assertThat(r.damage()).as("what was sent is sound").isEmpty();
        }
    }

    @Test
    void aPortWhereNothingAnswersIsUnreachable() throws Exception {
        sshd.kill();
        assertThatThrownBy(() -> copy(dir.resolve("offsite"))).isInstanceOf(CopyTargetUnavailableException.class)
                .hasMessageContaining("cannot reach the SFTP server 127.0.0.1");
    }
}
