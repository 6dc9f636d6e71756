package dev.kiban.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Repair: moves what is damaged aside and re-indexes packs from their blob headers; deletes nothing. */
final class RepositoryRepair {
    private final Path dir;
    private final ChunkStore chunks;
    private final SnapshotStore snapshots;
    private final DamagedArea damaged;

    RepositoryRepair(Path dir, ChunkStore chunks, SnapshotStore snapshots) {
        this.dir = dir;
        this.chunks = chunks;
        this.snapshots = snapshots;
        this.damaged = new DamagedArea(dir, chunks);
    }

    /**
     * Puts the repository back into a state every command can use, as restic's {@code repair index} and
     * {@code repair snapshots} do: unreadable snapshot files and indexes (and indexes whose pack is gone)
     * are moved aside into {@code damaged/<time>/}, and every pack without an index is re-indexed from its
     * blob headers, each blob re-hashed first. Nothing is deleted. What the sound snapshots then still
     * miss is reported by snapshot and file.
     */
    BackupRepository.Repaired repair(boolean dryRun) throws IOException {
        try (RepositoryLock lock = RepositoryLock.writer(dir, true)) {
            chunks.reload();
            String stamp = DamagedArea.stamp();
            String would = dryRun ? "would move " : "moved ";
            List<String> actions = new ArrayList<>();
            List<String> unreadable = new ArrayList<>(); // not known to be damaged: left where they are
            SnapshotStore.Catalog catalog = snapshots.catalog();
            for (SnapshotStore.DamagedSnapshot d : catalog.damaged()) {
                if (d.unreadable()) {
                    unreadable.add(d.reason());
                    continue;
                }
                String to = dryRun ? "" : " to " + damaged.moveAside(d.file(), stamp, "snapshots");
                actions.add(would + "the damaged snapshot " + d.id() + " aside" + to + " (" + d.reason() + ")");
            }
            Set<String> unreadableIndexes = chunks.unreadableIndexes();
            for (Map.Entry<String, String> d : chunks.damagedIndexes().entrySet()) {
                if (unreadableIndexes.contains(d.getKey())) {
                    unreadable.add(d.getValue());
                    continue;
                }
                String to = "";
                if (!dryRun) {
                    to = " to " + damaged.moveAside(chunks.indexPath(d.getKey()), stamp, "index");
                    chunks.forgetDamagedIndex(d.getKey());
                }
                actions.add(would + "the damaged index of pack " + d.getKey() + " aside" + to + " (" + d.getValue()
                        + ")");
            }
            for (Map.Entry<String, List<String>> pack : chunks.packs().entrySet()) {
                if (Files.exists(chunks.packPath(pack.getKey()), LinkOption.NOFOLLOW_LINKS)) continue;
                String to = "";
                if (!dryRun) {
                    to = " to " + damaged.moveAside(chunks.indexPath(pack.getKey()), stamp, "index");
                    chunks.dropPack(pack.getKey());
                }
                actions.add(would + "the index of pack " + pack.getKey() + " aside" + to + ": it lists "
                        + pack.getValue().size() + " chunks but the "
                        + "pack is gone");
            }
            Set<String> recovered = new HashSet<>();
            List<String> unrecoverable = new ArrayList<>();
            for (String pack : chunks.unindexedPacks()) {
                if (unreadableIndexes.contains(pack)) continue; // its index is there, only unreadable now
                ChunkStore.Scan scan = chunks.scan(pack);
                if (!scan.headers()) {
                    unrecoverable.add("pack " + pack + " has no index and no blob headers (an earlier kiban wrote it): "
                            + "it cannot be re-indexed; kept, prune removes it once no snapshot misses data");
                    continue;
                }
                if (!scan.whole()) unrecoverable.add("pack " + pack + ": " + scan.problem().orElse("") + "; kept");
                String note = scan.problem().map(p -> " (" + p + ")").orElse("");
                if (scan.blobs().isEmpty()) {
                    if (scan.whole()) actions.add("pack " + pack + " holds no readable blob" + note + ": left for "
                            + "prune");
                    continue;
                }
                if (!dryRun) chunks.reindex(pack, scan.blobs());
                recovered.addAll(scan.blobs().keySet());
                actions.add((dryRun ? "would re-index" : "re-indexed") + " pack " + pack + " from its blob headers: "
                        + scan.blobs().size() + " chunks" + note);
            }
            List<Snapshot> sound = catalog.snapshots();
            Set<String> referenced = new HashSet<>();
            sound.forEach(s -> s.trees().forEach(t -> t.entries().forEach(e -> referenced.addAll(e.chunks()))));
            Set<String> missing = new HashSet<>(referenced);
            missing.removeAll(RepositoryCheck.presentChunks(chunks, referenced));
            missing.removeAll(recovered);
            return new BackupRepository.Repaired(actions, RepositoryCheck.describeMissing(sound, missing),
                    unrecoverable, unreadable);
        }
    }
}
