package dev.kiban.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.backup.Snapshot.Entry;
import dev.kiban.backup.Snapshot.Entry.Type;
import dev.kiban.host.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * A deduplicating backup repository: content-defined chunks (R5.3) in a {@link ChunkStore} of pack
 * files, and one snapshot per run listing every entry with its metadata. Unchanged files (same size,
 * mtime and inode as in the previous snapshot of the same source) are not read again. Hashing and
 * compression run on every core; the snapshot is written only after its chunks are durable, so a run
 * killed at any point leaves the earlier snapshots intact and the next run completes. With a key, every
 * pack blob, index and snapshot is encrypted (AES-256-GCM).
 */
public final class BackupRepository implements AutoCloseable {
    public static final String FORMAT = "kiban-backup/2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final ChunkStore chunks;
    private final Chunker chunker;
    private final RepositoryKey key;
    private final int threads;

    private BackupRepository(Path dir, Chunker chunker, RepositoryKey key, int threads) throws IOException {
        this.dir = dir;
        this.chunks = new ChunkStore(dir, key);
        this.chunker = chunker;
        this.key = key;
        this.threads = threads;
    }

    /** Opens the unencrypted repository at {@code dir}, creating it (0700) when it does not exist yet. */
    public static BackupRepository open(Path dir) throws IOException {
        return open(dir, Optional.empty());
    }

    /**
     * Opens the repository at {@code dir}, creating it when it does not exist yet; with a key file it is
     * (or must already be) encrypted. Creating an encrypted repository whose key file does not exist
     * writes a new key (0600).
     */
    public static BackupRepository open(Path dir, Optional<Path> keyFile) throws IOException {
        return open(dir, keyFile, new Chunker(), Runtime.getRuntime().availableProcessors());
    }

    static BackupRepository open(Path dir, Chunker chunker) throws IOException {
        return open(dir, Optional.empty(), chunker, 2);
    }

