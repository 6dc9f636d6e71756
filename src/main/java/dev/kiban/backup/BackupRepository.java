package dev.kiban.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.backup.Snapshot.Entry;
import dev.kiban.backup.Snapshot.Entry.Type;
import dev.kiban.os.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
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
 *
 * <p>Damage stays local: a snapshot file or index that cannot be read is reported ({@link #catalog},
 * {@link #damage}) and spoils only what it covers; prune and {@link #repair} never delete what a kept
 * snapshot refers to. Writers hold a kernel lock ({@link RepositoryLock}); only {@link #open} creates a
 * repository, readers use {@link #openExisting}.
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
    private RepositoryLock readLock;

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
     * writes a new key (0600). Only a backup run creates: readers use {@link #openExisting}.
     */
    public static BackupRepository open(Path dir, Optional<Path> keyFile) throws IOException {
        return open(dir, keyFile, new Chunker(), Runtime.getRuntime().availableProcessors());
    }

    static BackupRepository open(Path dir, Chunker chunker) throws IOException {
        return open(dir, Optional.empty(), chunker, 2);
    }

    static BackupRepository open(Path given, Optional<Path> keyFile, Chunker chunker, int threads) throws IOException {
        Path dir = realRepository(given);
        if (!hasConfig(dir)) create(dir, keyFile);
        return load(dir, keyFile, chunker, threads);
    }

    private static boolean hasConfig(Path dir) {
        Path config = dir.resolve(CONFIG);
        return Files.exists(config, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(config);
    }

    /**
     * The operator's repository path resolved once, links included (the operator's own path): an existing
     * directory's real path, or a new one's name in its parent's real path. Everything after works on it,
     * so a link in the operator's path is followed once here and never again inside the repository. A
     * path whose parent is missing, or that is a dangling link, is left as given for {@link #create} to refuse.
     */
    private static Path realRepository(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return dir.toRealPath();
        Path abs = dir.toAbsolutePath();
        Path parent = abs.getParent();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) || parent == null || !Files.isDirectory(parent)) return dir;
        return parent.toRealPath().resolve(abs.getFileName());
    }

    /**
     * Opens the repository at {@code dir}, which must exist: nothing is created, neither a directory nor
     * a key. A path that is not a repository is a usage mistake ({@link RepositoryUsageException}).
     */
    public static BackupRepository openExisting(Path dir, Optional<Path> keyFile) throws IOException {
        if (!Files.exists(dir.resolve(CONFIG), LinkOption.NOFOLLOW_LINKS)) {
            String why = !Files.exists(dir) ? "it does not exist" : !Files.isDirectory(dir) ? "not a directory"
                    : "it has no " + CONFIG;
            throw new RepositoryUsageException("not a kiban backup repository: " + dir + " (" + why
                    + "); check -r / backup.repository");
        }
        return load(dir.toRealPath(), keyFile, new Chunker(), Runtime.getRuntime().availableProcessors());
    }

    /**
     * Takes a reader's shared lock, held until {@link #close}: a prune or repair cannot remove what this
     * reader is about to read. Refused while one runs.
     */
    public BackupRepository readLocked() throws IOException {
        if (readLock == null) readLock = RepositoryLock.reader(dir);
        return this;
    }

    private static final String CONFIG = "config.json";

    /**
     * Creates the repository's directory (only its last one) and then, under the writer's lock, its key and
     * configuration: two first runs at once create one key, not two (the second finds the configuration).
     */
    private static void create(Path dir, Optional<Path> keyFile) throws IOException {
        // one look at the path: two looks (is it a directory? does it exist?) race another first run's mkdir
        java.nio.file.attribute.BasicFileAttributes seen;
        try {
            seen = Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException absent) {
            seen = null;
        }
        if (seen != null && seen.isDirectory()) {
            refuseForeign(dir, true);
        } else if (seen != null) {
            throw new RepositoryUsageException("not a kiban backup repository: " + dir
                    + " (not a directory); check -r / backup.repository");
        } else {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                // only the repository's own directory is created: a missing parent is most often an unmounted disk
                throw new IOException("the directory " + parent + " that holds the repository " + dir
                        + " does not exist: is the backup disk "
                        + "mounted? (create the directory to start a new repository there)");
            }
            try {
                Files.createDirectory(dir, PRIVATE_DIR);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new RepositoryUsageException("not a kiban backup repository: " + dir
                            + " (not a directory); check -r / backup.repository");
                }
            }
        }
        try (RepositoryLock lock = RepositoryLock.writer(dir, false)) {
            if (hasConfig(dir)) return; // another first run created it meanwhile
            refuseForeign(dir, false);
            RepositoryKey key = null;
            if (keyFile.isPresent()) key = Files.exists(keyFile.get(), LinkOption.NOFOLLOW_LINKS)
                    || Files.isSymbolicLink(keyFile.get())
                    ? RepositoryKey.read(keyFile.get())
                    : RepositoryKey.generate(keyFile.get());
            Path snapshots = dir.resolve("snapshots");
            if (!Files.isDirectory(snapshots, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(snapshots, PRIVATE_DIR);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("format", FORMAT);
            conf.put("encryption", key == null ? "none" : "aes-256-gcm");
            if (key != null) conf.put("keyCheck", key.check());
            AtomicFile.write(dir.resolve(CONFIG),
                    (JSON.writeValueAsString(conf) + "\n").getBytes(StandardCharsets.UTF_8), "rw-------", false);
        }
    }

    /**
     * Refuses a directory that holds more than a first run leaves (its lock file and snapshots directory);
     * before the lock ({@code creating}) also what another first run may be writing at that moment.
     */
    private static void refuseForeign(Path dir, boolean creating) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            if (s.map(p -> p.getFileName().toString()).anyMatch(n -> !n.equals(RepositoryLock.FILE)
                    && !(n.equals("snapshots") && Files.isDirectory(dir.resolve(n), LinkOption.NOFOLLOW_LINKS))
                    && !(creating && (n.equals(CONFIG) || (n.startsWith("." + CONFIG + ".") && n.endsWith(".tmp")))))) {
                throw new RepositoryUsageException("not a kiban backup repository: " + dir + " (it has no "
                        + CONFIG + " and is not empty); "
                        + "check -r / backup.repository, or give an empty or new directory");
            }
        }
    }

    private static final java.nio.file.attribute.FileAttribute<?> PRIVATE_DIR =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

    private static BackupRepository load(Path dir, Optional<Path> keyFile, Chunker chunker,
            int threads) throws IOException {
        Path config = dir.resolve(CONFIG);
        for (String part : List.of(CONFIG, "snapshots", "index", "packs", DAMAGED)) {
            if (Files.isSymbolicLink(dir.resolve(part))) {
                throw new IOException("the repository " + dir + " is damaged: its " + part
                        + " is a symbolic link, and kiban never follows a "
                        + "link inside a repository");
            }
        }
        Map<?, ?> conf;
        try {
            conf = JSON.readValue(RepositoryKey.readFile(null, config, "the configuration"), Map.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("the repository " + dir + " is damaged: its " + CONFIG + " is not valid JSON; "
                    + "put back a copy of it (it holds only the format, the encryption and the key check) or restore "
                    + "the repository from elsewhere");
        }
        if (conf == null) throw new IOException("the repository " + dir + " is damaged: its " + CONFIG + " is empty");
        if ("kiban-backup/1".equals(conf.get("format"))) {
            throw new RepositoryUsageException(dir + " is a kiban-backup/1 repository (one file per chunk); this kiban "
                    + "writes " + FORMAT + " (pack files): back up into a new repository and remove the old one "
                    + "when the new holds what you need");
        }
        if (!FORMAT.equals(conf.get("format"))) {
            throw new RepositoryUsageException("not a kiban backup repository: " + dir + " (its " + CONFIG
                    + " has another format); check -r / "
                    + "backup.repository");
        }
        boolean encrypted = !"none".equals(conf.get("encryption"));
        if (encrypted && keyFile.isEmpty()) {
            throw new RepositoryUsageException("the repository " + dir
                    + " is encrypted: give its key file (backup.encryptionKey: file:PATH, or "
                    + "--key-file)");
        }
        if (!encrypted && keyFile.isPresent()) {
            throw new RepositoryUsageException("the repository " + dir
                    + " is not encrypted, but a key file is given; an existing repository is "
                    + "not encrypted after the fact: point backup.repository at a new directory");
        }
        RepositoryKey key = null;
        if (encrypted) {
            key = RepositoryKey.read(keyFile.get());
            if (!key.opens(String.valueOf(conf.get("keyCheck")))) throw new IOException("the key file " + keyFile.get()
                    + " does not open the repository " + dir);
        }
        if (!Files.isDirectory(dir.resolve("snapshots"), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the repository " + dir + " is damaged: it has no snapshots directory");
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
        try (RepositoryLock lock = RepositoryLock.writer(dir, false); Run run = new Run()) {
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
                allNotes.addAll(run.notes);
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
        final List<String> notes = new ArrayList<>(); // what the run left out, for the snapshot's notes

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
            // the operator's (or the engine's) root may be a link, such as a mountpoint path: its target is
            // walked; links inside the tree are stored as links
            Path root = source.path().toRealPath();
            Object repoKey = fileKey(dir);
            if (ancestorKeys(root).contains(repoKey)) {
                throw new RepositoryUsageException("the backup source " + source.path() + " lies inside the backup "
                        + "repository " + dir + "; a repository is not backed up into itself");
            }
            Object keyKey = key == null ? null : fileKey(key.file());
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (attrs.fileKey() != null && attrs.fileKey().equals(repoKey)) {
                        notes.add(source.name() + ": left out " + d + ", the backup repository itself");
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    entries.add(entry(root, d, Type.DIR, 0, List.of(), ""));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes basic) throws IOException {
                    if (keyKey != null && keyKey.equals(basic.fileKey())) {
                        notes.add(source.name() + ": left out " + f + ", the repository's key file");
                        return FileVisitResult.CONTINUE;
                    }
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
            return new Snapshot.Tree(source.name(), source.path().toString(), entries);
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

    private static <T> List<T> await(List<Future<T>> futures) throws IOException {
        return await(futures, "backup");
    }

    /**
     * The results in order; a worker's IOException or RuntimeException is rethrown as it was, an Error too.
     * The one wait for workers of backup and restore ({@code what} names it): nothing else is wrapped, so no
     * Java class name reaches a message.
     */
    static <T> List<T> await(List<Future<T>> futures, String what) throws IOException {
        List<T> out = new ArrayList<>(futures.size());
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException(what + " interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) throw io;
                if (cause instanceof RuntimeException r) throw r;
                if (cause instanceof Error error) throw error;
                throw new IOException(what + " failed in a worker"
                        + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
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

    private static final String DAMAGED = "damaged";
    private static final java.util.regex.Pattern CHUNK_ID = java.util.regex.Pattern.compile("[0-9a-f]{64}");

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
                    if (c == null || !CHUNK_ID.matcher(c).matches()) {
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

    /**
     * What a prune removed (or would remove, on a dry run): snapshots, chunks and bytes given back; the
     * unindexed packs it re-indexed because a kept snapshot needs them; and what kept snapshots miss
     * (nothing in the repository holds it), one line per snapshot.
     */
    public record Pruned(List<String> snapshots, long chunks, long bytes, List<String> reindexed,
            List<String> missing) {}

    /**
     * Forgets the snapshots {@code retention} does not keep, then gives back the space of the chunks no
     * kept snapshot refers to: a pack with nothing in use is deleted, a pack mostly unused (or small) is
     * repacked. Liveness comes from the kept snapshots only, never from whether an index exists: a pack
     * without a (readable) index is scanned, and re-indexed when it holds a chunk a kept snapshot needs;
     * it is deleted only when nothing kept needs it (a killed run's leftover). Prune refuses, deleting
     * nothing, when a snapshot file is damaged (what it refers to is unknown) or when a kept snapshot
     * misses a chunk while an unindexed pack that cannot be scanned (an earlier release's) might hold it.
     * Snapshot files go first: a prune killed half-way leaves only unreferenced chunks, which the next
     * prune removes.
     */
    public Pruned prune(Retention retention, boolean dryRun) throws IOException {
        try (RepositoryLock lock = RepositoryLock.writer(dir, true)) {
            chunks.reload();
            Catalog catalog = catalog();
            if (!catalog.damaged().isEmpty()) {
                throw new IOException("prune removed nothing: " + catalog.damaged().size() + " snapshot file"
                        + (catalog.damaged().size() == 1 ? "" : "s")
                        + " cannot be read (" + String.join(", ",
                        catalog.damaged().stream().map(DamagedSnapshot::id).toList()) + "), so what "
                        + (catalog.damaged().size() == 1 ? "it refers" : "they refer")
                        + " to is unknown; run kiban backup repair (it moves damaged "
                        + "files aside into " + dir.resolve(DAMAGED) + ") and prune again");
            }
            if (!chunks.unreadableIndexes().isEmpty()) {
                throw new IOException("prune removed nothing: the index" + (chunks.unreadableIndexes().size() == 1
                        ? " of pack " : "es of packs ") + String.join(", ", chunks.unreadableIndexes())
                        + " cannot be read (permission denied or an I/O error; kiban backup verify says which), "
                        + "so what they hold is unknown; fix the access or the disk and prune again");
            }
            List<Snapshot> all = catalog.snapshots();
            Set<String> keep = retention.keep(all);
            List<Snapshot> kept = all.stream().filter(s -> keep.contains(s.id())).toList();
            List<String> forget = all.stream().map(Snapshot::id).filter(id -> !keep.contains(id)).toList();
            Set<String> referenced = new HashSet<>();
            kept.forEach(s -> s.trees().forEach(t -> t.entries().forEach(e -> referenced.addAll(e.chunks()))));

            Set<String> present = presentChunks(referenced);
            List<String> reindexed = new ArrayList<>();
            List<String> leftovers = new ArrayList<>();
            List<String> unscannable = new ArrayList<>();
            Set<String> partial = new HashSet<>(); // re-indexed, but a damaged header hides the rest: not repacked now
            for (String pack : chunks.unindexedPacks()) {
                ChunkStore.Scan scan = chunks.scan(pack);
                if (scan.blobs().keySet().stream().anyMatch(id -> referenced.contains(id) && !present.contains(id))) {
                    if (!dryRun) {
                        moveDamagedIndexAside(pack, stamp());
                        chunks.reindex(pack, scan.blobs());
                    }
                    present.addAll(scan.blobs().keySet());
                    reindexed.add(pack);
                    if (!scan.whole()) partial.add(pack);
                } else if (!scan.whole()) {
                    unscannable.add(pack); // an earlier release's, or damaged: what it holds is not known
                } else {
                    leftovers.add(pack); // a killed run's: every intact blob was read, none is needed
                }
            }
            Set<String> missing = new HashSet<>(referenced);
            missing.removeAll(present);
            List<String> missingLines = describeMissing(kept, missing);
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

            if (!dryRun) for (String id : forget) Files.deleteIfExists(snapshotPath(id));
            long count = 0;
            long bytes = 0;
            String stamp = stamp();
            for (String pack : leftovers) { // a killed run's or a full disk's leftovers
                bytes += Files.size(chunks.packPath(pack));
                if (dryRun) continue;
                moveDamagedIndexAside(pack, stamp);
                chunks.dropPack(pack);
            }
            for (Map.Entry<String, List<String>> pack : chunks.packs().entrySet()) {
                List<String> used = pack.getValue().stream().filter(referenced::contains).toList();
                if (used.size() == pack.getValue().size() || partial.contains(pack.getKey())) continue;
                // reported missing
                if (!used.isEmpty() && !Files.exists(chunks.packPath(pack.getKey()),
                        LinkOption.NOFOLLOW_LINKS)) continue;
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
            return new Pruned(forget, count, bytes, reindexed, missingLines);
        }
    }

    /** Of {@code ids}, those an index lists in a pack that is on the disk. */
    private Set<String> presentChunks(Set<String> ids) {
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
    private static List<String> describeMissing(List<Snapshot> snapshots, Set<String> missing) {
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

    private static String stamp() {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    }

    /** Moves a file into {@code damaged/<stamp>/<kind>/}, kept for a post-mortem rather than deleted; the new path. */
    private Path moveAside(Path file, String stamp, String kind) throws IOException {
        Path into = dir.resolve(DAMAGED).resolve(stamp).resolve(kind);
        Files.createDirectories(into, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Path target = into.resolve(file.getFileName());
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private void moveDamagedIndexAside(String pack, String stamp) throws IOException {
        Path index = chunks.indexPath(pack);
        if (Files.exists(index, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(index)) {
            moveAside(index, stamp, "index");
            chunks.forgetDamagedIndex(pack);
        }
    }

    /** What a repair did (or would do): each step, what kept snapshots still miss, and packs it could not re-index. */
    public record Repaired(List<String> actions, List<String> missing, List<String> unrecoverable,
            List<String> unreadable) {}

    /**
     * Puts the repository back into a state every command can use, as restic's {@code repair index} and
     * {@code repair snapshots} do: unreadable snapshot files and indexes (and indexes whose pack is gone)
     * are moved aside into {@code damaged/<time>/}, and every pack without an index is re-indexed from its
     * blob headers, each blob re-hashed first. Nothing is deleted. What the sound snapshots then still
     * miss is reported by snapshot and file.
     */
    public Repaired repair(boolean dryRun) throws IOException {
        try (RepositoryLock lock = RepositoryLock.writer(dir, true)) {
            chunks.reload();
            String stamp = stamp();
            String would = dryRun ? "would move " : "moved ";
            List<String> actions = new ArrayList<>();
            List<String> unreadable = new ArrayList<>(); // not known to be damaged: left where they are
            Catalog catalog = catalog();
            for (DamagedSnapshot d : catalog.damaged()) {
                if (d.unreadable()) {
                    unreadable.add(d.reason());
                    continue;
                }
                String to = dryRun ? "" : " to " + moveAside(d.file(), stamp, "snapshots");
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
                    to = " to " + moveAside(chunks.indexPath(d.getKey()), stamp, "index");
                    chunks.forgetDamagedIndex(d.getKey());
                }
                actions.add(would + "the damaged index of pack " + d.getKey() + " aside" + to + " (" + d.getValue()
                        + ")");
            }
            for (Map.Entry<String, List<String>> pack : chunks.packs().entrySet()) {
                if (Files.exists(chunks.packPath(pack.getKey()), LinkOption.NOFOLLOW_LINKS)) continue;
                String to = "";
                if (!dryRun) {
                    to = " to " + moveAside(chunks.indexPath(pack.getKey()), stamp, "index");
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
            missing.removeAll(presentChunks(referenced));
            missing.removeAll(recovered);
            return new Repaired(actions, describeMissing(sound, missing), unrecoverable, unreadable);
        }
    }

    /**
     * What is damaged besides the snapshots' own chunks: unreadable snapshot files and indexes, one line
     * each, for verify; and how many packs have no index (a killed run's, or re-indexable), as a note.
     */
    public List<String> damage() throws IOException {
        chunks.reload();
        List<String> out = new ArrayList<>();
        catalog().damaged().forEach(d -> out.add(d.reason()));
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
        checkRestoreDestination(target);
        return new SafeRestore(this::read, threads).restore(tree, target);
    }

    /**
     * Refuses (a usage mistake) a restore destination that is, holds or lies inside this repository, or
     * holds its key file: the restore replaces the destination's tree and deletes the old one, the
     * repository or key with it. Compared by device and inode (a bind mount too), walking up from the
     * repository's and the key's real paths and from the destination's path, never following a link in it.
     */
    public void checkRestoreDestination(Path target) throws IOException {
        Path dest = target.toAbsolutePath().normalize();
        Path repo = dir.toRealPath();
        Object destKey = fileKey(dest);
        String conflict = null;
        if (dest.equals(repo) || (destKey != null && destKey.equals(fileKey(repo)))) {
            conflict = "is the backup repository";
        } else if (repo.startsWith(dest) || (destKey != null && ancestorKeys(repo).contains(destKey))) {
            conflict = "holds the backup repository " + repo;
        } else if (dest.startsWith(repo) || ancestorKeys(dest).contains(fileKey(repo))) {
            conflict = "lies inside the backup repository " + repo;
        } else if (key != null) {
            Path k = key.file().toAbsolutePath();
            Path parent = k.getParent() == null ? null : k.getParent().toRealPath();
            Path real = parent == null ? k : parent.resolve(k.getFileName());
            if (real.startsWith(dest)
                    || (destKey != null && parent != null && ancestorKeys(parent).contains(destKey))) {
                conflict = "holds the repository's key file " + real;
            }
        }
        if (conflict != null) {
            throw new RepositoryUsageException("refused: the restore destination " + dest + " " + conflict
                    + "; restoring there would replace it and delete the old tree with it. Restore elsewhere with "
                    + "--target DIR, or move the repository and its key out of " + dest + " first");
        }
    }

    /** The device and inode of {@code p} itself (not followed), or null when it does not exist. */
    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The file keys of {@code p} and every directory above it that exists. */
    private static Set<Object> ancestorKeys(Path p) {
        Set<Object> out = new HashSet<>();
        for (Path at = p.toAbsolutePath(); at != null; at = at.getParent()) {
            Object k = fileKey(at);
            if (k != null) out.add(k);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            chunks.close();
        } finally {
            if (readLock != null) readLock.close();
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
