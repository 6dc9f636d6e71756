package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.testing.FileTreeState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy's executor on temporary directories: a full copy that verifies with the data read, a resumed one
 * that sends only the rest, hostile destinations refused with nothing written, the source never changed.
 */
class RepositoryCopyTest {
    @TempDir
    Path dir;
    Path repo;
    Path key;
    Map<String, String> sourceBefore;

    @BeforeEach
    void anEncryptedRepositoryOfThreeSnapshots() throws IOException {
        repo = dir.resolve("repo");
        key = RepositoryFixtures.keyFile(dir.resolve("keys/key"), "rw-------");
        for (int i = 1; i <= 3; i++) {
            RepositoryFixtures.snapshot(repo, RepositoryFixtures.tree(dir.resolve("data" + i), i), Optional.of(key));
        }
        sourceBefore = FileTreeState.of(repo);
    }

    @AfterEach
    void sourceUnchanged() throws IOException {
        RepositoryCopy.afterEach = name -> {};
        assertThat(FileTreeState.of(repo)).as("the source repository").isEqualTo(sourceBefore);
    }

    private RepositoryCopy.Result copy(Path to, boolean dryRun) throws IOException {
        try (BackupRepository source = BackupRepository.openExisting(repo, Optional.of(key));
                LocalCopyTarget target = LocalCopyTarget.open(to, repo)) {
            return RepositoryCopy.copy(source, target, dryRun);
        }
    }

    /** The copy's snapshots, each verified with every chunk read back; the copy's damage and unindexed packs. */
    private List<String> verify(Path copy) throws IOException {
        return RepositoryFixtures.problemsReadingEverything(copy, Optional.of(key));
    }

    private int snapshots(Path copy) throws IOException {
        return RepositoryFixtures.snapshotCount(copy, key);
    }

    @Test
    void aFullCopyOpensWithTheSameKeyAndVerifiesWithItsDataRead() throws IOException {
        Path to = dir.resolve("offsite");
        RepositoryCopy.Result r = copy(to, false);
        assertThat(r.configCopied()).isTrue();
        assertThat(r.packsCopied()).isEqualTo(RepositoryFixtures.packs(repo).size()).isPositive();
        assertThat(r.snapshotsCopied()).isEqualTo(3);
        assertThat(r.bytes()).isPositive();
        System.out.printf(java.util.Locale.ROOT, "local copy: %d bytes in %.3f s, %.1f MB/s%n", r.bytes(),
                r.seconds(), r.megabytesPerSecond());
        assertThat(verify(to)).isEmpty();
        assertThat(snapshots(to)).isEqualTo(3);
        assertThat(Files.exists(to.resolve("keys"))).isFalse();
        byte[] keyBytes = Files.readAllBytes(key);
        for (Path p : RepositoryFixtures.packs(to)) assertThat(Files.readAllBytes(p)).isNotEqualTo(keyBytes);
        assertThat(Files.list(to).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("config.json", "kiban.lock", "packs", "index", "snapshots");

        RepositoryCopy.Result again = copy(to, false);
        assertThat(again.packsCopied() + again.indexesCopied() + again.snapshotsCopied()).isZero();
        assertThat(again.packsSkipped()).isEqualTo(r.packsCopied());
        assertThat(again.snapshotsSkipped()).isEqualTo(3);
    }

    @Test
    void anInterruptedCopyIsSoundAndOlderAndARerunSendsOnlyTheRest() throws IOException {
        Path to = dir.resolve("offsite");
        int packs = RepositoryFixtures.packs(repo).size();
        assertThat(packs).isGreaterThanOrEqualTo(2);
        AtomicInteger sent = new AtomicInteger();
        RepositoryCopy.afterEach = name -> {
            if (name.startsWith("packs/") && sent.incrementAndGet() == 1) throw new IllegalStateException("cut");
        };
        assertThatThrownBy(() -> copy(to, false)).hasMessage("cut");
        RepositoryCopy.afterEach = name -> {};
        assertThat(snapshots(to)).as("an interrupted copy opens, older").isZero();
        // a half-written pack as a killed copy leaves it: under a temporary name only
        Path stray = RepositoryFixtures.packs(to).get(0).resolveSibling(".half.123.tmp");
        Files.write(stray, new byte[100]);

        RepositoryCopy.Result r = copy(to, false);
        assertThat(r.configCopied()).isFalse();
        assertThat(r.packsSkipped()).isEqualTo(1);
        assertThat(r.packsCopied()).isEqualTo(packs - 1);
        assertThat(r.snapshotsCopied()).isEqualTo(3);
        assertThat(stray).doesNotExist();
        assertThat(verify(to)).isEmpty();
    }

    @Test
    void aDryRunWritesNothing() throws IOException {
        Path to = dir.resolve("offsite");
        RepositoryCopy.Result r = copy(to, true);
        assertThat(r.dryRun()).isTrue();
        assertThat(r.snapshotsCopied()).isEqualTo(3);
        assertThat(to).doesNotExist();
    }

    @Test
    void aDestinationThatIsALinkIsRefused() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertThatThrownBy(() -> copy(link, false)).isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining("symbolic link");
        assertThat(FileTreeState.of(real)).hasSize(1);
    }

