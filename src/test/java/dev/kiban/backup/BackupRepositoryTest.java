package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository on a small volume tree: round trip, deduplication, damage, locking. */
class BackupRepositoryTest {
    @TempDir
    Path dir;
    Path volume;
    BackupRepository repo;

    @BeforeEach
    void aVolume() throws IOException {
        volume = dir.resolve("volumes/db_data");
        Files.createDirectories(volume.resolve("pg/base"));
        byte[] random = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(random);
        Files.write(volume.resolve("pg/base/16384"), random);
        Files.writeString(volume.resolve("pg/postgresql.conf"), "shared_buffers = 128MB\n".repeat(2000));
        Files.writeString(volume.resolve("empty"), "");
        Files.setPosixFilePermissions(volume.resolve("pg/postgresql.conf"),
                PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(volume.resolve("pg"), PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(volume.resolve("current"), Path.of("pg/base"));
        Files.createLink(volume.resolve("pg/base/16384.link"), volume.resolve("pg/base/16384"));
        Files.setLastModifiedTime(volume.resolve("pg/postgresql.conf"), FileTime.fromMillis(1_700_000_000_000L));
        repo = BackupRepository.open(dir.resolve("repo"), new Chunker(16 * 1024, 64 * 1024, 256 * 1024));
    }

    List<BackupRepository.Source> sources() {
        return List.of(new BackupRepository.Source("volume:db_data", volume));
    }

    /** Every path under a tree: type, mode, mtime (files), content or link target, and hard-link identity. */
    static TreeMap<String, String> describe(Path root) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p,
                        LinkOption.NOFOLLOW_LINKS));
                if (Files.isSymbolicLink(p)) out.put(rel, "link -> " + Files.readSymbolicLink(p));
                else if (Files.isDirectory(p)) out.put(rel, "dir " + mode);
                else out.put(rel, mode + " " + Files.getLastModifiedTime(p).toMillis() + " nlink="
                        + Files.getAttribute(p, "unix:nlink") + " "
                        + Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(Files.readAllBytes(p))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void restoresByteForByteWithMetadataLinksAndHardLinks() throws Exception {
        var xattr = Files.getFileAttributeView(volume.resolve("pg/postgresql.conf"),
                java.nio.file.attribute.UserDefinedFileAttributeView.class);
        xattr.write("kiban.origin", java.nio.ByteBuffer.wrap("db-1".getBytes(StandardCharsets.UTF_8)));
        Snapshot snap = repo.backup(sources());
        assertThat(snap.stats().files()).isEqualTo(3); // the hard link is recorded as a link, not a file
        Path target = dir.resolve("restored");
        repo.restore(repo.snapshot(snap.id()).trees().get(0), target);
        assertThat(describe(target)).isEqualTo(describe(volume));
        var restored = Files.getFileAttributeView(target.resolve("pg/postgresql.conf"),
                java.nio.file.attribute.UserDefinedFileAttributeView.class);
        java.nio.ByteBuffer value = java.nio.ByteBuffer.allocate(restored.size("kiban.origin"));
        restored.read("kiban.origin", value);
        assertThat(new String(value.array(), StandardCharsets.UTF_8)).as("user.kiban.origin came back")
                .isEqualTo("db-1");
    }

    @Test
    void aSecondRunWithoutChangesStoresNothingAndAChangedFileOnlyItself() throws Exception {
        Snapshot first = repo.backup(sources());
        assertThat(first.stats().chunksNew()).isPositive();
        Snapshot second = repo.backup(sources());
        assertThat(second.stats().chunksNew()).isZero();
        assertThat(second.stats().bytesRead()).as("unchanged files are not read again").isZero();
        assertThat(second.stats().filesUnchanged()).isEqualTo(3);

        Files.writeString(volume.resolve("pg/postgresql.conf"), "shared_buffers = 256MB\n");
        Snapshot third = repo.backup(sources());
        assertThat(third.stats().chunksNew()).isEqualTo(1);
        assertThat(third.stats().filesUnchanged()).isEqualTo(2);
        assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(first.id(), second.id(), third.id());
    }

    @Test
    void aChangedModeIsRecordedWithoutReadingTheContentAgain() throws Exception {
        repo.backup(sources());
        Files.setPosixFilePermissions(volume.resolve("pg/postgresql.conf"),
                PosixFilePermissions.fromString("rw-------"));
        Snapshot second = repo.backup(sources());
        assertThat(second.stats().bytesRead()).isZero();
        Snapshot.Entry conf = second.trees().get(0)
                .entries().stream().filter(e -> e.path().equals("pg/postgresql.conf")).findFirst().orElseThrow();
        assertThat(conf.mode()).isEqualTo(0600);
    }

    /** Flips a bit in the middle of the first chunk of {@code path} in its pack; returns that chunk's id. */
    String damageFirstChunkOf(Snapshot snap, String path) throws IOException {
        String chunk = snap.trees().get(0).entries().stream().filter(e -> e.path().equals(path))
                .findFirst().orElseThrow().chunks().get(0);
        ChunkStore.Location at;
        Path pack;
        try (ChunkStore store = new ChunkStore(repo.dir())) {
            at = store.locate(chunk).orElseThrow();
            pack = store.packPath(at.pack());
        }
        byte[] bytes = Files.readAllBytes(pack);
        bytes[(int) at.offset() + at.length() / 2] ^= 1;
        Files.write(pack, bytes);
        return chunk;
    }

    @Test
    void aReadDataSampleReadsTheDrawnPacksWholeAndLeavesTheOthersUnread() throws Exception {
        Snapshot snap = repo.backup(sources());
        String conf = damageFirstChunkOf(snap, "pg/postgresql.conf");
        assertThat(repo.verify(snap, DataSample.percent(0, new Random(1)))).as("0%: structure only").isEmpty();
        DataSample whole = DataSample.percent(100, new Random(1));
        assertThat(repo.verify(snap, whole)).as("100%: every pack").singleElement().asString()
                .contains("chunk " + conf + " is damaged");
        assertThat(whole.packsRead()).isPositive();
        // a 50% sample over many draws: sometimes the damaged pack, sometimes not, never a problem elsewhere
        int found = 0;
        Random random = new Random(7);
        for (int run = 0; run < 40; run++) {
            DataSample half = DataSample.percent(50, random);
            List<String> problems = repo.verify(snap, half);
            assertThat(half.packsRead()).isBetween(0, whole.packsRead());
            if (!problems.isEmpty()) found++;
        }
        assertThat(found).isBetween(1, 39);
        assertThatThrownBy(() -> DataSample.percent(101, new Random())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifyFindsAMissingOrDamagedChunkAndNamesTheFile() throws Exception {
        Snapshot snap = repo.backup(sources());
        assertThat(repo.verify(snap, true)).isEmpty();
        String conf = damageFirstChunkOf(snap, "pg/postgresql.conf");
        assertThat(repo.verify(snap, false)).as("structure only: the chunk is there").isEmpty();
        assertThat(repo.verify(snap,
                true)).singleElement().asString().startsWith("volume:db_data:pg/postgresql.conf: chunk " + conf
                + " is damaged");
        assertThatThrownBy(() -> repo.restore(snap.trees().get(0), dir.resolve("r2"))).isInstanceOf(IOException.class);
        ChunkStore.Location at;
        Path pack;
        try (ChunkStore store = new ChunkStore(repo.dir())) {
            at = store.locate(conf).orElseThrow();
            pack = store.packPath(at.pack());
        }
        Files.write(pack, java.util.Arrays.copyOf(Files.readAllBytes(pack), (int) at.offset()));
        assertThat(repo.verify(snap, false)).as("a pack cut short before the chunk").anySatisfy(p ->
                assertThat(p).startsWith("volume:db_data:pg/postgresql.conf: chunk " + conf + " is missing (its pack"));
    }

    @Test
    void aRunKilledBeforeItsSnapshotLeavesTheOthersAndTheNextRunCompletes() throws Exception {
        Snapshot first = repo.backup(sources());
        // What a killed run leaves: a flushed pack, an unflushed one, no snapshot (its kernel lock died with it).
        byte[] flushed = "flushed by a run that never finished".getBytes(StandardCharsets.UTF_8);
        byte[] orphan = "written by a run that never finished".getBytes(StandardCharsets.UTF_8);
        ChunkStore killed = new ChunkStore(repo.dir());
        killed.put(flushed, flushed.length);
        killed.flush();
        killed.put(orphan, orphan.length);
        assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(first.id());
        Snapshot next = repo.backup(sources());
        assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(first.id(), next.id());
        assertThat(repo.verify(first, true)).isEmpty();
        BackupRepository.Pruned pruned = repo.prune(new Retention(10, 0, 0, 0), false);
        assertThat(pruned.snapshots()).isEmpty();
        assertThat(pruned.chunks()).as("the killed run's indexed chunk").isEqualTo(1);
        try (ChunkStore after = new ChunkStore(repo.dir())) {
            assertThat(after.unindexedPacks()).as("the killed run's unflushed pack").isEmpty();
        }
        assertThat(repo.verify(first, true)).isEmpty();
        assertThat(repo.verify(next, true)).isEmpty();
    }

    @Test
    void pruneForgetsOldSnapshotsAndFreesOnlyTheirOwnChunks() throws Exception {
        Snapshot first = repo.backup(sources());
        Files.writeString(volume.resolve("pg/postgresql.conf"), "only in the second snapshot\n");
        Snapshot second = repo.backup(sources());
        Files.writeString(volume.resolve("pg/postgresql.conf"), "only in the third snapshot\n");
        Snapshot third = repo.backup(sources());
        BackupRepository.Pruned dry = repo.prune(new Retention(2, 0, 0, 0), true);
        assertThat(dry.snapshots()).containsExactly(first.id());
        assertThat(repo.snapshots()).hasSize(3);

        BackupRepository.Pruned pruned = repo.prune(new Retention(2, 0, 0, 0), false);
        assertThat(pruned.snapshots()).containsExactly(first.id());
        assertThat(pruned.chunks()).as("the first snapshot's postgresql.conf").isEqualTo(1);
        assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(second.id(), third.id());
        assertThat(repo.verify(second, true)).isEmpty();
        assertThat(repo.verify(third, true)).isEmpty();
        repo.restore(repo.snapshot(third.id()).trees().get(0), dir.resolve("after-prune"));
        assertThat(describe(dir.resolve("after-prune"))).isEqualTo(describe(volume));
    }

    @Test
    void aHeldLockIsRefusedAndFreedWhenReleased() throws Exception {
        try (RepositoryLock held = RepositoryLock.writer(repo.dir(), false)) {
            assertThatThrownBy(() -> repo.backup(sources())).hasMessageContaining("is in use by another kiban");
            assertThatThrownBy(() -> repo.prune(new Retention(1, 0, 0, 0), true))
                    .hasMessageContaining("is in use by another kiban");
        }
        try (RepositoryLock reader = RepositoryLock.reader(repo.dir())) {
            assertThat(repo.backup(sources()).id()).as("a run only adds: readers do not stop it").isNotEmpty();
            assertThatThrownBy(() -> repo.prune(new Retention(1, 0, 0, 0), true)).as("prune removes: readers stop it")
                    .hasMessageContaining("is in use by another kiban");
        }
        assertThat(repo.prune(new Retention(1, 0, 0, 0), true).snapshots()).isEmpty();
    }

    @Test
    void aForeignDirectoryIsNotTakenForARepository() throws Exception {
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("config.json"), "{\"version\": 2, \"id\": \"restic\"}");
        assertThatThrownBy(() -> BackupRepository.open(other)).hasMessageContaining("not a kiban backup repository");
    }

    @Test
    void anEncryptedRepositoryNeedsItsKeyAndKeepsNamesAndContentOffTheDisk() throws Exception {
        Path key = dir.resolve("keys/backup.key");
        Path at = dir.resolve("secret-repo");
        Snapshot snap;
        try (BackupRepository enc = BackupRepository.open(at, java.util.Optional.of(key),
                new Chunker(16 * 1024, 64 * 1024, 256 * 1024), 2)) {
            assertThat(enc.encrypted()).isTrue();
            snap = enc.backup(sources());
        }
        assertThat(key).exists();
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.walk(at)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(raw).as(f.toString()).doesNotContain("postgresql.conf").doesNotContain("shared_buffers");
            }
        }
        assertThatThrownBy(() -> BackupRepository.open(at)).hasMessageContaining("is encrypted: give its key file");
        Files.writeString(dir.resolve("wrong.key"), "another key of enough length");
        Files.setPosixFilePermissions(dir.resolve("wrong.key"), PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> BackupRepository.open(at, java.util.Optional.of(dir.resolve("wrong.key"))))
                .hasMessageContaining("does not open the repository");
        assertThatThrownBy(() -> BackupRepository.open(repo.dir(), java.util.Optional.of(key)))
                .hasMessageContaining("is not encrypted");
        try (BackupRepository again = BackupRepository.open(at, java.util.Optional.of(key))) {
            assertThat(again.verify(again.snapshot(snap.id()), true)).isEmpty();
            again.restore(again.snapshot(snap.id()).trees().get(0), dir.resolve("from-encrypted"));
        }
        assertThat(describe(dir.resolve("from-encrypted"))).isEqualTo(describe(volume));
    }

