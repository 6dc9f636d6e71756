package dev.kiban.backup;

import dev.kiban.backup.Snapshot.Entry;
import dev.kiban.backup.Snapshot.Entry.Type;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * A backup run: content-defined chunks (R5.3) of every source, hashed and compressed on every core, stored
 * once in the repository's packs. Unchanged files (same size, mtime and inode as in the previous snapshot
 * of the same source) are not read again. The snapshot is written only after its chunks are durable, so a
 * run killed at any point leaves the earlier snapshots intact and the next run completes.
 */
final class BackupRun {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final ChunkStore chunks;
    private final SnapshotStore snapshots;
    private final Chunker chunker;
    private final RepositoryKey key;
    private final int threads;

    BackupRun(Path dir, ChunkStore chunks, SnapshotStore snapshots, Chunker chunker, RepositoryKey key, int threads) {
        this.dir = dir;
        this.chunks = chunks;
        this.snapshots = snapshots;
        this.chunker = chunker;
        this.key = key;
        this.threads = threads;
    }

    /**
     * Backs up every source into one new snapshot, holding the repository lock throughout. On failure
     * nothing of the run is kept (its packs are removed, so a full disk gets its space back) and the
     * earlier snapshots are untouched.
     */
    Snapshot backup(List<BackupRepository.Source> sources, List<BackupRepository.StreamSource> streams,
            BackupRepository.Quiesce quiesce, List<String> notes) throws IOException {
        long start = System.nanoTime();
        try (RepositoryLock lock = RepositoryLock.writer(dir, false); Run run = new Run()) {
            // the previous snapshot (megabytes of JSON to parse) is read beside the reload and the first walk, which
            // need it only at their first regular file
            Future<Map<String, Snapshot.Tree>> previous = run.aside.submit(() -> {
                Map<String, Snapshot.Tree> byName = new HashMap<>();
                snapshots.latest().ifPresent(s -> s.trees().forEach(t -> byName.put(t.source(), t)));
                return byName;
            });
            try {
                chunks.reload();
            } catch (IOException | RuntimeException e) {
                run.previous(previous); // its failure first, as when it was read before the reload
                throw e;
            }
            chunks.startRun();
            try {
                List<Snapshot.Tree> trees = new ArrayList<>();
                for (BackupRepository.Source s : sources) {
                    quiesce.before(s);
                    try {
                        trees.add(run.tree(s, () -> Optional.ofNullable(run.previous(previous).get(s.name()))));
                    } finally {
                        quiesce.after(s);
                    }
                }
                for (BackupRepository.StreamSource s : streams) {
                    trees.add(run.stream(s, Optional.ofNullable(run.previous(previous).get(s.name()))));
                }
                chunks.flush();
                Instant now = Instant.now();
                String id = ID.format(now) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
                List<String> allNotes = new ArrayList<>(notes);
                allNotes.addAll(quiesce.notes());
                allNotes.addAll(run.notes);
                Snapshot snapshot = new Snapshot(id, now.toString(), host(), trees,
                        run.stats(System.nanoTime() - start), allNotes);
                snapshots.write(snapshot);
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
        /** Beside the workers: the previous snapshot's reader. */
        final ExecutorService aside = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kiban-backup-previous");
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
            return new Snapshot.Stats(files.sum(), bytesRead.sum(), chunksNew.sum(), bytesAdded.sum(), unchanged.sum(),
                    nanos / 1_000_000);
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

        /** The previous snapshot's trees by source, once read; its reader's failure is rethrown as it was. */
        Map<String, Snapshot.Tree> previous(Future<Map<String, Snapshot.Tree>> read) throws IOException {
            return await(List.of(read)).get(0);
        }

        Snapshot.Tree tree(BackupRepository.Source source, Previous before) throws IOException {
            Map<Long, String> inodes = new HashMap<>();
            List<Entry> entries = new ArrayList<>();
            Map<Integer, List<Future<String>>> pending = new HashMap<>();
            // the operator's (or the engine's) root may be a link, such as a mountpoint path: its target is
            // walked; links inside the tree are stored as links
            Path root = source.path().toRealPath();
            Object repoKey = FileIdentity.fileKey(dir);
            if (FileIdentity.ancestorKeys(root).contains(repoKey)) {
                throw new RepositoryUsageException("the backup source " + source.path() + " lies inside the backup "
                        + "repository " + dir + "; a repository is not backed up into itself");
            }
            Object keyKey = key == null ? null : FileIdentity.fileKey(key.file());
            // the walk (a lstat per file, the entries of directories and links) runs in its own thread, ahead of
            // this one, which compares each file with the previous snapshot and stores what changed, in walk order
            Walk walk = new Walk(source.name(), root, repoKey, keyKey);
            Thread walker = new Thread(walk, "kiban-walk");
            walker.setDaemon(true);
            walker.start();
            try {
                Map<String, Entry> earlier = null; // the previous snapshot's entries, at the first regular file
                for (Walked w = walk.next(); w != Walk.END; w = walk.next()) {
                    if (w.note() != null) {
                        notes.add(w.note());
                        continue;
                    }
                    if (w.entry() != null) {
                        entries.add(w.entry());
                        continue;
                    }
                    if (earlier == null) earlier = byPath(before.tree());
                    file(w, earlier, inodes, entries, pending);
                }
            } finally {
                walker.interrupt(); // stops a walk left behind by a failure; one that ended is not affected
                joinUninterruptibly(walker);
            }
            for (Map.Entry<Integer, List<Future<String>>> p : pending.entrySet()) {
                Entry e = entries.get(p.getKey());
                entries.set(p.getKey(), e.withChunks(await(p.getValue())));
            }
            return new Snapshot.Tree(source.name(), source.path().toString(), entries, source.meta());
        }

        /**
         * One regular file of the walk: a hard link to a file already seen, unchanged (same size, mtime and
         * inode as in the previous snapshot, all its chunks present), or read and stored.
         */
        private void file(Walked w, Map<String, Entry> earlier, Map<Long, String> inodes, List<Entry> entries,
                Map<Integer, List<Future<String>>> pending) throws IOException {
            FileStat a = w.stat();
            long inode = a.inode();
            String rel = w.rel();
            Path f = w.path();
            if (a.nlink() > 1 && inodes.containsKey(inode)) {
                entries.add(entry(rel, f, a, Type.HARDLINK, 0, List.of(), inodes.get(inode)));
                return;
            }
            inodes.put(inode, rel);
            files.increment();
            Entry old = earlier.get(rel);
            long size = a.size();
            long mtime = a.mtimeMillis();
            long ctime = a.ctimeNanos();
            if (old != null && old.type() == Type.FILE && old.size() == size && old.mtime() == mtime
                    && old.inode() == inode && allStored(old.chunks())) {
                unchanged.increment();
                // same ctime: mode, owner and xattrs are as recorded too, so the old entry stands whole
                entries.add(old.ctime() == ctime ? old : entry(rel, f, a, Type.FILE, size, old.chunks(), ""));
            } else {
                Entry e = entry(rel, f, a, Type.FILE, size, List.of(), "");
                pending.put(entries.size(), store(f, size));
                entries.add(e);
            }
        }

        private static Map<String, Entry> byPath(Optional<Snapshot.Tree> tree) {
            Map<String, Entry> out = new HashMap<>();
            tree.ifPresent(t -> t.entries().forEach(e -> out.put(e.path(), e)));
            return out;
        }

        private boolean allStored(List<String> ids) {
            for (String id : ids) {
                if (!chunks.contains(id)) return false;
            }
            return true;
        }

        Snapshot.Tree stream(BackupRepository.StreamSource source, Optional<Snapshot.Tree> before) throws IOException {
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
            aside.shutdownNow();
        }
    }

    /** The previous snapshot's tree of a source, read when first needed. */
    @FunctionalInterface
    interface Previous {
        Optional<Snapshot.Tree> tree() throws IOException;
    }

    /**
     * What the walk hands over, in walk order: a note (something left out), a finished entry (a directory
     * or a link), or a regular file with its lstat and its path relative to the root.
     */
    private record Walked(String note, Entry entry, Path path, String rel, FileStat stat) {}

    /**
     * The walk of one source in its own thread: lstat per file, and the entries of directories and links
     * (their lstat and extended attributes) made here. Handed over in batches; its failure is rethrown as it
     * was by {@link #next}, after what it walked before.
     */
    private static final class Walk implements Runnable {
        static final Walked END = new Walked(null, null, null, null, null);
        private static final int BATCH = 256;

        private final String source;
        private final Path root;
        private final Object repoKey;
        private final Object keyKey;
        private final int rootLength;
        private final java.util.concurrent.BlockingQueue<Object> queue =
                new java.util.concurrent.ArrayBlockingQueue<>(64);
        private List<Walked> batch = new ArrayList<>(BATCH);
        private List<Walked> taken = List.of();
        private int at;

        Walk(String source, Path root, Object repoKey, Object keyKey) {
            this.source = source;
            this.root = root;
            this.repoKey = repoKey;
            this.keyKey = keyKey;
            String r = root.toString();
            this.rootLength = r.endsWith("/") ? r.length() : r.length() + 1;
        }

        @Override
        public void run() {
            Object last;
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                        if (attrs.fileKey() != null && attrs.fileKey().equals(repoKey)) {
                            hand(new Walked(source + ": left out " + d + ", the backup repository itself",
                                    null, null, null, null));
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        hand(new Walked(null, entry(relative(d), d, FileStat.of(d, attrs), Type.DIR, 0, List.of(),
                                ""), null, null, null));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes basic) throws IOException {
                        if (keyKey != null && keyKey.equals(basic.fileKey())) {
                            hand(new Walked(source + ": left out " + f + ", the repository's key file",
                                    null, null, null, null));
                            return FileVisitResult.CONTINUE;
                        }
                        if (basic.isSymbolicLink()) {
                            hand(new Walked(null, entry(relative(f), f, FileStat.of(f), Type.SYMLINK, 0, List.of(),
                                    Files.readSymbolicLink(f).toString()), null, null, null));
                        } else if (basic.isRegularFile()) {
                            hand(new Walked(null, null, f, relative(f), FileStat.of(f, basic)));
                        }
                        // sockets and device files are skipped: a volume's data is its files
                        return FileVisitResult.CONTINUE;
                    }
                });
                last = END;
            } catch (Stopped e) {
                return; // the reader gave up
            } catch (IOException | RuntimeException | Error e) {
                last = e;
            }
            try {
                if (!batch.isEmpty()) queue.put(batch);
                queue.put(last);
            } catch (InterruptedException e) {
                // the reader gave up
            }
        }

