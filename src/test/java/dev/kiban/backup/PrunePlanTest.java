package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.backup.Snapshot.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The prune plan alone: facts in, steps out, nothing read or written. */
class PrunePlanTest {
    private static final Retention KEEP_LAST = new Retention(1, 0, 0, 0);
    private static final Retention KEEP_ALL = new Retention(10, 0, 0, 0);

    /** What a test says the repository holds; {@link #facts} turns it into prune's facts. */
    private final List<Snapshot> snapshots = new ArrayList<>();
    private final List<String> damaged = new ArrayList<>();
    private Set<String> unreadableIndexes = Set.of();
    private final Map<String, List<String>> indexed = new LinkedHashMap<>();
    private final Map<String, ChunkStore.Location> locations = new LinkedHashMap<>();
    private Set<String> packsGone = Set.of();
    private final Map<String, PrunePlan.Unindexed> unindexed = new LinkedHashMap<>();

    private void snapshot(String id, int hour, String... chunks) {
        Entry file = new Entry("f", Entry.Type.FILE, 0600, 0, 0, 0, chunks.length, List.of(chunks), "", 0);
        snapshots.add(new Snapshot(id, String.format("2026-12-01T%02d:00:00Z", hour), "h",
                List.of(new Snapshot.Tree("path:/data", "/data", List.of(file))), new Snapshot.Stats(0, 0, 0, 0, 0, 0),
                List.of()));
    }

    /** An indexed pack whose chunks each take {@code length} bytes. */
    private void pack(String pack, int length, String... chunks) {
        indexed.put(pack, List.of(chunks));
        long at = 8;
        for (String c : chunks) {
            locations.put(c, new ChunkStore.Location(pack, at, length, length));
            at += length;
        }
    }

    private void unindexedPack(String pack, boolean whole, long size, String... chunks) {
        Map<String, ChunkStore.Location> blobs = new LinkedHashMap<>();
        for (String c : chunks) blobs.put(c, new ChunkStore.Location(pack, 8, 100, 100));
        unindexed.put(pack, new PrunePlan.Unindexed(blobs, whole, size));
    }

    private PrunePlan plan(Retention retention) throws IOException {
        return PrunePlan.of(new PrunePlan.Facts(Path.of("/backup/repo"), snapshots, damaged, unreadableIndexes,
                indexed, locations, packsGone, unindexed), retention);
    }

    @Test
    void packsKeptSnapshotsUseAreKeptAndTheRestIsDeletedOrRepacked() throws Exception {
        snapshot("s1", 1, "a", "b", "d");
        snapshot("s2", 2, "b", "c");
        pack("only-forgotten", 100, "a");
        pack("all-kept", 100, "b", "c");
        pack("mostly-kept", 100, "c", "d"); // half unused: worth rewriting
        PrunePlan plan = plan(KEEP_LAST);
        assertThat(plan.forget()).containsExactly("s1");
        assertThat(plan.deletePacks()).containsExactly("only-forgotten");
        assertThat(plan.repack()).containsExactly(Map.entry("mostly-kept", List.of("c")));
        assertThat(plan.reindex()).isEmpty();
        assertThat(plan.deleteUnindexed()).isEmpty();
        assertThat(plan.chunks()).isEqualTo(2);
        assertThat(plan.bytes()).isEqualTo(200);
        assertThat(plan.missing()).isEmpty();
        assertThat(plan.steps()).containsExactly("forget snapshot s1",
                "delete pack only-forgotten: no kept snapshot uses its chunks",
                "repack pack mostly-kept, keeping 1 chunk that kept snapshots use");
    }