    static BackupRepository open(Path dir, Optional<Path> keyFile, Chunker chunker, int threads) throws IOException {
        Path config = dir.resolve("config.json");
        RepositoryKey key = null;
        if (!Files.exists(config)) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) throw new IOException(dir + " is not a kiban backup repository (no config.json) and not empty; give an empty or new directory");
                }
            }
            if (keyFile.isPresent()) key = Files.exists(keyFile.get()) ? RepositoryKey.read(keyFile.get()) : RepositoryKey.generate(keyFile.get());
            Files.createDirectories(dir.resolve("snapshots"));
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("format", FORMAT);
            conf.put("encryption", key == null ? "none" : "aes-256-gcm");
            if (key != null) conf.put("keyCheck", key.check());
            AtomicFile.write(config, (JSON.writeValueAsString(conf) + "\n").getBytes(StandardCharsets.UTF_8), "rw-------", false);
        } else {
            Map<?, ?> conf;
            try {
                conf = JSON.readValue(config.toFile(), Map.class);
            } catch (IOException e) {
                throw new IOException(dir + " is not a kiban backup repository (config.json is not kiban's)");
            }
            if ("kiban-backup/1".equals(conf.get("format"))) {
                throw new IOException(dir + " is a kiban-backup/1 repository (one file per chunk); this kiban writes " + FORMAT
                        + " (pack files): back up into a new repository and remove the old one when the new holds what you need");
            }
            if (!FORMAT.equals(conf.get("format"))) throw new IOException(dir + " is not a kiban backup repository (config.json has another format)");
            boolean encrypted = !"none".equals(conf.get("encryption"));
            if (encrypted && keyFile.isEmpty()) {
                throw new IOException("the repository " + dir + " is encrypted: give its key file (backup.encryptionKey: file:PATH, or --key-file)");
            }
            if (!encrypted && keyFile.isPresent()) {
                throw new IOException("the repository " + dir + " is not encrypted, but a key file is given; an existing repository is not "
                        + "encrypted after the fact: point backup.repository at a new directory");
            }
            if (encrypted) {
                key = RepositoryKey.read(keyFile.get());
                if (!key.opens(String.valueOf(conf.get("keyCheck")))) throw new IOException("the key file " + keyFile.get() + " does not open the repository " + dir);
            }
        }
        return new BackupRepository(dir, chunker, key, Math.max(1, threads));
    }

    public Path dir() {
        return dir;
    }

    public boolean encrypted() {
        return key != null;
    }

    /** Sources to back up: a name and the directory it lives in. */
    public record Source(String name, Path path) {}

    /**
     * Content that is not a directory, such as {@code docker save} of an image: read from {@code open}
     * unless the previous snapshot holds the same {@code key} (an image id) under the same name.
     */
    public record StreamSource(String name, String key, StreamOpener open, Map<String, String> meta) {
        public StreamSource(String name, String key, StreamOpener open) {
            this(name, key, open, Map.of());
        }
    }

    @FunctionalInterface
    public interface StreamOpener {
        InputStream open() throws IOException;
    }

    /**
     * Runs around the copy of each directory source: stops the containers that write to it and runs
     * their hooks (R5.5). {@code after} runs even when the copy fails; its notes go into the snapshot.
     */
    public interface Quiesce {
        void before(Source source) throws IOException;

        void after(Source source) throws IOException;

        List<String> notes();

        Quiesce NONE = new Quiesce() {
            @Override
            public void before(Source source) {}

            @Override
            public void after(Source source) {}

            @Override
            public List<String> notes() {
                return List.of();
            }
        };
    }

    public Snapshot backup(List<Source> sources) throws IOException {
        return backup(sources, List.of(), Quiesce.NONE, List.of());
    }

    public Snapshot backup(List<Source> sources, List<StreamSource> streams) throws IOException {
        return backup(sources, streams, Quiesce.NONE, List.of());
    }

    /**
     * Backs up every source into one new snapshot, holding the repository lock throughout. On failure
     * nothing of the run is kept (its packs are removed, so a full disk gets its space back) and the
     * earlier snapshots are untouched.
     */
    public Snapshot backup(List<Source> sources, List<StreamSource> streams, Quiesce quiesce, List<String> notes) throws IOException {
        long start = System.nanoTime();
        try (RepositoryLock lock = RepositoryLock.acquire(dir); Run run = new Run()) {
            Map<String, Snapshot.Tree> previous = new HashMap<>();
            latest().ifPresent(s -> s.trees().forEach(t -> previous.put(t.source(), t)));
            chunks.reload();
            chunks.startRun();
            try {
                List<Snapshot.Tree> trees = new ArrayList<>();
                for (Source s : sources) {
                    quiesce.before(s);
                    try {
                        trees.add(run.tree(s, Optional.ofNullable(previous.get(s.name()))));
                    } finally {
                        quiesce.after(s);
                    }
                }
                for (StreamSource s : streams) trees.add(run.stream(s, Optional.ofNullable(previous.get(s.name()))));
                chunks.flush();
                Instant now = Instant.now();
                String id = ID.format(now) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
                List<String> allNotes = new ArrayList<>(notes);
                allNotes.addAll(quiesce.notes());
                Snapshot snapshot = new Snapshot(id, now.toString(), host(), trees, run.stats(System.nanoTime() - start), allNotes);
                // zstd: a snapshot lists every file with its chunk ids, 5 MB of JSON for 25,000 files, a fifth of that compressed
                byte[] bytes = com.github.luben.zstd.Zstd.compress(JSON.writeValueAsBytes(snapshot), 3);
                AtomicFile.write(snapshotPath(id), key == null ? bytes : key.seal(bytes), "rw-------", false);
                return snapshot;
            } catch (IOException | RuntimeException e) {
                run.pool.shutdownNow();
                chunks.discardRun();
                if (diskFull(e)) throw new BackupDiskFullException(dir, e);
                throw e;
            }
        }
    }

    private static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) return true;
        }
        return false;
    }

    /** One backup run: the worker pool that hashes, compresses and stores chunks, and the run's counters. */
    private final class Run implements AutoCloseable {
        final ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kiban-backup");
            t.setDaemon(true);
            return t;
        });
        final Semaphore inFlight = new Semaphore(threads * 4); // bounds the memory of chunks waiting for a worker
        final LongAdder files = new LongAdder();
        final LongAdder unchanged = new LongAdder();
        final LongAdder bytesRead = new LongAdder();
        final LongAdder chunksNew = new LongAdder();
        final LongAdder bytesAdded = new LongAdder();

        Snapshot.Stats stats(long nanos) {
            return new Snapshot.Stats(files.sum(), bytesRead.sum(), chunksNew.sum(), bytesAdded.sum(), unchanged.sum(), nanos / 1_000_000);
        }

        Future<String> put(byte[] buf, int length) throws IOException {
            byte[] copy = java.util.Arrays.copyOf(buf, length);
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("backup interrupted");
            }
            bytesRead.add(length);
            return pool.submit(() -> {
                try {
                    ChunkStore.Stored s = chunks.put(copy, copy.length);
                    if (s.added() > 0) {
                        chunksNew.increment();
                        bytesAdded.add(s.added());
                    }
                    return s.id();
                } finally {
                    inFlight.release();
                }
            });
        }

        List<Future<String>> store(InputStream in) throws IOException {
            List<Future<String>> ids = new ArrayList<>();
            chunker.split(in, (buf, len) -> ids.add(put(buf, len)));
            return ids;
        }

        List<Future<String>> store(Path file, long size) throws IOException {
            if (size <= chunker.min()) { // one chunk: read it whole, no chunker
                byte[] all = Files.readAllBytes(file);
                return all.length == 0 ? List.of() : List.of(put(all, all.length));
            }
            try (InputStream in = Files.newInputStream(file)) {
                return store(in);
            }
        }

        Snapshot.Tree tree(Source source, Optional<Snapshot.Tree> before) throws IOException {
            Map<String, Entry> earlier = new HashMap<>();
            before.ifPresent(t -> t.entries().forEach(e -> earlier.put(e.path(), e)));
            Map<Long, String> inodes = new HashMap<>();
            List<Entry> entries = new ArrayList<>();
            Map<Integer, List<Future<String>>> pending = new HashMap<>();
            Path root = source.path();
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    entries.add(entry(root, d, Type.DIR, 0, List.of(), ""));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes basic) throws IOException {
                    if (basic.isSymbolicLink()) {
                        entries.add(entry(root, f, Type.SYMLINK, 0, List.of(), Files.readSymbolicLink(f).toString()));
                    } else if (basic.isRegularFile()) {
                        FileStat a = FileStat.of(f, basic);
                        long inode = a.inode();
                        String rel = relative(root, f);
                        if (a.nlink() > 1 && inodes.containsKey(inode)) {
                            entries.add(entry(root, f, Type.HARDLINK, 0, List.of(), inodes.get(inode)));
                            return FileVisitResult.CONTINUE;
                        }
                        inodes.put(inode, rel);
                        files.increment();
                        Entry old = earlier.get(rel);
                        long size = a.size();
                        long mtime = a.mtimeMillis();
                        long ctime = a.ctimeNanos();
                        if (old != null && old.type() == Type.FILE && old.size() == size && old.mtime() == mtime && old.inode() == inode
                                && old.chunks().stream().allMatch(chunks::contains)) {
                            unchanged.increment();
                            // same ctime: mode, owner and xattrs are as recorded too, so the old entry stands whole
                            entries.add(old.ctime() == ctime ? old : entry(rel, f, a, Type.FILE, size, old.chunks(), ""));
                        } else {
                            Entry e = entry(rel, f, a, Type.FILE, size, List.of(), "");
                            pending.put(entries.size(), store(f, size));
                            entries.add(e);
                        }
                    }
                    // sockets and device files are skipped: a volume's data is its files
                    return FileVisitResult.CONTINUE;
                }
            });
            for (Map.Entry<Integer, List<Future<String>>> p : pending.entrySet()) {
                Entry e = entries.get(p.getKey());
                entries.set(p.getKey(), e.withChunks(await(p.getValue())));
            }
            return new Snapshot.Tree(source.name(), root.toString(), entries);
        }

        Snapshot.Tree stream(StreamSource source, Optional<Snapshot.Tree> before) throws IOException {
            files.increment();
            Optional<Entry> same = before.flatMap(t -> t.entries().stream().findFirst())
                    .filter(e -> e.target().equals(source.key()) && e.chunks().stream().allMatch(chunks::contains));
            List<String> ids;
            long size;
            if (same.isPresent()) {
                unchanged.increment();
                ids = same.get().chunks();
                size = same.get().size();
            } else {
                long readBefore = bytesRead.sum();
                try (InputStream in = source.open().open()) {
                    ids = await(store(in));
                }
                size = bytesRead.sum() - readBefore;
            }
            Entry entry = new Entry(".", Type.FILE, 0600, 0, 0, System.currentTimeMillis(), size, ids, source.key(), 0);
            return new Snapshot.Tree(source.name(), "", List.of(entry), source.meta());
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    /** The results in order; a worker's IOException is rethrown as it was. */
    private static <T> List<T> await(List<Future<T>> futures) throws IOException {
        List<T> out = new ArrayList<>(futures.size());
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("backup interrupted");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) throw io;
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IOException(e.getCause());
            }
        }
        return out;
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

    private static Entry entry(Path root, Path p, Type type, long size, List<String> chunkIds, String target) throws IOException {
        return entry(relative(root, p), p, FileStat.of(p), type, size, chunkIds, target);
    }

    private static Entry entry(String rel, Path p, FileStat a, Type type, long size, List<String> chunkIds, String target) {
        return new Entry(rel, type, a.mode() & 07777, a.uid(), a.gid(), a.mtimeMillis(), size, chunkIds, target, a.inode(),
                type == Type.SYMLINK ? Map.of() : xattrs(p), a.ctimeNanos());
    }

    /** The user.* extended attributes (the JDK reads no other namespace; POSIX ACLs live in system.*). */
    static Map<String, String> xattrs(Path p) {
        var view = Files.getFileAttributeView(p, java.nio.file.attribute.UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) return Map.of();
        try {
            List<String> names = view.list();
            if (names.isEmpty()) return Map.of();
            Map<String, String> out = new java.util.TreeMap<>();
            for (String name : names) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(view.size(name));
                view.read(name, buf);
                out.put(name, java.util.Base64.getEncoder().encodeToString(buf.array()));
            }
            return out;
        } catch (IOException | UnsupportedOperationException e) {
            return Map.of(); // a filesystem without user xattrs
        }
    }

    private static String relative(Path root, Path p) {
        String rel = root.relativize(p).toString();
        return rel.isEmpty() ? "." : rel;
    }

    private Path snapshotPath(String id) {
        return dir.resolve("snapshots").resolve(id + ".json");
    }

    /** All snapshots, oldest first. */
    public List<Snapshot> snapshots() throws IOException {
        List<Snapshot> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) out.add(readSnapshot(f));
        }
        out.sort(Comparator.comparing((Snapshot s) -> Instant.parse(s.time())).thenComparing(Snapshot::id));
        return out;
    }

    private Snapshot readSnapshot(Path f) throws IOException {
        byte[] bytes = RepositoryKey.readFile(key, f, "the snapshot");
        try {
            boolean zstd = bytes.length > 4 && (bytes[0] & 0xff) == 0x28 && (bytes[1] & 0xff) == 0xb5 && (bytes[2] & 0xff) == 0x2f && (bytes[3] & 0xff) == 0xfd;
            return JSON.readValue(zstd ? com.github.luben.zstd.Zstd.decompress(bytes, (int) com.github.luben.zstd.Zstd.getFrameContentSize(bytes)) : bytes,
                    Snapshot.class);
        } catch (IOException e) {
            throw new IOException("the snapshot " + f + " is damaged: " + e.getMessage());
        }
    }

    /** The newest snapshot; only its file is read (ids start with their UTC time, so names sort by age). */
    public Optional<Snapshot> latest() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
            Optional<Path> newest = files.filter(p -> p.toString().endsWith(".json")).max(Comparator.comparing(p -> p.getFileName().toString()));
            return newest.isEmpty() ? Optional.empty() : Optional.of(readSnapshot(newest.get()));
        }
    }

    /** The snapshot with this id, or the only one whose id starts with it, or 'latest'. */
    public Snapshot snapshot(String idOrPrefix) throws IOException {
        List<Snapshot> all = snapshots();
        if (idOrPrefix.equals("latest")) {
            if (all.isEmpty()) throw new IOException("the repository " + dir + " has no snapshots yet");
            return all.get(all.size() - 1);
        }
        List<Snapshot> matches = all.stream().filter(s -> s.id().startsWith(idOrPrefix)).toList();
        if (matches.size() != 1) throw new IOException(matches.isEmpty() ? "no snapshot " + idOrPrefix : idOrPrefix + " matches " + matches.size() + " snapshots");
        return matches.get(0);
    }

    /** What a prune removed (or would remove, on a dry run): snapshots, chunks, and bytes given back. */
    public record Pruned(List<String> snapshots, long chunks, long bytes) {}

    /**
     * Forgets the snapshots {@code retention} does not keep, then gives back the space of the chunks no
     * remaining snapshot refers to: a pack with nothing in use is deleted, a pack mostly unused (or
     * small) is repacked. Snapshot files go first: a prune killed half-way leaves only unreferenced
     * chunks, which the next prune removes.
     */
    public Pruned prune(Retention retention, boolean dryRun) throws IOException {
        try (RepositoryLock lock = RepositoryLock.acquire(dir)) {
            chunks.reload();
            List<Snapshot> all = snapshots();
            Set<String> keep = retention.keep(all);
            List<String> forget = all.stream().map(Snapshot::id).filter(id -> !keep.contains(id)).toList();
            Set<String> referenced = new HashSet<>();
            all.stream().filter(s -> keep.contains(s.id()))
                    .forEach(s -> s.trees().forEach(t -> t.entries().forEach(e -> referenced.addAll(e.chunks()))));
            if (!dryRun) for (String id : forget) Files.deleteIfExists(snapshotPath(id));
            long count = 0;
            long bytes = 0;
            for (Path orphan : chunks.unindexedPacks()) { // a killed run's or a full disk's leftovers
                bytes += Files.size(orphan);
                if (!dryRun) Files.delete(orphan);
            }
            for (Map.Entry<String, List<String>> pack : chunks.packs().entrySet()) {
                List<String> used = pack.getValue().stream().filter(referenced::contains).toList();
                if (used.size() == pack.getValue().size()) continue;
                long unusedBytes = pack.getValue().stream().filter(id -> !referenced.contains(id))
                        .mapToLong(id -> chunks.locate(id).map(ChunkStore.Location::length).orElse(0)).sum();
                long packBytes = pack.getValue().stream().mapToLong(id -> chunks.locate(id).map(ChunkStore.Location::length).orElse(0)).sum();
                // repacking rewrites the used part: worth it when much is unused, or the pack is small anyway
                boolean worth = used.isEmpty() || unusedBytes * 10 >= packBytes || packBytes < ChunkStore.PACK_TARGET / 4;
                if (!worth) continue;
                count += pack.getValue().size() - used.size();
                bytes += unusedBytes;
                if (dryRun) continue;
                if (used.isEmpty()) chunks.dropPack(pack.getKey());
                else chunks.repack(List.of(pack.getKey()), used);
            }
            return new Pruned(forget, count, bytes);
        }
    }

    /**
     * Checks a snapshot: every chunk it names is indexed and inside its pack, and with {@code readData}
     * every chunk is read, decrypted and re-hashed. The problems found, each naming the file it belongs
     * to; empty when sound.
     */
    public List<String> verify(Snapshot snapshot, boolean readData) throws IOException {
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
                        problems.add(t.source() + ":" + e.path() + ": chunk " + id + " is missing (its pack " + at.get().pack() + " is gone)");
                    } else if (packSize < at.get().offset() + at.get().length()) {
                        problems.add(t.source() + ":" + e.path() + ": chunk " + id + " is missing (its pack " + at.get().pack() + " is cut short)");
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
     * Restores one tree of a snapshot so that {@code target} holds it, byte for byte: each chunk is checked
     * against its hash as it is written (files in parallel); modes, owners (as root), extended attributes and
     * modification times are set after the content. The tree is checked whole first and built in a new
     * private directory that then replaces {@code target}, so nothing outside {@code target} is touched and a
     * failed restore leaves it as it was ({@link SafeRestore} says why).
     */
    public long restore(Snapshot.Tree tree, Path target) throws IOException {
        return new SafeRestore(this::read, threads).restore(tree, target);
    }

    @Override
    public void close() throws IOException {
        chunks.close();
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
