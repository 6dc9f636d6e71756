package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prune and repair never lose referenced data; a damaged index or snapshot spoils only what it covers. */
class RepositoryDamageTest {
    @TempDir
    Path dir;
    Path repo;
    Path data;
    String first;

    @BeforeEach
    void aRepositoryWithOneSnapshot() throws Exception {
        repo = dir.resolve("repo");
        data = RepositoryFixtures.tree(dir.resolve("data"), 1);
        first = RepositoryFixtures.snapshot(repo, data, Optional.empty());
    }

    private BackupRepository open() throws Exception {
        return BackupRepository.openExisting(repo, Optional.empty());
    }

    private void assertRestoresExactly(BackupRepository r, String id) throws Exception {
        Path target = dir.resolve("restored-" + System.nanoTime());
        r.restore(r.snapshot(id).trees().get(0), target);
        assertThat(TreeListing.of(target)).isEqualTo(TreeListing.of(data));
    }

    @Test
    void pruneAfterADeletedIndexReindexesThePackFromItsHeadersAndTheDataStillRestores() throws Exception {
        List<Path> packs = RepositoryFixtures.packs(repo);
        RepositoryFixtures.deleteIndexes(repo);
        try (BackupRepository r = open()) {
            assertThat(r.verify(r.snapshot(first), false)).as("unindexed: missing until re-indexed").isNotEmpty();
            BackupRepository.Pruned pruned = r.prune(new Retention(10, 0, 0, 0), false);
            assertThat(pruned.reindexed()).hasSize(packs.size());
            assertThat(pruned.missing()).isEmpty();
            assertThat(RepositoryFixtures.packs(repo)).isEqualTo(packs);
            assertThat(r.verify(r.snapshot(first), true)).isEmpty();
            assertRestoresExactly(r, first);
        }
    }

    @Test
    void anEncryptedRepositoryIsReindexedFromItsSealedHeadersToo() throws Exception {
        Path key = RepositoryFixtures.keyFile(dir.resolve("keys/backup.key"), "rw-------");
        Path enc = dir.resolve("enc");
        String id = RepositoryFixtures.snapshot(enc, data, Optional.of(key));
        List<Path> packs = RepositoryFixtures.packs(enc);
        RepositoryFixtures.deleteIndexes(enc);
        try (BackupRepository r = BackupRepository.openExisting(enc, Optional.of(key))) {
            assertThat(r.prune(new Retention(10, 0, 0, 0), false).reindexed()).hasSize(packs.size());
            assertThat(RepositoryFixtures.packs(enc)).isEqualTo(packs);
            assertThat(r.verify(r.snapshot(id), true)).isEmpty();
            assertRestoresExactly(r, id);
        }
    }