    @Test
    void aLinkPlantedInsideAnEarlierCopyIsRefused() throws IOException {
        Path to = dir.resolve("offsite");
        copy(to, false);
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(to.resolve("index2"), elsewhere);
        Map<String, String> before = FileTreeState.of(to);
        assertThatThrownBy(() -> copy(to, false)).isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining("holds a symbolic link index2");
        assertThat(FileTreeState.of(to)).isEqualTo(before);
    }

    @Test
    void aFileIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "not a directory");
        assertThatThrownBy(() -> copy(file, false)).isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining("not a directory");
        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }

    @Test
    void anotherRepositoryIsRefusedWithNothingWritten() throws IOException {
        Path foreign = dir.resolve("foreign");
        RepositoryFixtures.snapshot(foreign, dir.resolve("data1"), Optional.of(dir.resolve("keys/other")));
        Map<String, String> before = FileTreeState.of(foreign);
        assertThatThrownBy(() -> copy(foreign, false)).isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining("another repository");
        assertThat(FileTreeState.of(foreign)).isEqualTo(before);
    }

    @Test
    void aDirectoryOfOtherFilesIsRefused() throws IOException {
        Path home = Files.createDirectory(dir.resolve("home"));
        Files.writeString(home.resolve("notes.txt"), "mine");
        Map<String, String> before = FileTreeState.of(home);
        assertThatThrownBy(() -> copy(home, false)).isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining("not a kiban backup repository");
        assertThat(FileTreeState.of(home)).isEqualTo(before);
    }

    @Test
    void theSourceItselfOrADirectoryInsideItIsRefused() {
        assertThatThrownBy(() -> copy(repo.resolve("packs"), false)).isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining("inside the other");
    }

    /** A local target whose {@code fault} may fail a put or spoil what is read back. */
    private static final class FaultyTarget implements CopyTarget {
        final LocalCopyTarget local;
        final java.util.function.Predicate<String> fullAt;
        final java.util.function.Predicate<String> spoilAt;

        FaultyTarget(LocalCopyTarget local, java.util.function.Predicate<String> fullAt,
                java.util.function.Predicate<String> spoilAt) {
            this.local = local;
            this.fullAt = fullAt;
            this.spoilAt = spoilAt;
        }

        @Override
        public String describe() {
            return local.describe();
        }

        @Override
        public Map<String, Long> list() throws IOException {
            return local.list();
        }

        @Override
        public boolean exists(String name) throws IOException {
            return local.exists(name);
        }

        @Override
        public boolean putIfAbsent(String name, byte[] content) throws IOException {
            if (fullAt.test(name)) throw new IOException(name + ": No space left on device");
            return local.putIfAbsent(name, content);
        }

        @Override
        public void discard(String name) throws IOException {
            local.discard(name);
        }

        @Override
        public java.io.InputStream read(String name) throws IOException {
            if (!spoilAt.test(name)) return local.read(name);
            byte[] b = local.read(name).readAllBytes();
            b[b.length / 2] ^= 1;
            return new java.io.ByteArrayInputStream(b);
        }

        @Override
        public void lock() throws IOException {
            local.lock();
        }

        @Override
        public void close() throws IOException {
            local.close();
        }
    }

    private void copyThrough(Path to, java.util.function.Predicate<String> fullAt,
            java.util.function.Predicate<String> spoilAt) throws IOException {
        try (BackupRepository source = BackupRepository.openExisting(repo, Optional.of(key));
                CopyTarget target = new FaultyTarget(LocalCopyTarget.open(to, repo), fullAt, spoilAt)) {
            RepositoryCopy.copy(source, target, false);
        }
    }

    @Test
    void aFullDestinationIsSaidSoAndLeftSoundAndOlder() throws IOException {
        Path to = dir.resolve("offsite");
        copyThrough(to, n -> false, n -> false);
        RepositoryFixtures.snapshot(repo, RepositoryFixtures.tree(dir.resolve("data4"), 4), Optional.of(key));
        sourceBefore = FileTreeState.of(repo);
        assertThatThrownBy(() -> copyThrough(to, n -> n.startsWith("index/"), n -> false))
                .isInstanceOf(CopyDiskFullException.class).hasMessageContaining("is full")
                .hasMessageContaining("run kiban backup copy again");
        assertThat(snapshots(to)).as("the copy is the older one").isEqualTo(3);
        assertThat(verify(to)).singleElement().asString().contains("1 unindexed packs");

        RepositoryCopy.Result r = copy(to, false);
        assertThat(r.packsCopied()).isZero();
        assertThat(r.indexesCopied()).isEqualTo(1);
        assertThat(r.snapshotsCopied()).isEqualTo(1);
        assertThat(verify(to)).isEmpty();
    }

    @Test
    void aPackThatDoesNotReadBackAsSentIsRemovedAndNothingReferringToItIsWritten() throws IOException {
        Path to = dir.resolve("offsite");
        assertThatThrownBy(() -> copyThrough(to, n -> false, n -> n.startsWith("packs/")))
                .hasMessageContaining("does not read back as sent");
        assertThat(RepositoryFixtures.packs(to)).isEmpty();
        assertThat(RepositoryFixtures.indexes(to)).isEmpty();
        assertThat(snapshots(to)).isZero();
        copy(to, false);
        assertThat(verify(to)).isEmpty();
    }
}
