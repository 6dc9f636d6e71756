package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkStoreTest {
    @TempDir
    Path repo;

    @Test
    void storesOnceAndReadsBackExactlyFromAPackAndItsIndex() throws Exception {
        byte[] text = "kiban ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        String id;
        try (ChunkStore store = new ChunkStore(repo)) {
            ChunkStore.Stored first = store.put(text, text.length);
            id = first.id();
            assertThat(id).isEqualTo(ChunkStore.sha256(text, text.length));
            assertThat(first.added()).isPositive().isLessThan(text.length / 10); // compressed
            assertThat(store.put(text, text.length).added()).as("deduplicated").isZero();
            store.flush();
        }
        try (ChunkStore reopened = new ChunkStore(repo)) {
            assertThat(reopened.get(id)).isEqualTo(text);
            String pack = reopened.locate(id).orElseThrow().pack();
            assertThat(reopened.packPath(pack)).exists();
            assertThat(reopened.indexPath(pack)).exists();
        }
    }

    @Test
    void manyChunksShareAFewPacks() throws Exception {
        try (ChunkStore store = new ChunkStore(repo)) {
            for (int i = 0; i < 500; i++) {
                byte[] b = ("chunk " + i).getBytes(StandardCharsets.UTF_8);
                store.put(b, b.length);
            }
            store.flush();
            assertThat(store.packs()).hasSize(1);
        }
        try (Stream<Path> files = Files.walk(repo)) {
            assertThat(files.filter(Files::isRegularFile)).as("one pack and its index, not 500 files").hasSize(2);
        }
    }

    @Test
    void onlyTheGivenLengthOfTheBufferIsStored() throws Exception {
        try (ChunkStore store = new ChunkStore(repo)) {
            byte[] buffer = "abcdefgh".getBytes(StandardCharsets.UTF_8);
            String id = store.put(buffer, 3).id();
            store.flush();
            assertThat(store.get(id)).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDamagedChunkIsReportedNotReturned() throws Exception {
        try (ChunkStore store = new ChunkStore(repo)) {
            byte[] data = "the data a restore must not get wrong".getBytes(StandardCharsets.UTF_8);
            String id = store.put(data, data.length).id();
            store.flush();
            ChunkStore.Location at = store.locate(id).orElseThrow();
            Path pack = store.packPath(at.pack());
            byte[] stored = Files.readAllBytes(pack);
            stored[(int) at.offset() + at.length() - 5] ^= 0x20;
            Files.write(pack, stored);
            assertThatThrownBy(() -> store.get(id)).isInstanceOf(CorruptChunkException.class)
                    .hasMessageStartingWith("chunk " + id + " is damaged:");
        }
    }

    @Test
    void whatWasNotFlushedIsNotThereAfterAKill() throws Exception {
        byte[] data = "stored by a run that was killed".getBytes(StandardCharsets.UTF_8);
        ChunkStore killed = new ChunkStore(repo);
        String id = killed.put(data, data.length).id(); // no flush: the process dies here
        try (ChunkStore next = new ChunkStore(repo)) {
            assertThat(next.contains(id)).isFalse();
            assertThat(next.unindexedPacks()).hasSize(1);
            assertThat(next.put(data, data.length).added()).as("stored again, not taken from the unindexed pack")
                    .isPositive();
        }
    }

    @Test
    void aDiscardedRunGivesBackItsPacksAndKeepsEarlierOnes() throws Exception {
        try (ChunkStore store = new ChunkStore(repo)) {
            byte[] kept = "from an earlier run".getBytes(StandardCharsets.UTF_8);
            String keptId = store.put(kept, kept.length).id();
            store.flush();
            store.startRun();
            byte[] big = new byte[(int) ChunkStore.PACK_TARGET + 1];
            new Random(1).nextBytes(big);
            String flushedId = store.put(big, big.length).id(); // fills a pack, which is flushed on its own
            byte[] last = "in the open pack".getBytes(StandardCharsets.UTF_8);
            String openId = store.put(last, last.length).id();
            assertThat(store.packs()).hasSize(3);
            store.discardRun();
            assertThat(store.contains(flushedId)).isFalse();
            assertThat(store.contains(openId)).isFalse();
            assertThat(store.get(keptId)).isEqualTo(kept);
            assertThat(store.unindexedPacks()).isEmpty();
            assertThat(store.packs()).hasSize(1);
        }
    }

    @Test
    void withAKeyNothingPlainReachesTheDiskAndAnotherKeyReadsNothing() throws Exception {
        RepositoryKey key = RepositoryKey.generate(repo.resolve("key"));
        byte[] secret = "password=hunter2 ".repeat(100).getBytes(StandardCharsets.UTF_8);
        String id;
        try (ChunkStore store = new ChunkStore(repo.resolve("r"), key)) {
            id = store.put(secret, secret.length).id();
            store.flush();
            String pack = store.locate(id).orElseThrow().pack();
            assertThat(new String(Files.readAllBytes(store.packPath(pack)), StandardCharsets.ISO_8859_1))
                    .doesNotContain("hunter2");
            assertThat(new String(Files.readAllBytes(store.indexPath(pack)), StandardCharsets.ISO_8859_1))
                    .doesNotContain("kidx");
        }
        try (ChunkStore again = new ChunkStore(repo.resolve("r"), RepositoryKey.read(repo.resolve("key")))) {
            assertThat(again.get(id)).isEqualTo(secret);
        }
        RepositoryKey other = RepositoryKey.generate(repo.resolve("other"));
        // damage stays local: the index is listed as damaged
        try (ChunkStore wrong = new ChunkStore(repo.resolve("r"), other)) {
            assertThat(wrong.damagedIndexes().values()).singleElement().asString().contains("does not decrypt");
            assertThat(wrong.contains(id)).isFalse();
        }
        assertThat(Files.getPosixFilePermissions(repo.resolve("key")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void idsAreCheckedBeforeTheyBecomePaths() throws Exception {
        try (ChunkStore store = new ChunkStore(repo)) {
            assertThatThrownBy(() -> store.get("../../etc/passwd")).hasMessageContaining("not a chunk id");
            assertThatThrownBy(() -> store.get("a".repeat(64))).isInstanceOf(NoSuchFileException.class);
        }
    }

    @Test
    void anEncryptedPacksHeadersAreSealedOfOneSizeAndHideTheChunkIdYetTheScanFindsEveryBlob() throws Exception {
        RepositoryKey key = RepositoryKey.generate(repo.resolve("key"));
        java.util.List<String> ids = new java.util.ArrayList<>();
        String pack;
        long blobs = 0;
        try (ChunkStore store = new ChunkStore(repo.resolve("r"), key)) {
            for (int i = 0; i < 3; i++) {
                byte[] b = ("chunk number " + i + " ").repeat(100 + i * 50).getBytes(StandardCharsets.UTF_8);
                ChunkStore.Stored s = store.put(b, b.length);
                ids.add(s.id());
                blobs += s.added();
            }
            store.flush();
            pack = store.locate(ids.get(0)).orElseThrow().pack();
            byte[] bytes = Files.readAllBytes(store.packPath(pack));
            assertThat(bytes.length).as("magic, then one 68-byte header per blob")
                    .isEqualTo(ChunkStore.PACK_MAGIC.length + 3L * ChunkStore.HEADER_SEALED + blobs);
            String raw = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String id : ids) {
                assertThat(raw).doesNotContain(id).doesNotContain(new String(java.util.HexFormat.of().parseHex(id),
                        StandardCharsets.ISO_8859_1));
            }
            ChunkStore.Scan scan = store.scan(pack);
            assertThat(scan.headers()).isTrue();
            assertThat(scan.problem()).isEmpty();
            assertThat(scan.blobs()).containsOnlyKeys(ids);
            for (String id : ids) {
                assertThat(scan.blobs().get(id)).as("the index and the scan agree")
                        .isEqualTo(store.locate(id).orElseThrow());
            }
        }
        RepositoryKey other = RepositoryKey.generate(repo.resolve("other"));
        try (ChunkStore wrong = new ChunkStore(repo.resolve("r"), other)) {
            assertThat(wrong.scan(pack).blobs()).as("another key reads no header").isEmpty();
        }
    }

    @Test
    void aScanSkipsADamagedBlobBehindASoundHeaderAndStopsAtADamagedHeader() throws Exception {
        java.util.List<String> ids = new java.util.ArrayList<>();
        String pack;
        try (ChunkStore store = new ChunkStore(repo)) {
            for (int i = 0; i < 3; i++) {
                byte[] b = ("plain chunk " + i).repeat(40).getBytes(StandardCharsets.UTF_8);
                ids.add(store.put(b, b.length).id());
            }
            store.flush();
            pack = store.locate(ids.get(0)).orElseThrow().pack();
            Path file = store.packPath(pack);
            byte[] bytes = Files.readAllBytes(file);
            ChunkStore.Location second = store.locate(ids.get(1)).orElseThrow();
            bytes[(int) second.offset() + 2] ^= 0x55;
            Files.write(file, bytes);
            assertThat(store.scan(pack).blobs()).containsOnlyKeys(ids.get(0), ids.get(2));
            ChunkStore.Location third = store.locate(ids.get(2)).orElseThrow();
            bytes[(int) third.offset() - 10] ^= 0x55; // inside the third header: its CRC no longer matches
            Files.write(file, bytes);
            ChunkStore.Scan scan = store.scan(pack);
            assertThat(scan.blobs()).containsOnlyKeys(ids.get(0));
            assertThat(scan.problem()).hasValueSatisfying(p -> assertThat(p).contains("header").contains("damaged"));
        }
    }

    @Test
    void aPackOfThePreviousReleaseHasNoHeadersToScanButReadsThroughItsIndex() throws Exception {
        byte[] data = "written by the previous release".repeat(20).getBytes(StandardCharsets.UTF_8);
        String id;
        try (ChunkStore store = new ChunkStore(repo)) {
            id = store.put(data, data.length).id();
            store.flush();
        }
        RepositoryFixtures.toOldFormat(repo);
        try (ChunkStore store = new ChunkStore(repo)) {
            assertThat(store.get(id)).isEqualTo(data);
            assertThat(store.scan(store.locate(id).orElseThrow().pack()).headers()).isFalse();
        }
    }

    @Test
    void readersInUseAreNeverClosedToMakeRoomAndIdleOnesAre() throws Exception {
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (ChunkStore store = new ChunkStore(repo)) {
            for (int i = 0; i < ChunkStore.MAX_READERS * 2; i++) {
                byte[] data = ("pack " + i + " ").repeat(100).getBytes(StandardCharsets.UTF_8);
                ids.add(store.put(data, data.length).id());
                store.flush(); // one pack each
            }
        }
        try (ChunkStore store = new ChunkStore(repo)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                java.util.List<java.util.concurrent.Future<Integer>> readers = new java.util.ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    long seed = t;
                    readers.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        for (int n = 0; n < 3000; n++) {
                            int i = random.nextInt(ids.size());
                            assertThat(new String(store.get(ids.get(i)), StandardCharsets.UTF_8))
                                    .startsWith("pack " + i + " ");
                        }
                        return 3000;
                    }));
                }
                for (var f : readers) assertThat(f.get()).isEqualTo(3000); // no read met a channel closed under it
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.openReaders()).isLessThanOrEqualTo(ChunkStore.MAX_READERS);
        }
    }
}
