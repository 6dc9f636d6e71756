package dev.kiban.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers what prune needs to know of a repository ({@link #facts}) and applies a {@link PrunePlan}:
 * snapshot files go first, so a prune killed half-way leaves only unreferenced chunks, which the next
 * prune removes. The caller holds the writer's lock throughout.
 */
final class PruneExecutor {
    private final Path dir;
    private final ChunkStore chunks;
    private final SnapshotStore snapshots;
    private final DamagedArea damaged;

    PruneExecutor(Path dir, ChunkStore chunks, SnapshotStore snapshots) {
        this.dir = dir;
        this.chunks = chunks;
        this.snapshots = snapshots;
        this.damaged = new DamagedArea(dir, chunks);
    }

    /** What the repository holds now; unindexed packs are scanned only when the plan can go ahead at all. */
    PrunePlan.Facts facts() throws IOException {
        SnapshotStore.Catalog catalog = snapshots.catalog();
        List<String> damagedIds = catalog.damaged().stream().map(SnapshotStore.DamagedSnapshot::id).toList();
        Map<String, List<String>> indexed = new LinkedHashMap<>(chunks.packs());
        Map<String, ChunkStore.Location> locations = new LinkedHashMap<>();
        java.util.Set<String> gone = new java.util.HashSet<>();
        for (Map.Entry<String, List<String>> pack : indexed.entrySet()) {
            for (String id : pack.getValue()) chunks.locate(id).ifPresent(at -> locations.putIfAbsent(id, at));
            if (!Files.exists(chunks.packPath(pack.getKey()), LinkOption.NOFOLLOW_LINKS)) gone.add(pack.getKey());
        }
        Map<String, PrunePlan.Unindexed> unindexed = new LinkedHashMap<>();
        if (damagedIds.isEmpty() && chunks.unreadableIndexes().isEmpty()) {
            for (String pack : chunks.unindexedPacks()) {
                ChunkStore.Scan scan = chunks.scan(pack);
                unindexed.put(pack, new PrunePlan.Unindexed(scan.blobs(), scan.whole(),
                        Files.size(chunks.packPath(pack))));
            }
        }
        return new PrunePlan.Facts(dir, catalog.snapshots(), damagedIds, chunks.unreadableIndexes(), indexed,
                locations, gone, unindexed);
    }

    /** Carries out {@code plan}, made from {@code facts} under the same lock. */
    void apply(PrunePlan plan, PrunePlan.Facts facts) throws IOException {
        String stamp = DamagedArea.stamp();
        for (String pack : plan.reindex()) {
            damaged.moveDamagedIndexAside(pack, stamp);
            chunks.reindex(pack, facts.unindexed().get(pack).blobs());
        }
        for (String id : plan.forget()) snapshots.delete(id);
        for (String pack : plan.deleteUnindexed()) { // a killed run's or a full disk's leftovers
            damaged.moveDamagedIndexAside(pack, stamp);
            chunks.dropPack(pack);
        }
        for (String pack : plan.deletePacks()) chunks.dropPack(pack);
        for (Map.Entry<String, List<String>> pack : plan.repack().entrySet()) {
            chunks.repack(List.of(pack.getKey()), pack.getValue());
        }
    }
}