    @Test
    void theContainersComeBackEvenWhenTheCopyFailsAndNothingOfTheRunIsKept() throws Exception {
        Snapshot first = repo.backup(sources());
        List<String> calls = new java.util.ArrayList<>();
        BackupRepository.Quiesce recording = new BackupRepository.Quiesce() {
            @Override
            public void before(BackupRepository.Source source) {
                calls.add("stop " + source.name());
            }

            @Override
            public void after(BackupRepository.Source source) {
                calls.add("start " + source.name());
            }

            @Override
            public List<String> notes() {
                return List.of();
            }
        };
        byte[] fresh = new byte[300 * 1024];
        new Random(3).nextBytes(fresh);
        Files.write(volume.resolve("fresh"), fresh);
        List<BackupRepository.Source> twoThenBroken = List.of(sources().get(0),
                new BackupRepository.Source("volume:broken", dir.resolve("no-such-dir")));
        assertThatThrownBy(() -> repo.backup(twoThenBroken, List.of(), recording, List.of()))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThat(calls).containsExactly("stop volume:db_data", "start volume:db_data", "stop volume:broken",
                "start volume:broken");
        assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(first.id());
        try (ChunkStore store = new ChunkStore(repo.dir())) {
            assertThat(store.contains(ChunkStore.sha256(fresh, fresh.length))).as("the failed run's chunks are gone")
                    .isFalse();
            assertThat(store.unindexedPacks()).isEmpty();
        }
    }

    @Test
    void aRestoreNeverWritesOutsideItsTarget() throws Exception {
        Snapshot.Entry evil = new Snapshot.Entry("../escaped", Snapshot.Entry.Type.DIR, 0755, 0, 0, 0, 0, List.of(),
                "", 0);
        Snapshot.Tree tree = new Snapshot.Tree("volume:evil", "/x", List.of(evil));
        assertThatThrownBy(() -> repo.restore(tree, dir.resolve("target")))
                .hasMessageContaining("points outside the restore target");
        assertThat(dir.resolve("escaped")).doesNotExist();
    }
}