    @Test
    void pruneAfterAKilledRunRemovesItsUnindexedPackAndNothingElse() throws Exception {
        List<Path> packs = RepositoryFixtures.packs(repo);
        Path killed = RepositoryFixtures.killedRunPack(repo, Optional.empty(), "a chunk of a run that was killed");
        // cut in the middle of a header
        Files.write(killed, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        try (BackupRepository r = open()) {
            BackupRepository.Pruned pruned = r.prune(new Retention(10, 0, 0, 0), false);
            assertThat(pruned.reindexed()).isEmpty();
            assertThat(pruned.missing()).isEmpty();
            assertThat(killed).doesNotExist();
            assertThat(RepositoryFixtures.packs(repo)).isEqualTo(packs);
            assertRestoresExactly(r, first);
        }
    }

    @Test
    void anOldFormatPackWithoutIndexThatAKeptSnapshotNeedsMakesPruneRefuseAndNothingIsDeleted() throws Exception {
        RepositoryFixtures.toOldFormat(repo);
        try (BackupRepository r = open()) {
            assertThat(r.verify(r.snapshot(first), true)).as("the previous release's packs read through their indexes")
                    .isEmpty();
        }
        List<Path> packs = RepositoryFixtures.packs(repo);
        RepositoryFixtures.deleteIndexes(repo);
        try (BackupRepository r = open()) {
            assertThatThrownBy(() -> r.prune(new Retention(10, 0, 0, 0), false)).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("prune removed nothing").hasMessageContaining("kiban backup repair")
                    .hasMessageContaining("snapshot " + first).hasMessageContaining("path:data:notes.txt")
                    .hasMessageContaining(packs.get(0).getFileName().toString());
            assertThat(RepositoryFixtures.packs(repo)).isEqualTo(packs);
            assertThat(r.snapshots()).extracting(Snapshot::id).containsExactly(first);
            BackupRepository.Repaired repaired = r.repair(false);
            assertThat(repaired.unrecoverable()).singleElement().asString().contains("cannot be re-indexed");
            assertThat(repaired.missing()).singleElement().asString().startsWith("snapshot " + first);
            assertThat(RepositoryFixtures.packs(repo)).as("repair deletes nothing").isEqualTo(packs);
        }
    }

    @Test
    void anUnindexedPackWhoseFirstHeaderIsDamagedIsKeptWhileASnapshotMissesData() throws Exception {
        Path pack = RepositoryFixtures.packs(repo).get(0);
        RepositoryFixtures.deleteIndexes(repo);
        byte[] bytes = Files.readAllBytes(pack);
        bytes[ChunkStore.PACK_MAGIC.length + 10] ^= 0x40; // inside the first blob's header: its CRC fails
        Files.write(pack, bytes);
        try (BackupRepository r = open()) {
            assertThatThrownBy(() -> r.prune(new Retention(10, 0, 0, 0), false))
                    .hasMessageContaining("prune removed nothing").hasMessageContaining("cannot be scanned whole");
            assertThat(Files.readAllBytes(pack)).isEqualTo(bytes);
            BackupRepository.Repaired repaired = r.repair(false);
            assertThat(repaired.unrecoverable()).anySatisfy(u -> assertThat(u).contains("header").contains("kept"));
            assertThat(repaired.missing()).isNotEmpty();
            assertThat(Files.readAllBytes(pack)).isEqualTo(bytes);
        }
    }

    @Test
    void anOldFormatPackWithoutIndexThatNothingNeedsIsRemoved() throws Exception {
        RepositoryFixtures.toOldFormat(repo);
        Path killed = RepositoryFixtures.killedRunPack(repo, Optional.empty(), "an old release's killed run");
        byte[] bytes = Files.readAllBytes(killed);
        Files.write(killed, java.util.Arrays.copyOfRange(bytes, ChunkStore.PACK_MAGIC.length + ChunkStore.HEADER_PLAIN,
                bytes.length));
        try (BackupRepository r = open()) {
            r.prune(new Retention(10, 0, 0, 0), false);
            assertThat(killed).doesNotExist();
            assertRestoresExactly(r, first);
        }
    }

    @Test
    void aDamagedIndexSpoilsOnlyItsPackARunStoresItsChunksAgainAndRepairReindexes() throws Exception {
        RepositoryFixtures.truncateIndexes(repo);
        try (BackupRepository r = open()) {
            assertThat(r.snapshots()).extracting(Snapshot::id).containsExactly(first);
            assertThat(r.damage()).singleElement().asString().contains("is damaged");
            Snapshot second = r.backup(List.of(new BackupRepository.Source("path:data", data)));
            assertThat(second.stats().chunksNew()).as("stored again: their index is unreadable").isPositive();
            assertRestoresExactly(r, second.id());

            BackupRepository.Repaired dry = r.repair(true);
            assertThat(dry.actions()).anySatisfy(a -> assertThat(a).startsWith("would move the damaged index"));
            assertThat(r.damage()).as("a dry run changes nothing").hasSize(1);
            BackupRepository.Repaired repaired = r.repair(false);
            assertThat(repaired.actions()).anySatisfy(a -> assertThat(a).startsWith("re-indexed pack"));
            assertThat(repaired.missing()).isEmpty();
            assertThat(r.damage()).isEmpty();
            assertThat(repo.resolve("damaged")).isDirectory();
            assertThat(r.verify(r.snapshot(first), true)).isEmpty();
            assertRestoresExactly(r, first);
            r.prune(new Retention(10, 0, 0, 0), false);
            assertThat(r.verify(r.snapshot(first), true)).isEmpty();
            assertThat(r.verify(r.snapshot(second.id()), true)).isEmpty();
        }
    }

    @Test
    void aDamagedSnapshotIsListedAsSuchTheOthersStillRestoreAndRepairMovesItAside() throws Exception {
        Files.writeString(data.resolve("notes.txt"), "changed\n");
        String second = RepositoryFixtures.snapshot(repo, data, Optional.empty());
        RepositoryFixtures.garbage(RepositoryFixtures.snapshotFile(repo, first), 5);
        try (BackupRepository r = open()) {
            SnapshotStore.Catalog c = r.catalog();
            assertThat(c.snapshots()).extracting(Snapshot::id).containsExactly(second);
            assertThat(c.damaged()).singleElement().satisfies(d -> assertThat(d.id()).isEqualTo(first));
            assertRestoresExactly(r, second);
            assertThatThrownBy(() -> r.snapshot(first)).hasMessageContaining("is damaged")
                    .hasMessageContaining("kiban backup repair");
            assertThatThrownBy(() -> r.snapshot("nope")).isInstanceOf(RepositoryUsageException.class)
                    .hasMessageContaining("no snapshot nope");
            Snapshot third = r.backup(List.of(new BackupRepository.Source("path:data", data)));
            assertThat(third.stats().filesUnchanged()).as("the newest sound snapshot is the previous one").isEqualTo(2);
            List<Path> packs = RepositoryFixtures.packs(repo);
            assertThatThrownBy(() -> r.prune(new Retention(1, 0, 0, 0), false))
                    .hasMessageContaining("prune removed nothing")
                    .hasMessageContaining(first).hasMessageContaining("kiban backup repair");
            assertThat(RepositoryFixtures.packs(repo)).isEqualTo(packs);
            assertThat(r.snapshots()).hasSize(2);

            BackupRepository.Repaired repaired = r.repair(false);
            assertThat(repaired.actions()).singleElement().asString().startsWith("moved the damaged snapshot " + first);
            assertThat(repaired.missing()).isEmpty();
            assertThat(r.catalog().damaged()).isEmpty();
            try (var moved = Files.walk(repo.resolve("damaged"))) {
                assertThat(moved.filter(p -> p.getFileName().toString().equals(first + ".json"))).hasSize(1);
            }
            r.prune(new Retention(1, 0, 0, 0), false);
            assertThat(r.snapshots()).extracting(Snapshot::id).containsExactly(third.id());
            assertRestoresExactly(r, third.id());
        }
    }

    @Test
    void aSnapshotOfInvalidJsonOrThatNamesAnotherIdIsDamagedNotFollowed() throws Exception {
        RepositoryFixtures.write(repo.resolve("snapshots/20200101T000000Z-1.json"),
                "{\"id\": \"20200101T000000Z-1\", \"trees\": [");
        RepositoryFixtures.write(repo.resolve("snapshots/20200101T000000Z-2.json"),
                "{\"id\": \"../config\", \"time\": \"2020-01-01T00:00:00Z\", \"host\": \"h\", \"trees\": [], "
                        + "\"stats\": {}}");
        try (BackupRepository r = open()) {
            assertThat(r.catalog().damaged()).extracting(SnapshotStore.DamagedSnapshot::reason)
                    .anySatisfy(m -> assertThat(m).contains("invalid JSON"))
                    .anySatisfy(m -> assertThat(m).contains("names itself ../config"));
            assertThat(r.snapshots()).extracting(Snapshot::id).containsExactly(first);
            r.repair(false);
            assertThat(repo.resolve("config.json")).exists();
        }
    }

    @Test
    void readersCreateNothingOnAPathThatIsNoRepository() throws Exception {
        Path typo = dir.resolve("no-such/repo");
        assertThatThrownBy(() -> BackupRepository.openExisting(typo, Optional.of(dir.resolve("k"))))
                .isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining("not a kiban backup repository: " + typo)
                .hasMessageContaining("check -r / backup.repository");
        assertThat(dir.resolve("no-such")).doesNotExist();
        assertThat(dir.resolve("k")).doesNotExist();
        assertThatThrownBy(() -> BackupRepository.open(typo)).hasMessageContaining("is the backup disk mounted");
        assertThat(dir.resolve("no-such")).doesNotExist();
    }

    @Test
    void twoWritersExcludeEachOtherAndTheLockIsFreeOnceReleased() throws Exception {
        try (RepositoryLock one = RepositoryLock.writer(repo, false)) {
            assertThatThrownBy(() -> RepositoryLock.writer(repo, false))
                    .hasMessageContaining("is in use by another kiban");
            try (RepositoryLock reader = RepositoryLock.reader(repo)) {
                assertThat(reader).as("a run only adds; a reader may read on").isNotNull();
            }
        }
        try (RepositoryLock pruner = RepositoryLock.writer(repo, true)) {
            assertThatThrownBy(() -> RepositoryLock.reader(repo)).hasMessageContaining("a prune or repair is running");
        }
        try (RepositoryLock again = RepositoryLock.writer(repo, true)) {
            assertThat(repo.resolve(RepositoryLock.FILE)).isRegularFile();
        }
    }

    @Test
    void aKeyFileOthersCanReadIsALinkOrNotAFileIsRefused() throws Exception {
        Path loose = RepositoryFixtures.keyFile(dir.resolve("keys/loose.key"), "rw-r--r--");
        assertThatThrownBy(() -> RepositoryKey.read(loose)).isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining(loose.toString())
                .hasMessageContaining("chmod 600");
        Path good = RepositoryFixtures.keyFile(dir.resolve("keys/good.key"), "rw-------");
        Path link = Files.createSymbolicLink(dir.resolve("keys/link.key"), good);
        assertThatThrownBy(() -> RepositoryKey.read(link)).isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> RepositoryKey.read(dir.resolve("keys"))).isInstanceOf(RepositoryUsageException.class)
                .hasMessageContaining("not a regular file");
        assertThat(RepositoryKey.read(good)).isNotNull();
    }
}
