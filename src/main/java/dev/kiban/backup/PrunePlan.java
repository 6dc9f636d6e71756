package dev.kiban.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a prune does, worked out from what the repository holds and touching nothing: the snapshots
 * {@code retention} does not keep are forgotten; an unindexed pack a kept snapshot needs is re-indexed
 * from its blob headers; a pack nothing kept uses is deleted, and one mostly unused (or small) is
 * repacked. Liveness comes from the kept snapshots only, never from whether an index exists. The plan
 * is refused ({@link #of} throws, nothing done) when a snapshot file is damaged or an index unreadable
 * (what they refer to is unknown), or when a kept snapshot misses a chunk that an unindexed pack that
 * cannot be scanned whole might hold. {@code backup prune --dry-run} prints it; {@link PruneExecutor}
 * applies it.
 *
 * @param forget snapshot ids to forget
 * @param reindex unindexed packs to re-index: a kept snapshot needs their chunks
 * @param deleteUnindexed unindexed packs nothing kept needs (a killed run's leftovers)
 * @param deletePacks indexed packs none of whose chunks a kept snapshot uses
 * @param repack indexed packs to rewrite with only these chunks
 * @param chunks chunks given back
 * @param bytes bytes given back
 * @param missing what kept snapshots miss (nothing holds it), one line per snapshot
 */
public record PrunePlan(List<String> forget, List<String> reindex, List<String> deleteUnindexed,
        List<String> deletePacks, Map<String, List<String>> repack, long chunks, long bytes, List<String> missing) {

    /** An unindexed pack as its scan found it: the intact blobs, whether nothing can hide past the scan, its size. */
    public record Unindexed(Map<String, ChunkStore.Location> blobs, boolean whole, long size) {}

    /**
     * What the repository holds, as prune needs it.
     *
     * @param repository the repository's path, for messages
     * @param snapshots the sound snapshots, oldest first
     * @param damagedSnapshots ids of snapshot files that cannot be read
     * @param unreadableIndexes packs whose index cannot be read (permission, I/O error)
     * @param indexed each indexed pack's chunks
     * @param locations where the index puts each chunk
     * @param packsGone indexed packs whose pack file is not on the disk
     * @param unindexed each pack without a readable index, scanned
     */
    public record Facts(Path repository, List<Snapshot> snapshots, List<String> damagedSnapshots,
            Set<String> unreadableIndexes, Map<String, List<String>> indexed,
            Map<String, ChunkStore.Location> locations,
            Set<String> packsGone, Map<String, Unindexed> unindexed) {}

    /** The plan for {@code facts} under {@code retention}; refused (nothing to do) as the class says. */
    public static PrunePlan of(Facts facts, Retention retention) throws IOException {
        List<String> damaged = facts.damagedSnapshots();
        if (!damaged.isEmpty()) {
            throw new IOException("prune removed nothing: " + damaged.size() + " snapshot file"
                    + (damaged.size() == 1 ? "" : "s")
                    + " cannot be read (" + String.join(", ", damaged) + "), so what "
                    + (damaged.size() == 1 ? "it refers" : "they refer")
                    + " to is unknown; run kiban backup repair (it moves damaged "
                    + "files aside into " + facts.repository().resolve(DamagedArea.DIR) + ") and prune again");
        }
        Set<String> unreadable = facts.unreadableIndexes();
        if (!unreadable.isEmpty()) {
            throw new IOException("prune removed nothing: the index" + (unreadable.size() == 1
                    ? " of pack " : "es of packs ") + String.join(", ", unreadable)
                    + " cannot be read (permission denied or an I/O error; kiban backup verify says which), "
                    + "so what they hold is unknown; fix the access or the disk and prune again");
        }
        List<Snapshot> all = facts.snapshots();
        Set<String> keep = retention.keep(all);
        List<Snapshot> kept = all.stream().filter(s -> keep.contains(s.id())).toList();
        List<String> forget = all.stream().map(Snapshot::id).filter(id -> !keep.contains(id)).toList();
        Set<String> referenced = new HashSet<>();
        kept.forEach(s -> s.trees().forEach(t -> t.entries().forEach(e -> referenced.addAll(e.chunks()))));

        Set<String> present = new HashSet<>();
        for (String id : referenced) {
            ChunkStore.Location at = facts.locations().get(id);
            if (at != null && !facts.packsGone().contains(at.pack())) present.add(id);
        }
        List<String> reindex = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        List<String> unscannable = new ArrayList<>();
        Set<String> partial = new HashSet<>(); // re-indexed, but a damaged header hides the rest: not repacked now
        for (Map.Entry<String, Unindexed> u : facts.unindexed().entrySet()) {
            String pack = u.getKey();
            Unindexed scan = u.getValue();
            if (scan.blobs().keySet().stream().anyMatch(id -> referenced.contains(id) && !present.contains(id))) {
                present.addAll(scan.blobs().keySet());
                reindex.add(pack);
                if (!scan.whole()) partial.add(pack);
            } else if (!scan.whole()) {
                unscannable.add(pack); // an earlier release's, or damaged: what it holds is not known
            } else {
                leftovers.add(pack); // a killed run's: every intact blob was read, none is needed
            }
        }
        Set<String> missing = new HashSet<>(referenced);
        missing.removeAll(present);
        List<String> missingLines = RepositoryCheck.describeMissing(kept, missing);
        if (!missing.isEmpty() && !unscannable.isEmpty()) {
            throw new IOException("prune removed nothing: kept snapshots refer to " + missing.size() + " chunk"
                    + (missing.size() == 1 ? "" : "s")
                    + " that no index lists (" + String.join("; ", missingLines) + "), and the pack"
                    + (unscannable.size() == 1 ? " " : "s ")
                    + String.join(", ", unscannable) + (unscannable.size() == 1 ? " has" : " have")
                    + " no index and cannot be scanned whole (no blob headers: an earlier kiban wrote "
                    + (unscannable.size() == 1 ? "it" : "them") + "; or a damaged header), so "
                    + (unscannable.size() == 1 ? "it" : "they") + " may hold them; nothing was deleted. Run kiban "
                    + "backup repair for a report, and kiban backup verify");
        }
        // nothing kept misses a chunk, or nothing could hold it: no kept data is in them
        leftovers.addAll(unscannable);

        long count = 0;
        long bytes = 0;
        for (String pack : leftovers) bytes += facts.unindexed().get(pack).size();
        // the packs as they are once the re-indexed ones have their index again
        Map<String, List<String>> packs = new LinkedHashMap<>(facts.indexed());
        Map<String, ChunkStore.Location> locations = new LinkedHashMap<>(facts.locations());
        for (String pack : reindex) {
            Map<String, ChunkStore.Location> blobs = facts.unindexed().get(pack).blobs();
            packs.put(pack, List.copyOf(blobs.keySet()));
            blobs.forEach(locations::putIfAbsent);
        }
        List<String> deletePacks = new ArrayList<>();
        Map<String, List<String>> repack = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> pack : packs.entrySet()) {
            List<String> used = pack.getValue().stream().filter(referenced::contains).toList();
            if (used.size() == pack.getValue().size() || partial.contains(pack.getKey())) continue;
            // reported missing
            if (!used.isEmpty() && facts.packsGone().contains(pack.getKey())) continue;
            long unusedBytes = pack.getValue().stream().filter(id -> !referenced.contains(id))
                    .mapToLong(id -> length(locations, id)).sum();
            long packBytes = pack.getValue().stream().mapToLong(id -> length(locations, id)).sum();
            // repacking rewrites the used part: worth it when much is unused, or the pack is small anyway
            boolean worth = used.isEmpty() || unusedBytes * 10 >= packBytes
                    || packBytes < ChunkStore.PACK_TARGET / 4;
            if (!worth) continue;
            count += pack.getValue().size() - used.size();
            bytes += unusedBytes;
            if (used.isEmpty()) deletePacks.add(pack.getKey());
            else repack.put(pack.getKey(), used);
        }
        return new PrunePlan(forget, reindex, leftovers, deletePacks, repack, count, bytes, missingLines);
    }

    private static long length(Map<String, ChunkStore.Location> locations, String id) {
        ChunkStore.Location at = locations.get(id);
        return at == null ? 0 : at.length();
    }

    /** The plan step by step, one line each, as {@code backup prune --dry-run} prints it. */
    public List<String> steps() {
        List<String> out = new ArrayList<>();
        forget.forEach(id -> out.add("forget snapshot " + id));
        reindex.forEach(p -> out.add("re-index pack " + p
                + " from its blob headers: a kept snapshot needs its chunks"));
        deleteUnindexed.forEach(p -> out.add("delete pack " + p + ": it has no index and no kept snapshot needs it"));
        deletePacks.forEach(p -> out.add("delete pack " + p + ": no kept snapshot uses its chunks"));
        repack.forEach((p, kept) -> out.add("repack pack " + p + ", keeping " + kept.size() + " chunk"
                + (kept.size() == 1 ? "" : "s") + " that kept snapshots use"));
        return out;
    }

    @Override
    public String toString() {
        return String.join("\n", steps());
    }
}
