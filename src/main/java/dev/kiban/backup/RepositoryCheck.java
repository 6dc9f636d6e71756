package dev.kiban.backup;

import dev.kiban.backup.Snapshot.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verify: whether a snapshot's chunks are all there (and, reading the data, sound), and what else in the
 * repository is damaged. Reads only.
 */
final class RepositoryCheck {
    private final ChunkStore chunks;
    private final SnapshotStore snapshots;

    RepositoryCheck(ChunkStore chunks, SnapshotStore snapshots) {
        this.chunks = chunks;
        this.snapshots = snapshots;
    }

    /**
     * What is damaged besides the snapshots' own chunks: unreadable snapshot files and indexes, one line
     * each, for verify; and how many packs have no index (a killed run's, or re-indexable), as a note.
     */
    public List<String> damage() throws IOException {
        chunks.reload();
        List<String> out = new ArrayList<>();
        snapshots.catalog().damaged().forEach(d -> out.add(d.reason()));
        chunks.damagedIndexes().forEach((pack, why) -> out.add(why + " (pack " + pack + " counts as unindexed)"));
        return out;
    }

    /** Packs no readable index lists: a killed run's leftovers, or packs whose index was lost. */
    public int unindexedPacks() throws IOException {
        return chunks.unindexedPacks().size();
    }

    /**
     * Checks a snapshot: every chunk it names is indexed and inside its pack, and with {@code readData}
     * every chunk is read, decrypted and re-hashed. The problems found, each naming the file it belongs
     * to; empty when sound.
     */
    public List<String> verify(Snapshot snapshot, boolean readData) throws IOException {
        return verify(snapshot, readData ? DataSample.all() : DataSample.none());
    }

    /** {@link #verify(Snapshot, boolean)}, reading back only the chunks of the packs {@code sample} draws. */
    public List<String> verify(Snapshot snapshot, DataSample sample) throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> checked = new LinkedHashSet<>();
        Map<String, Long> packSizes = new HashMap<>();
        for (Snapshot.Tree t : snapshot.trees()) {
            for (Entry e : t.entries()) {
                for (String id : e.chunks()) {
                    if (!checked.add(id)) continue;
                    Optional<ChunkStore.Location> at = chunks.locate(id);
                    if (at.isEmpty()) {
                        problems.add(t.source() + ":" + e.path() + ": chunk " + id + " is missing");
                        continue;
                    }
                    long packSize = packSizes.computeIfAbsent(at.get().pack(), p -> {
                        try {
                            return Files.size(chunks.packPath(p));
                        } catch (IOException x) {
                            return -1L;
                        }
                    });
                    if (packSize < 0) {
                        problems.add(t.source() + ":" + e.path() + ": chunk " + id + " is missing (its pack "
                                + at.get().pack() + " is gone)");
                    } else if (packSize < at.get().offset() + at.get().length()) {
                        problems.add(t.source() + ":" + e.path() + ": chunk " + id + " is missing (its pack "
                                + at.get().pack() + " is cut short)");
                    } else if (sample.reads(at.get().pack())) {
                        try {
                            chunks.get(id);
                        } catch (CorruptChunkException c) {
                            problems.add(t.source() + ":" + e.path() + ": " + c.getMessage());
                        }
                    }
                }
            }
        }
        return problems;
    }

    /** Of {@code ids}, those an index lists in a pack that is on the disk. */
    static Set<String> presentChunks(ChunkStore chunks, Set<String> ids) {
        Map<String, Boolean> packExists = new HashMap<>();
        Set<String> out = new HashSet<>();
        for (String id : ids) {
            Optional<ChunkStore.Location> at = chunks.locate(id);
            if (at.isPresent() && packExists.computeIfAbsent(at.get().pack(), p -> Files.exists(chunks.packPath(p),
                    LinkOption.NOFOLLOW_LINKS))) {
                out.add(id);
            }
        }
        return out;
    }

    /** One line per snapshot that misses data: how many files, and the first few by source and path. */
    static List<String> describeMissing(List<Snapshot> snapshots, Set<String> missing) {
        List<String> out = new ArrayList<>();
        if (missing.isEmpty()) return out;
        for (Snapshot s : snapshots) {
            List<String> files = new ArrayList<>();
            for (Snapshot.Tree t : s.trees()) {
                for (Entry e : t.entries()) {
                    if (e.chunks().stream().anyMatch(missing::contains)) files.add(t.source() + ":" + e.path());
                }
            }
            if (files.isEmpty()) continue;
            out.add("snapshot " + s.id() + ": " + files.size() + " file" + (files.size() == 1 ? "" : "s")
                    + " without data ("
                    + String.join(", ", files.stream().limit(5).toList()) + (files.size() > 5 ? ", ..." : "") + ")");
        }
        return out;
    }
}
