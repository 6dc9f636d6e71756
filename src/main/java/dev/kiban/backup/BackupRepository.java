package dev.kiban.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.backup.Snapshot.Entry;
import dev.kiban.backup.Snapshot.Entry.Type;
import dev.kiban.host.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A deduplicating backup repository: content-defined chunks (R5.3) in a {@link ChunkStore}, and one
 * JSON snapshot per run listing every entry with its metadata. Unchanged files (same size, mtime and
 * inode as in the previous snapshot of the same source) are not read again. A snapshot file is
 * written only after all its chunks, atomically, so a run killed at any point leaves the earlier
 * snapshots intact and the next run completes.
 */
public final class BackupRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final ChunkStore chunks;
    private final Chunker chunker;

    private BackupRepository(Path dir, Chunker chunker) {
        this.dir = dir;
        this.chunks = new ChunkStore(dir);
        this.chunker = chunker;
    }

    /** Opens the repository at {@code dir}, creating it (0700) when it does not exist yet. */
    public static BackupRepository open(Path dir) throws IOException {
        return open(dir, new Chunker());
    }

    static BackupRepository open(Path dir, Chunker chunker) throws IOException {
        Path config = dir.resolve("config.json");
        if (!Files.exists(config)) {
            Files.createDirectories(dir.resolve("snapshots"));
            Files.setPosixFilePermissions(dir, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
            AtomicFile.write(config, "{\"format\":\"kiban-backup/1\"}\n".getBytes(StandardCharsets.UTF_8), "rw-------", false);
        } else if (!Files.readString(config).contains("kiban-backup/1")) {
            throw new IOException(dir + " is not a kiban backup repository (config.json has another format)");
        }
        return new BackupRepository(dir, chunker);
    }

    public Path dir() {
        return dir;
    }

    /** Sources to back up: a name and the directory it lives in. */
    public record Source(String name, Path path) {}

    /**
     * Content that is not a directory, such as {@code docker save} of an image: read from {@code open}
     * unless the previous snapshot holds the same {@code key} (an image id) under the same name.
     */
    public record StreamSource(String name, String key, StreamOpener open) {}

    @FunctionalInterface
    public interface StreamOpener {
        InputStream open() throws IOException;
    }

    public Snapshot backup(List<Source> sources) throws IOException {
        return backup(sources, List.of());
    }

    /** Backs up every source into one new snapshot, holding the repository lock throughout. */
    public Snapshot backup(List<Source> sources, List<StreamSource> streams) throws IOException {
        long start = System.nanoTime();
        try (RepositoryLock lock = RepositoryLock.acquire(dir)) {
            Map<String, Snapshot.Tree> previous = new HashMap<>();
            latest().ifPresent(s -> s.trees().forEach(t -> previous.put(t.source(), t)));
            long[] stats = new long[5]; // files, bytes read, new chunks, bytes added, unchanged
            List<Snapshot.Tree> trees = new ArrayList<>();
            for (Source s : sources) trees.add(tree(s, Optional.ofNullable(previous.get(s.name())), stats));
            for (StreamSource s : streams) trees.add(stream(s, Optional.ofNullable(previous.get(s.name())), stats));
            Instant now = Instant.now();
            String id = ID.format(now) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
            Snapshot snapshot = new Snapshot(id, now.toString(), host(), trees,
                    new Snapshot.Stats(stats[0], stats[1], stats[2], stats[3], stats[4], (System.nanoTime() - start) / 1_000_000));
            AtomicFile.write(dir.resolve("snapshots").resolve(id + ".json"), JSON.writeValueAsBytes(snapshot), "rw-------", false);
            return snapshot;
        }
    }

    private Snapshot.Tree tree(Source source, Optional<Snapshot.Tree> before, long[] stats) throws IOException {
        Map<String, Entry> earlier = new HashMap<>();
        before.ifPresent(t -> t.entries().forEach(e -> earlier.put(e.path(), e)));
        Map<Long, String> inodes = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        Path root = source.path();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                entries.add(entry(root, d, Type.DIR, 0, List.of(), ""));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isSymbolicLink()) {
                    entries.add(entry(root, f, Type.SYMLINK, 0, List.of(), Files.readSymbolicLink(f).toString()));
                } else if (attrs.isRegularFile()) {
                    Map<String, Object> unix = Files.readAttributes(f, "unix:ino,nlink", LinkOption.NOFOLLOW_LINKS);
                    long inode = ((Number) unix.get("ino")).longValue();
                    String rel = relative(root, f);
                    if (((Number) unix.get("nlink")).intValue() > 1 && inodes.containsKey(inode)) {
                        entries.add(entry(root, f, Type.HARDLINK, 0, List.of(), inodes.get(inode)));
                        return FileVisitResult.CONTINUE;
                    }
                    inodes.put(inode, rel);
                    stats[0]++;
                    Entry old = earlier.get(rel);
                    long mtime = attrs.lastModifiedTime().toMillis();
                    if (old != null && old.type() == Type.FILE && old.size() == attrs.size() && old.mtime() == mtime && old.inode() == inode
                            && old.chunks().stream().allMatch(chunks::contains)) {
                        stats[4]++;
                        entries.add(entry(root, f, Type.FILE, attrs.size(), old.chunks(), ""));
                    } else {
                        entries.add(entry(root, f, Type.FILE, attrs.size(), store(f, stats), ""));
                    }
                }
                // sockets and device files are skipped: a volume's data is its files
                return FileVisitResult.CONTINUE;
            }
        });
        return new Snapshot.Tree(source.name(), root.toString(), entries);
    }

    private Snapshot.Tree stream(StreamSource source, Optional<Snapshot.Tree> before, long[] stats) throws IOException {
        stats[0]++;
        Optional<Entry> same = before.flatMap(t -> t.entries().stream().findFirst())
                .filter(e -> e.target().equals(source.key()) && e.chunks().stream().allMatch(chunks::contains));
        List<String> ids;
        long size;
        if (same.isPresent()) {
            stats[4]++;
            ids = same.get().chunks();
            size = same.get().size();
        } else {
            long readBefore = stats[1];
            try (InputStream in = source.open().open()) {
                ids = store(in, stats);
            }
            size = stats[1] - readBefore;
        }
        Entry entry = new Entry(".", Type.FILE, 0600, 0, 0, System.currentTimeMillis(), size, ids, source.key(), 0);
        return new Snapshot.Tree(source.name(), "", List.of(entry));
    }

    /** The content of a file entry, chunk by chunk, each checked against its hash as it is read. */
    public InputStream read(Entry entry) {
        java.util.Iterator<String> ids = entry.chunks().iterator();
        return new InputStream() {
            private byte[] current = new byte[0];
            private int pos;

            private boolean more() throws IOException {
                while (pos >= current.length) {
                    if (!ids.hasNext()) return false;
                    current = chunks.get(ids.next());
                    pos = 0;
                }
                return true;
            }

            @Override
            public int read() throws IOException {
                return more() ? current[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                if (!more()) return -1;
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private List<String> store(Path file, long[] stats) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return store(in, stats);
        }
    }

    private List<String> store(InputStream in, long[] stats) throws IOException {
        List<String> ids = new ArrayList<>();
        chunker.split(in, (buf, len) -> {
            ChunkStore.Stored s = chunks.put(buf, len);
            ids.add(s.id());
            stats[1] += len;
            if (s.added() > 0) {
                stats[2]++;
                stats[3] += s.added();
            }
        });
        return ids;
    }

    private static Entry entry(Path root, Path p, Type type, long size, List<String> chunkIds, String target) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,ino", LinkOption.NOFOLLOW_LINKS);
        return new Entry(relative(root, p), type, ((Number) a.get("mode")).intValue() & 07777, ((Number) a.get("uid")).intValue(),
                ((Number) a.get("gid")).intValue(), ((FileTime) a.get("lastModifiedTime")).toMillis(), size, chunkIds, target,
                ((Number) a.get("ino")).longValue());
    }

    private static String relative(Path root, Path p) {
        String rel = root.relativize(p).toString();
        return rel.isEmpty() ? "." : rel;
    }

    /** All snapshots, oldest first. */
    public List<Snapshot> snapshots() throws IOException {
        List<Snapshot> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) out.add(JSON.readValue(f.toFile(), Snapshot.class));
        }
        out.sort(Comparator.comparing((Snapshot s) -> Instant.parse(s.time())).thenComparing(Snapshot::id));
        return out;
    }

    public Optional<Snapshot> latest() throws IOException {
        List<Snapshot> all = snapshots();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The snapshot with this id, or the only one whose id starts with it. */
    public Snapshot snapshot(String idOrPrefix) throws IOException {
        List<Snapshot> matches = snapshots().stream().filter(s -> s.id().startsWith(idOrPrefix) || idOrPrefix.equals("latest")).toList();
        if (idOrPrefix.equals("latest") && !matches.isEmpty()) return matches.get(matches.size() - 1);
        if (matches.size() != 1) throw new IOException(matches.isEmpty() ? "no snapshot " + idOrPrefix : idOrPrefix + " matches " + matches.size() + " snapshots");
        return matches.get(0);
    }

    /** What a prune removed (or would remove, on a dry run). */
    public record Pruned(List<String> snapshots, long chunks, long bytes) {}

    /**
     * Forgets the snapshots {@code retention} does not keep, then deletes the chunks no remaining
     * snapshot refers to. Snapshot files go first: a prune killed half-way leaves only unreferenced
     * chunks, which the next prune removes.
     */
    public Pruned prune(Retention retention, boolean dryRun) throws IOException {
        try (RepositoryLock lock = RepositoryLock.acquire(dir)) {
            List<Snapshot> all = snapshots();
            Set<String> keep = retention.keep(all);
            List<String> forget = all.stream().map(Snapshot::id).filter(id -> !keep.contains(id)).toList();
            Set<String> referenced = new java.util.HashSet<>();
            all.stream().filter(s -> keep.contains(s.id()))
                    .forEach(s -> s.trees().forEach(t -> t.entries().forEach(e -> referenced.addAll(e.chunks()))));
            if (!dryRun) for (String id : forget) Files.deleteIfExists(dir.resolve("snapshots").resolve(id + ".json"));
            long count = 0;
            long bytes = 0;
            Path chunkDir = dir.resolve("chunks");
            if (Files.isDirectory(chunkDir)) {
                try (Stream<Path> files = Files.walk(chunkDir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String name = f.getFileName().toString();
                        if (referenced.contains(name)) continue;
                        count++;
                        bytes += Files.size(f);
                        if (!dryRun) Files.delete(f);
                    }
                }
            }
            return new Pruned(forget, count, bytes);
        }
    }

    /**
     * Checks a snapshot: every chunk it names exists, and with {@code readData} every chunk is read and
     * re-hashed. The problems found, each naming the file it belongs to; empty when sound.
     */
    public List<String> verify(Snapshot snapshot, boolean readData) throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> checked = new LinkedHashSet<>();
        for (Snapshot.Tree t : snapshot.trees()) {
            for (Entry e : t.entries()) {
                for (String id : e.chunks()) {
                    if (!checked.add(id)) continue;
                    if (!chunks.contains(id)) {
                        problems.add(t.source() + ":" + e.path() + ": chunk " + id + " is missing");
                    } else if (readData) {
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

    /**
     * Restores one tree of a snapshot under {@code target}, byte for byte: each chunk is checked against
     * its hash as it is written; modes, owners (as root) and modification times are set after the content.
     */
    public long restore(Snapshot.Tree tree, Path target) throws IOException {
        Files.createDirectories(target);
        boolean root = "root".equals(System.getProperty("user.name"));
        long bytes = 0;
        List<Entry> dirs = new ArrayList<>();
        for (Entry e : tree.entries()) {
            Path p = e.path().equals(".") ? target : target.resolve(e.path());
            switch (e.type()) {
                case DIR -> {
                    Files.createDirectories(p);
                    dirs.add(e);
                }
                case FILE -> {
                    Files.createDirectories(p.getParent());
                    Path temp = p.resolveSibling("." + p.getFileName() + ".kiban-restore");
                    try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
                         InputStream in = read(e)) {
                        bytes += in.transferTo(out);
                    }
                    Files.move(temp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    metadata(p, e, root);
                }
                case SYMLINK -> {
                    Files.deleteIfExists(p);
                    Files.createSymbolicLink(p, Path.of(e.target()));
                    if (root) Files.setAttribute(p, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
                }
                case HARDLINK -> {
                    Files.deleteIfExists(p);
                    Files.createLink(p, target.resolve(e.target()));
                }
            }
        }
        dirs.sort(Comparator.comparing(Entry::path).reversed()); // children first: setting a directory's mtime is the last touch
        for (Entry d : dirs) metadata(d.path().equals(".") ? target : target.resolve(d.path()), d, root);
        return bytes;
    }

    private static void metadata(Path p, Entry e, boolean root) throws IOException {
        if (root) {
            Files.setAttribute(p, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", e.gid(), LinkOption.NOFOLLOW_LINKS);
        }
        Files.setAttribute(p, "unix:mode", e.mode(), LinkOption.NOFOLLOW_LINKS);
        Files.setLastModifiedTime(p, FileTime.fromMillis(e.mtime()));
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