        /** The path relative to the root, "." for the root: the root is a real path, so a prefix of every path. */
        private String relative(Path p) {
            String s = p.toString();
            return s.length() <= rootLength ? "." : s.substring(rootLength);
        }

        private void hand(Walked w) {
            batch.add(w);
            if (batch.size() < BATCH) return;
            try {
                queue.put(batch);
            } catch (InterruptedException e) {
                throw new Stopped();
            }
            batch = new ArrayList<>(BATCH);
        }

        /** The next of the walk, {@link #END} after the last; the walk's failure in its place. */
        Walked next() throws IOException {
            while (at == taken.size()) {
                Object o;
                try {
                    o = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("backup interrupted");
                }
                if (o == END) return END;
                if (o instanceof IOException e) throw e;
                if (o instanceof RuntimeException e) throw e;
                if (o instanceof Error e) throw e;
                @SuppressWarnings("unchecked")
                List<Walked> got = (List<Walked>) o;
                taken = got;
                at = 0;
            }
            return taken.get(at++);
        }

        /** Unwinds the walk when its reader is gone. */
        private static final class Stopped extends RuntimeException {
            Stopped() {
                super(null, null, false, false);
            }
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
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

    private static Entry entry(String rel, Path p, FileStat a, Type type, long size, List<String> chunkIds,
            String target) {
        return new Entry(rel, type, a.mode() & 07777, a.uid(), a.gid(), a.mtimeMillis(), size, chunkIds, target,
                a.inode(),
                type == Type.SYMLINK ? Map.of() : xattrs(p), a.ctimeNanos());
    }

    /** The user.* extended attributes (the JDK reads no other namespace; POSIX ACLs live in system.*). */
    static Map<String, String> xattrs(Path p) {
        var view = Files.getFileAttributeView(p, java.nio.file.attribute.UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
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

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