    @Test
    void keepingEverySnapshotPlansNothing() throws Exception {
        snapshot("s1", 1, "a");
        snapshot("s2", 2, "a", "b");
        pack("p", 100, "a", "b");
        PrunePlan plan = plan(KEEP_ALL);
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.chunks()).isZero();
        assertThat(plan.bytes()).isZero();
    }

    @Test
    void aLargePackWithLittleUnusedIsLeftAsItIs() throws Exception {
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < 20; i++) chunks.add("k" + i);
        snapshot("s1", 1, "k0");
        snapshot("s2", 2, chunks.subList(1, 20).toArray(String[]::new));
        pack("big", (int) (ChunkStore.PACK_TARGET / 16), chunks.toArray(String[]::new)); // a twentieth unused
        PrunePlan plan = plan(KEEP_LAST);
        assertThat(plan.forget()).containsExactly("s1");
        assertThat(plan.repack()).isEmpty();
        assertThat(plan.chunks()).isZero();
    }

    @Test
    void anUnindexedPackAKeptSnapshotNeedsIsReindexedNotDeleted() throws Exception {
        snapshot("s1", 1, "a", "c");
        pack("p", 100, "a");
        unindexedPack("lost-index", true, 4096, "c", "x");
        unindexedPack("killed-run", true, 512, "y");
        PrunePlan plan = plan(KEEP_ALL);
        assertThat(plan.reindex()).containsExactly("lost-index");
        assertThat(plan.deleteUnindexed()).containsExactly("killed-run");
        assertThat(plan.missing()).isEmpty();
        assertThat(plan.repack()).as("x is unused, and once re-indexed the pack is rewritten without it")
                .containsExactly(Map.entry("lost-index", List.of("c")));
        assertThat(plan.bytes()).as("the killed run's pack and x").isEqualTo(512 + 100);
        assertThat(plan.steps()).contains(
                "re-index pack lost-index from its blob headers: a kept snapshot needs its chunks",
                "delete pack killed-run: it has no index and no kept snapshot needs it");
    }

    @Test
    void aPartlyScannedPackThatIsReindexedIsNotRepacked() throws Exception {
        snapshot("s1", 1, "c");
        unindexedPack("damaged-header", false, 4096, "c", "x");
        PrunePlan plan = plan(KEEP_ALL);
        assertThat(plan.reindex()).containsExactly("damaged-header");
        assertThat(plan.repack()).isEmpty();
        assertThat(plan.deleteUnindexed()).isEmpty();
    }

    @Test
    void aPackThatCannotBeScannedWhileAKeptSnapshotMissesAChunkIsARefusal() throws Exception {
        snapshot("s1", 1, "a", "lost");
        pack("p", 100, "a");
        unindexedPack("earlier-release", false, 4096);
        assertThatThrownBy(() -> plan(KEEP_ALL)).isInstanceOf(IOException.class)
                .hasMessageContaining("prune removed nothing").hasMessageContaining("earlier-release")
                .hasMessageContaining("snapshot s1: 1 file without data (path:/data:f)")
                .hasMessageContaining("nothing was deleted");
    }

    @Test
    void aPackThatCannotBeScannedIsDeletedWhenNoKeptSnapshotMissesAnything() throws Exception {
        snapshot("s1", 1, "a");
        pack("p", 100, "a");
        unindexedPack("earlier-release", false, 4096);
        PrunePlan plan = plan(KEEP_ALL);
        assertThat(plan.deleteUnindexed()).containsExactly("earlier-release");
        assertThat(plan.bytes()).isEqualTo(4096);
    }

    @Test
    void anUnreadableIndexMayHoldANeededChunkSoThePlanIsRefused() {
        snapshot("s1", 1, "a");
        snapshot("s2", 2, "b");
        pack("p", 100, "a", "b");
        unreadableIndexes = Set.of("unreadable");
        assertThatThrownBy(() -> plan(KEEP_LAST)).isInstanceOf(IOException.class)
                .hasMessageContaining("prune removed nothing").hasMessageContaining("index of pack unreadable")
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aDamagedSnapshotIsARefusal() {
        snapshot("s1", 1, "a");
        damaged.add("s0");
        assertThatThrownBy(() -> plan(KEEP_ALL)).isInstanceOf(IOException.class)
                .hasMessageContaining("prune removed nothing: 1 snapshot file cannot be read (s0)")
                .hasMessageContaining("/backup/repo/damaged");
    }

    @Test
    void dataNoPackHoldsIsReportedAndItsGonePackIsNotRewritten() throws Exception {
        snapshot("s1", 1, "a", "b");
        pack("gone", 100, "a", "unused");
        packsGone = Set.of("gone");
        PrunePlan plan = plan(KEEP_ALL);
        assertThat(plan.missing()).singleElement().asString().startsWith("snapshot s1: 1 file without data");
        assertThat(plan.repack()).isEmpty();
        assertThat(plan.deletePacks()).isEmpty();
    }
}
