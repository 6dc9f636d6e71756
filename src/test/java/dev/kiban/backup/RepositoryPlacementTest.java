package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a repository and its key lie relative to what is backed up and restored: a restore never replaces
 * them, a run never backs them up into themselves, a linked repository path or source root is resolved
 * once, and two first runs create one key.
 */
class RepositoryPlacementTest {
    @TempDir
    Path dir;

    private Snapshot.Tree onlyTree(Path repo, String id, Optional<Path> key) throws Exception {
        try (BackupRepository r = BackupRepository.openExisting(repo, key)) {
            return r.snapshot(id).trees().get(0);
        }
    }

    @Test
    void aRestoreOverTheDirectoryHoldingTheRepositoryIsRefusedAndDeletesNothing() throws Exception {
        Path data = RepositoryFixtures.tree(dir.resolve("data"), 1);
        Path repo = data.resolve("sub/repo");
        String id = RepositoryFixtures.snapshot(repo, dir.resolve(RepositoryFixtures.tree(dir.resolve("other"), 2)),
                Optional.empty());
        Snapshot.Tree tree = onlyTree(repo, id, Optional.empty());
        try (BackupRepository r = BackupRepository.openExisting(repo, Optional.empty())) {
            for (Path dest : List.of(data, data.resolve("sub"), repo)) {
                assertThatThrownBy(() -> r.restore(tree, dest)).isInstanceOf(RepositoryUsageException.class)
                        .hasMessageContaining("refused: the restore destination " + dest);
            }
            assertThatThrownBy(() -> r.restore(tree, repo.resolve("snapshots")))
                    .isInstanceOf(RepositoryUsageException.class)
                    .hasMessageContaining("lies inside the backup repository");
        }
        assertThat(RepositoryFixtures.snapshotFile(repo, id)).isRegularFile();
        assertThat(data.resolve("notes.txt")).isRegularFile();
    }

    @Test
    void aRestoreOverTheDirectoryHoldingTheKeyFileIsRefused() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("etc/kiban"));
        Path key = keys.resolve("backup.key");
        Path repo = dir.resolve("repo");
        String id = RepositoryFixtures.snapshot(repo, RepositoryFixtures.tree(dir.resolve("data"), 3),
                Optional.of(key));
        Snapshot.Tree tree = onlyTree(repo, id, Optional.of(key));
        String keyText = Files.readString(key);
        try (BackupRepository r = BackupRepository.openExisting(repo, Optional.of(key))) {
            assertThatThrownBy(() -> r.restore(tree, dir.resolve("etc"))).isInstanceOf(RepositoryUsageException.class)
                    .hasMessageContaining("holds the repository's key file")
                    .hasMessageNotContaining(keyText);
            r.restore(tree, dir.resolve("elsewhere")); // the key's sibling directories are fine
        }
        assertThat(Files.readString(key)).isEqualTo(keyText);
    }

    @Test
    void aRunLeavesTheRepositoryAndItsKeyOutOfASourceThatHoldsThem() throws Exception {
        Path data = RepositoryFixtures.tree(dir.resolve("data"), 4);
        Path key = RepositoryFixtures.keyFile(data.resolve("backup.key"), "rw-------");
        Path repo = data.resolve("repo");
        try (BackupRepository r = BackupRepository.open(repo, Optional.of(key), RepositoryFixtures.smallChunks(), 2)) {
            Snapshot s = r.backup(List.of(new BackupRepository.Source("path:data", data)));
            List<String> paths = s.trees().get(0).entries().stream().map(Snapshot.Entry::path).toList();
            assertThat(paths).contains("notes.txt", "sub/blob.bin").doesNotContain("repo", "backup.key")
                    .noneMatch(p -> p.startsWith("repo/"));
            assertThat(s.notes()).anyMatch(n -> n.contains("the backup repository itself"))
                    .anyMatch(n -> n.contains("the repository's key file"));
            Path inside = repo.resolve("snapshots");
            assertThatThrownBy(() -> r.backup(List.of(new BackupRepository.Source("path:x", inside))))
                    .isInstanceOf(RepositoryUsageException.class)
                    .hasMessageContaining("lies inside the backup repository");
        }
    }

    @Test
    void aNewRepositoryThroughTheOperatorsSymlinkIsCreatedAtItsTarget() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        Path link = Files.createSymbolicLink(dir.resolve("backups"), disk);
        Path key = dir.resolve("new.key");
        String id = RepositoryFixtures.snapshot(link.resolve("repo"), RepositoryFixtures.tree(dir.resolve("d"), 5),
                Optional.of(key));
        assertThat(disk.resolve("repo/config.json")).isRegularFile();
        assertThat(RepositoryFixtures.snapshotFile(disk.resolve("repo"), id)).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        // a link to the repository's own (empty, new) directory, and to an existing repository
        Path fresh = Files.createSymbolicLink(dir.resolve("fresh"), Files.createDirectories(disk.resolve("fresh")));
        RepositoryFixtures.snapshot(fresh, dir.resolve("d"), Optional.empty());
        assertThat(disk.resolve("fresh/config.json")).isRegularFile();
        Path direct = Files.createSymbolicLink(dir.resolve("direct"), disk.resolve("repo"));
        RepositoryFixtures.snapshot(direct, dir.resolve("d"), Optional.of(key));
    }

    @Test
    void aSourceWhoseRootIsASymlinkIsBackedUpFromItsTarget() throws Exception {
        Path data = RepositoryFixtures.tree(dir.resolve("mnt/volume"), 6);
        Path mountpoint = Files.createSymbolicLink(dir.resolve("mountpoint"), data);
        Files.createSymbolicLink(data.resolve("inner"), Path.of("sub"));
        try (BackupRepository r = BackupRepository.open(dir.resolve("repo"), RepositoryFixtures.smallChunks())) {
            Snapshot s = r.backup(List.of(new BackupRepository.Source("volume:v", mountpoint)));
            Snapshot.Tree t = s.trees().get(0);
            assertThat(t.path()).isEqualTo(mountpoint.toString());
            assertThat(t.entries()).extracting(Snapshot.Entry::path).contains(".", "notes.txt", "sub/blob.bin");
            assertThat(t.entries()).filteredOn(e -> e.path().equals("inner")).singleElement()
                    .extracting(Snapshot.Entry::type).isEqualTo(Snapshot.Entry.Type.SYMLINK);
            r.restore(t, dir.resolve("back"));
        }
        assertThat(Files.readString(dir.resolve("back/notes.txt")))
                .isEqualTo(Files.readString(data.resolve("notes.txt")));
    }

    @Test
    void twoFirstRunsAtOnceCreateOneKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 15; round++) {
                Path repo = dir.resolve("race" + round + "/repo");
                Files.createDirectories(repo.getParent());
                Path key = repo.getParent().resolve("k.key");
                CyclicBarrier start = new CyclicBarrier(6);
                List<Future<String>> runs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    runs.add(pool.submit(() -> {
                        start.await();
                        try (BackupRepository r = BackupRepository.open(repo, Optional.of(key))) {
                            return "opened";
                        } catch (java.io.IOException | RuntimeException e) {
                            return String.valueOf(e.getMessage());
                        }
                    }));
                }
                List<String> outcomes = new ArrayList<>();
                for (Future<String> f : runs) outcomes.add(f.get());
                assertThat(outcomes).as("round %d", round).contains("opened")
                        .allMatch(o -> o.equals("opened") || o.contains("is in use by another kiban"));
                try (BackupRepository r = BackupRepository.openExisting(repo, Optional.of(key))) {
                    assertThat(r.encrypted()).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
