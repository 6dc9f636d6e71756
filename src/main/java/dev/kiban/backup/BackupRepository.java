package dev.kiban.backup;

import dev.kiban.backup.Snapshot.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deduplicating backup repository: content-defined chunks (R5.3) in a {@link ChunkStore} of pack
 * files, and one snapshot per run ({@link SnapshotStore}) listing every entry with its metadata. With a
 * key, every pack blob, index and snapshot is encrypted (AES-256-GCM). This class opens or creates the
 * repository ({@link RepositoryConfig}) and hands each operation to its part: {@link BackupRun},
 * {@link PrunePlan} and {@link PruneExecutor}, {@link RepositoryCheck}, {@link RepositoryRepair},
 * {@link Restore}.
 *
 * <p>Damage stays local: a snapshot file or index that cannot be read is reported ({@link #catalog},
 * {@link #damage}) and spoils only what it covers; prune and {@link #repair} never delete what a kept
 * snapshot refers to. Writers hold a kernel lock ({@link RepositoryLock}); only {@link #open} creates a
 * repository, readers use {@link #openExisting}.
 */
public final class BackupRepository implements AutoCloseable {
    public static final String FORMAT = "kiban-backup/2";

    private final Path dir;
    private final ChunkStore chunks;
    private final Chunker chunker;
    private final RepositoryKey key;
    private final int threads;
    private final SnapshotStore snapshots;
    private RepositoryLock readLock;

    private BackupRepository(Path dir, Chunker chunker, RepositoryKey key, int threads) throws IOException {
        this.dir = dir;
        this.chunks = new ChunkStore(dir, key);
        this.chunker = chunker;
        this.key = key;
        this.threads = threads;
        this.snapshots = new SnapshotStore(dir, key);
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
        Path dir = RepositoryConfig.realRepository(given);
        if (!RepositoryConfig.hasConfig(dir)) RepositoryConfig.create(dir, keyFile);
        return load(dir, keyFile, chunker, threads);
    }

    /**
     * Opens the repository at {@code dir}, which must exist: nothing is created, neither a directory nor
     * a key. A path that is not a repository is a usage mistake ({@link RepositoryUsageException}).
     */
    public static BackupRepository openExisting(Path dir, Optional<Path> keyFile) throws IOException {
        if (!Files.exists(dir.resolve(RepositoryConfig.CONFIG), LinkOption.NOFOLLOW_LINKS)) {
            String why = !Files.exists(dir) ? "it does not exist" : !Files.isDirectory(dir) ? "not a directory"
                    : "it has no " + RepositoryConfig.CONFIG;
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

    private static BackupRepository load(Path dir, Optional<Path> keyFile, Chunker chunker,
            int threads) throws IOException {
        RepositoryKey key = RepositoryConfig.load(dir, keyFile);
        return new BackupRepository(dir, chunker, key, Math.max(1, threads));
    }

    public Path dir() {
        return dir;
    }

    public boolean encrypted() {
        return key != null;
    }

    /**
     * Sources to back up: a name, the directory it lives in, and facts recorded with its tree (the engine version
     * a Swarm state was taken on, say).
     */
    public record Source(String name, Path path, Map<String, String> meta) {
        public Source {
            meta = meta == null ? Map.of() : Map.copyOf(meta);
        }

        public Source(String name, Path path) {
            this(name, path, Map.of());
        }
    }

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
    public Snapshot backup(List<Source> sources, List<StreamSource> streams, Quiesce quiesce, List<String> notes)
            throws IOException {
        return new BackupRun(dir, chunks, snapshots, chunker, key, threads).backup(sources, streams, quiesce, notes);
    }

    /** The content of a file entry, chunk by chunk, each checked against its hash as it is read. */
    public InputStream read(Entry entry) {
        return Restore.read(chunks, entry);
    }

    /** Reads every snapshot file; one that cannot be read is listed as damaged and spoils nothing else. */
    public SnapshotStore.Catalog catalog() throws IOException {
        return snapshots.catalog();
    }

    /** The sound snapshots, oldest first; the damaged ones are in {@link #catalog}. */
    public List<Snapshot> snapshots() throws IOException {
        return snapshots.snapshots();
    }

    /** The newest sound snapshot. */
    public Optional<Snapshot> latest() throws IOException {
        return snapshots.latest();
    }

    /** The snapshot with this id, or the only one whose id starts with it, or 'latest' ({@link SnapshotStore}). */
    public Snapshot snapshot(String idOrPrefix) throws IOException {
        return snapshots.snapshot(idOrPrefix);
    }

    /**
     * What a prune removed (or would remove, on a dry run): snapshots, chunks and bytes given back; the
     * unindexed packs it re-indexed because a kept snapshot needs them; and what kept snapshots miss
     * (nothing in the repository holds it), one line per snapshot. {@link #plan} holds each step.
     */
    public record Pruned(PrunePlan plan) {
        public List<String> snapshots() {
            return plan.forget();
        }

        public long chunks() {
            return plan.chunks();
        }

        public long bytes() {
            return plan.bytes();
        }

        public List<String> reindexed() {
            return plan.reindex();
        }

        public List<String> missing() {
            return plan.missing();
        }
    }

    /**
     * Forgets the snapshots {@code retention} does not keep and gives back the space of the chunks no kept
     * snapshot refers to, as {@link PrunePlan} works out; a dry run only works it out. Under the writer's
     * lock: no reader or run is half-way through what it removes.
     */
    public Pruned prune(Retention retention, boolean dryRun) throws IOException {
        try (RepositoryLock lock = RepositoryLock.writer(dir, true)) {
            chunks.reload();
            PruneExecutor executor = new PruneExecutor(dir, chunks, snapshots);
            PrunePlan.Facts facts = executor.facts();
            PrunePlan plan = PrunePlan.of(facts, retention);
            if (!dryRun) executor.apply(plan, facts);
            return new Pruned(plan);
        }
    }

    /** What a repair did (or would do): each step, what kept snapshots still miss, and packs it could not re-index. */
    public record Repaired(List<String> actions, List<String> missing, List<String> unrecoverable,
            List<String> unreadable) {}


    /** Moves what is damaged aside and re-indexes what can be ({@link RepositoryRepair}); deletes nothing. */
    public Repaired repair(boolean dryRun) throws IOException {
        return new RepositoryRepair(dir, chunks, snapshots).repair(dryRun);
    }

    /**
     * What is damaged besides the snapshots' own chunks: unreadable snapshot files and indexes, one line
     * each, for verify.
     */
    public List<String> damage() throws IOException {
        return new RepositoryCheck(chunks, snapshots).damage();
    }

    /** Packs no readable index lists: a killed run's leftovers, or packs whose index was lost. */
    public int unindexedPacks() throws IOException {
        return new RepositoryCheck(chunks, snapshots).unindexedPacks();
    }

    /**
     * Checks a snapshot: every chunk it names is indexed and inside its pack, and with {@code readData}
     * every chunk is read, decrypted and re-hashed. The problems found, each naming the file it belongs
     * to; empty when sound.
     */
    public List<String> verify(Snapshot snapshot, boolean readData) throws IOException {
        return new RepositoryCheck(chunks, snapshots).verify(snapshot, readData);
    }

    /** {@link #verify(Snapshot, boolean)} reading back the chunks of the packs {@code sample} draws only. */
    public List<String> verify(Snapshot snapshot, DataSample sample) throws IOException {
        return new RepositoryCheck(chunks, snapshots).verify(snapshot, sample);
    }

    /**
     * Restores one tree of a snapshot so that {@code target} holds it, byte for byte: each chunk is checked
     * against its hash as it is written (files in parallel); modes, owners (as root), extended attributes and
     * modification times are set after the content. The tree is checked whole first and built in a new
     * private directory that then replaces {@code target}, so nothing outside {@code target} is touched and a
     * failed restore leaves it as it was ({@link SafeRestore} says why).
     */
    public long restore(Snapshot.Tree tree, Path target) throws IOException {
        return new Restore(dir, chunks, key, threads).restore(tree, target);
    }

    /**
     * Refuses (a usage mistake) a restore destination that is, holds or lies inside this repository, or
     * holds its key file: the restore replaces the destination's tree and deletes the old one, the
     * repository or key with it. Compared by device and inode (a bind mount too), walking up from the
     * repository's and the key's real paths and from the destination's path, never following a link in it.
     */
    public void checkRestoreDestination(Path target) throws IOException {
        new Restore(dir, chunks, key, threads).checkRestoreDestination(target);
    }

    @Override
    public void close() throws IOException {
        try {
            chunks.close();
        } finally {
            if (readLock != null) readLock.close();
        }
    }
}
