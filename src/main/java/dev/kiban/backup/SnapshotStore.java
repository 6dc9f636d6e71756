package dev.kiban.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.backup.Snapshot.Entry;
import dev.kiban.os.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The snapshot files of a repository, {@code snapshots/<id>.json}: zstd-compressed JSON, sealed with the
 * key of an encrypted repository. Listing tolerates damage: a file that cannot be read is reported as
 * damaged and spoils nothing else.
 */
public final class SnapshotStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final RepositoryKey key;

    SnapshotStore(Path dir, RepositoryKey key) {
        this.dir = dir;
        this.key = key;
    }

    /** Writes a snapshot whole, once its chunks are durable: a run killed before leaves no snapshot file. */
    void write(Snapshot snapshot) throws IOException {
        // zstd: a snapshot lists every file with its chunk ids, 5 MB of JSON for 25,000 files, a fifth of that
        // compressed
        byte[] bytes = com.github.luben.zstd.Zstd.compress(JSON.writeValueAsBytes(snapshot), 3);
        AtomicFile.write(snapshotPath(snapshot.id()), key == null ? bytes : key.seal(bytes), "rw-------", false);
    }

    /** Removes a snapshot's file (prune); one already gone is no error. */
    void delete(String id) throws IOException {
        Files.deleteIfExists(snapshotPath(id));
    }

    private Path snapshotPath(String id) {
        return dir.resolve("snapshots").resolve(id + ".json");
    }

    /** 64 lowercase hex digits (a loop, not a regular expression: a snapshot names tens of thousands). */
    private static boolean isChunkId(String c) {
        if (c.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            char ch = c.charAt(i);
            if ((ch < '0' || ch > '9') && (ch < 'a' || ch > 'f')) return false;
        }
        return true;
    }

    /**
     * A snapshot file that cannot be read: its id (the file's name), the file, and why; {@code unreadable} when
     * it could not be read at all (permission denied, an I/O error) rather than found damaged.
     */
    public record DamagedSnapshot(String id, Path file, String reason, boolean unreadable) {}

    /** Every snapshot file: the sound ones, oldest first, and the damaged ones, by name. */
    public record Catalog(List<Snapshot> snapshots, List<DamagedSnapshot> damaged) {}

    /** Reads every snapshot file; one that cannot be read is listed as damaged and spoils nothing else. */
    public Catalog catalog() throws IOException {
        List<Snapshot> out = new ArrayList<>();
        List<DamagedSnapshot> damaged = new ArrayList<>();
        for (Path f : snapshotFiles()) {
            try {
                out.add(readSnapshot(f));
            } catch (java.nio.file.NoSuchFileException e) {
                // removed by a prune since the listing
            } catch (IOException e) {
                damaged.add(new DamagedSnapshot(idOf(f), f, e.getMessage(), e instanceof UnreadableFileException));
            }
        }
        out.sort(Comparator.comparing((Snapshot s) -> Instant.parse(s.time())).thenComparing(Snapshot::id));
        return new Catalog(out, damaged);
    }

    /** The sound snapshots, oldest first; the damaged ones are in {@link #catalog}. */
    public List<Snapshot> snapshots() throws IOException {
        return catalog().snapshots();
    }

    private List<Path> snapshotFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    private static String idOf(Path snapshotFile) {
        String name = snapshotFile.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }

    private Snapshot readSnapshot(Path f) throws IOException {
        byte[] bytes = RepositoryKey.readFile(key, f, "the snapshot");
        Snapshot s;
        try {
            boolean zstd = bytes.length > 4 && (bytes[0] & 0xff) == 0x28 && (bytes[1] & 0xff) == 0xb5
                    && (bytes[2] & 0xff) == 0x2f
                    && (bytes[3] & 0xff) == 0xfd;
            if (zstd) {
                long size = com.github.luben.zstd.Zstd.getFrameContentSize(bytes);
                if (size < 0 || size > Integer.MAX_VALUE - 16) throw new IOException("its compressed frame is damaged");
                bytes = com.github.luben.zstd.Zstd.decompress(bytes, (int) size);
            }
            s = JSON.readValue(bytes, Snapshot.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            var at = e.getLocation();
            throw new IOException("the snapshot " + f + " is damaged: not a kiban snapshot (invalid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ")");
        } catch (IOException | RuntimeException e) {
            throw new IOException("the snapshot " + f + " is damaged: it cannot be decompressed");
        }
        String problem = invalid(s, idOf(f));
        if (problem != null) throw new IOException("the snapshot " + f + " is damaged: " + problem);
        return s;
    }

    /** What makes a parsed snapshot unusable, or null: everything later code relies on is checked here, once. */
    private static String invalid(Snapshot s, String fileId) {
        if (s == null) return "it is empty";
        if (!fileId.equals(s.id())) return "it names itself " + s.id() + ", not " + fileId + " as its file does";
        try {
            Instant.parse(String.valueOf(s.time()));
        } catch (java.time.format.DateTimeParseException e) {
            return "its time " + s.time() + " is not a UTC timestamp";
        }
        if (s.trees() == null || s.stats() == null) return "it lacks its " + (s.trees() == null ? "trees" : "stats");
        for (Snapshot.Tree t : s.trees()) {
            if (t == null || t.source() == null || t.path() == null || t.entries() == null) {
                return "a source is incomplete";
            }
            for (Entry e : t.entries()) {
                if (e == null || e.path() == null || e.type() == null || e.chunks() == null || e.target() == null) {
                    return "an entry of " + t.source() + " is incomplete";
                }
                for (String c : e.chunks()) {
                    if (c == null || !isChunkId(c)) {
                        return "an entry of " + t.source() + " names a chunk that is not a SHA-256";
                    }
                }
            }
        }
        return null;
    }

    /**
     * The newest sound snapshot; only the newest files are read (ids start with their UTC time, so names sort by age).
     */
    public Optional<Snapshot> latest() throws IOException {
        List<Path> files = snapshotFiles();
        for (int i = files.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(readSnapshot(files.get(i)));
            } catch (IOException e) {
                // damaged or just pruned: the one before it
            }
        }
        return Optional.empty();
    }

    /**
     * The snapshot with this id, or the only one whose id starts with it, or 'latest' (the newest sound
     * one). An id that names no snapshot is a usage mistake; one that names a damaged file is damage.
     */
    public Snapshot snapshot(String idOrPrefix) throws IOException {
        Catalog c = catalog();
        List<Snapshot> all = c.snapshots();
        if (idOrPrefix.equals("latest")) {
            if (all.isEmpty()) throw new IOException("the repository " + dir + " has no " + (c.damaged().isEmpty() ? ""
                    : "sound ") + "snapshots yet");
            return all.get(all.size() - 1);
        }
        List<Snapshot> matches = all.stream().filter(s -> s.id().startsWith(idOrPrefix)).toList();
        List<DamagedSnapshot> broken = c.damaged().stream().filter(d -> d.id().startsWith(idOrPrefix)).toList();
        if (matches.size() + broken.size() > 1) {
            List<String> ids = new ArrayList<>(matches.stream().map(Snapshot::id).toList());
            broken.forEach(d -> ids.add(d.id()));
            throw new RepositoryUsageException(idOrPrefix + " matches " + ids.size() + " snapshots ("
                    + String.join(", ", ids.stream().limit(5).toList())
                    + (ids.size() > 5 ? ", ..." : "") + "); give more of the id");
        }
        if (broken.size() == 1) {
            throw new IOException(broken.get(0).reason()
                    + "; kiban backup repair moves it aside, the other snapshots are not affected");
        }
        if (matches.isEmpty()) throw new RepositoryUsageException("no snapshot " + idOrPrefix + " in " + dir
                + "; kiban backup list shows the ids");
        return matches.get(0);
    }
}
