package dev.kiban.backup;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Chunks by their SHA-256, compressed with zstd (and sealed when the repository has a key), appended
 * to pack files of about 16 MiB under {@code packs/ab/<pack>}. A pack is flushed to disk before its
 * index ({@code index/<pack>}: id, offset, length of each blob) is written atomically, so a chunk
 * listed in an index is on the disk even after a power loss. The same bytes are stored once across
 * all snapshots; every read re-hashes what it returns.
 *
 * <p>Pack layout. A pack written by this release starts with the 8 bytes {@code kpak 0 0 0 1} and puts
 * a fixed-size header before every blob: without a key {@code kblb}, the chunk id (32 bytes), the
 * blob's length and the chunk's size (4 bytes each) and a CRC-32 of those (48 bytes); with a key the
 * id, length and size are sealed like a blob (nonce, ciphertext, tag: always 68 bytes), so the header
 * gives no chunk id away and a scanner still knows where the next header starts. A pack whose index is
 * lost or damaged is re-indexed from these headers ({@link #scan}), every blob re-hashed before it is
 * listed. Packs of earlier releases are plain concatenations of blobs: still read through their
 * indexes, but an old pack without an index cannot be re-indexed, so prune keeps it while a snapshot
 * misses a chunk. Indexes still point at the blob itself, never at its header, which is why the format
 * stays {@code kiban-backup/2}: the previous release reads these packs through their indexes unchanged.
 *
 * <p>An index that cannot be read is recorded as damaged ({@link #damagedIndexes}) and its pack counts
 * as unindexed; the rest of the store works, and a run stores those chunks again.
 */
public final class ChunkStore implements AutoCloseable {
    static final long PACK_TARGET = 16L * 1024 * 1024;
    /**
     * Far above the chunker's largest chunk: a bigger size or length in an index or header is damage, not data to
     * allocate.
     */
    private static final int MAX_CHUNK = 64 * 1024 * 1024;
    private static final byte RAW = 0;
    private static final byte ZSTD = 1;
    private static final int LEVEL = 3;
    private static final byte[] INDEX_MAGIC = {'k', 'i', 'd', 'x', 0, 0, 0, 1};
    private static final int INDEX_ENTRY = 32 + 8 + 4 + 4;
    static final byte[] PACK_MAGIC = {'k', 'p', 'a', 'k', 0, 0, 0, 1};
    private static final byte[] HEADER_MAGIC = {'k', 'b', 'l', 'b'};
    private static final int HEADER_FIELDS = 32 + 4 + 4;
    static final int HEADER_PLAIN = HEADER_MAGIC.length + HEADER_FIELDS + 4;
    static final int HEADER_SEALED = 12 + HEADER_FIELDS + 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path packs;
    private final Path index;
    private final RepositoryKey key;
    private final Map<String, Location> known = new ConcurrentHashMap<>();
    private final Map<String, Boolean> claimed = new ConcurrentHashMap<>();
    /** Open pack readers, least recently used first; only idle ones are closed to make room. */
    private final Map<String, Reader> readers = new LinkedHashMap<>(16, 0.75f, true);
    private final java.util.Set<String> loadedIndexes = new java.util.HashSet<>();
    private final Map<String, String> damagedIndexes = new java.util.TreeMap<>();
    private final java.util.Set<String> unreadableIndexes = new java.util.TreeSet<>();
    private Pack current;
    private final List<String> finishedThisRun = new ArrayList<>();

    /** Where a chunk is: its pack, the blob's offset and stored length, and the chunk's plain size. */
    public record Location(String pack, long offset, int length, int size) {}

    public ChunkStore(Path repository) throws IOException {
        this(repository, null);
    }

    public ChunkStore(Path repository, RepositoryKey key) throws IOException {
        this.packs = repository.resolve("packs");
        this.index = repository.resolve("index");
        this.key = key;
        reload();
    }

    /**
     * Reads the indexes again: what another process wrote since this store was opened. Called under the
     * repository lock before a writer starts, and never while a pack is open.
     */
    public synchronized void reload() throws IOException {
        if (current != null) throw new IllegalStateException("a pack is being written");
        java.util.Set<String> present = new java.util.HashSet<>();
        damagedIndexes.clear();
        unreadableIndexes.clear();
        if (Files.isDirectory(index, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> files = Files.list(index)) {
                for (Path f : files.filter(p -> isId(p.getFileName().toString(), 32)).toList()) {
                    String pack = f.getFileName().toString();
                    if (loadedIndexes.contains(pack)) { // an index never changes once written
                        present.add(pack);
                        continue;
                    }
                    try {
                        readIndex(f);
                        loadedIndexes.add(pack);
                        present.add(pack);
                    } catch (IOException e) {
                        damagedIndexes.put(pack, e.getMessage()); // damage stays local: this pack counts as unindexed
                        if (e instanceof UnreadableFileException) unreadableIndexes.add(pack);
                    }
                }
            }
        } else if (Files.exists(index, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the index directory " + index
                    + " is not a directory (a symbolic link?); kiban never follows a link "
                    + "inside a repository");
        }
        loadedIndexes.retainAll(present);
        known.values().removeIf(at -> !present.contains(at.pack())); // packs another process pruned
    }

    /**
     * Stores the bytes unless a chunk with the same hash exists (or is being stored by another thread);
     * the chunk's id either way. Safe to call from several threads: hashing and compression run in the
     * caller's thread, only the append to the pack is serialised.
     */
    public Stored put(byte[] data, int length) throws IOException {
        String id = sha256(data, length);
        if (known.containsKey(id) || claimed.putIfAbsent(id, Boolean.TRUE) != null) return new Stored(id, length, 0);
        byte[] blob = blob(data, length);
        byte[] header = header(id, blob.length, length);
        synchronized (this) {
            if (current == null) current = Pack.create(packs);
            known.put(id, current.append(id, header, blob, length));
            if (current.size >= PACK_TARGET) finishPack();
        }
        return new Stored(id, length, blob.length);
    }

    /** What a put did: the id, the plain size, and the bytes it added to the repository (0 when deduplicated). */
    public record Stored(String id, int size, int added) {}

    private byte[] blob(byte[] data, int length) {
        byte[] body = new byte[1 + (int) Zstd.compressBound(length)];
        long n = Zstd.compressByteArray(body, 1, body.length - 1, data, 0, length, LEVEL);
        if (Zstd.isError(n)) throw new IllegalStateException("zstd: " + Zstd.getErrorName(n));
        if (n >= length) { // incompressible: keep as is, and skip decompressing on restore
            body[0] = RAW;
            System.arraycopy(data, 0, body, 1, length);
            n = length;
        } else {
            body[0] = ZSTD;
        }
        return key == null ? java.util.Arrays.copyOf(body, 1 + (int) n) : key.seal(body, 0, 1 + (int) n);
    }

    /**
     * The header written before a blob: where it ends and which chunk it holds, sealed with the key when there is one.
     */
    private byte[] header(String id, int blobLength, int size) {
        ByteBuffer fields = ByteBuffer.allocate(HEADER_FIELDS).put(HexFormat.of().parseHex(id)).putInt(blobLength)
                .putInt(size);
        if (key != null) return key.seal(fields.array());
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(fields.array());
        return ByteBuffer.allocate(HEADER_PLAIN).put(HEADER_MAGIC).put(fields.array()).putInt((int) crc.getValue())
                .array();
    }

    /** Makes everything put so far durable: the open pack is flushed and indexed. */
    public synchronized void flush() throws IOException {
        if (current != null) finishPack();
    }

    private void finishPack() throws IOException {
        Pack pack = current;
        current = null;
        pack.channel.force(true);
        pack.channel.close();
        writeIndex(pack.id, pack.entries);
        loadedIndexes.add(pack.id);
        pack.entries.keySet().forEach(claimed::remove);
        finishedThisRun.add(pack.id);
    }

    /** Marks the start of a backup run: {@link #discardRun} drops what is written from here on. */
    public synchronized void startRun() {
        finishedThisRun.clear();
    }

    /**
     * Drops every pack written since {@link #startRun}, flushed or not: a failed run gives its space
     * back. Safe because a chunk already stored is never written again, so those packs hold only chunks
     * of this run, which no snapshot refers to.
     */
    public synchronized void discardRun() throws IOException {
        abort();
        for (String pack : List.copyOf(finishedThisRun)) dropPack(pack);
        finishedThisRun.clear();
    }

    /**
     * Drops what was put since the last flush (a run that failed): the open pack is deleted and its
     * chunks are forgotten, so the store again holds only indexed, durable chunks.
     */
    public synchronized void abort() throws IOException {
        claimed.clear();
        if (current == null) return;
        Pack pack = current;
        current = null;
        pack.channel.close();
        Files.deleteIfExists(pack.path);
        pack.entries.keySet().forEach(id -> {
            known.remove(id);
            claimed.remove(id);
        });
    }

    /** The chunk's bytes, checked against its id; a {@link CorruptChunkException} when they differ. */
    public byte[] get(String id) throws IOException {
        // the id comes from a snapshot or tree, which may be damaged: an I/O failure, not a bug
        if (!isId(id, 64)) {
            throw new IOException("not a chunk id: " + id + " (the snapshot or tree that names it is damaged)");
        }
        Location at = known.get(id);
        if (at == null) throw new NoSuchFileException("chunk " + id + " is not in the repository");
        if (at.length() > MAX_CHUNK + 1024) throw new CorruptChunkException(id, "its index gives a length of "
                + at.length() + " bytes");
        ByteBuffer buf = ByteBuffer.allocate(at.length());
        Reader r = acquire(at.pack());
        try {
            while (buf.hasRemaining()) {
                if (r.channel.read(buf, at.offset() + buf.position()) < 0) {
                    throw new CorruptChunkException(id, "its pack " + at.pack() + " is cut short");
                }
            }
        } finally {
            release(r);
        }
        return decode(id, at, buf.array());
    }

    /**
     * The chunk from its stored blob: opened, decompressed and re-hashed; a {@link CorruptChunkException} when it is
     * not {@code id}.
     */
    private byte[] decode(String id, Location at, byte[] stored) throws CorruptChunkException {
        if (at.size() > MAX_CHUNK) throw new CorruptChunkException(id, "its index or header gives a size of "
                + at.size() + " bytes");
        byte[] body = stored;
        if (key != null) {
            try {
                body = key.open(body);
            } catch (GeneralSecurityException e) {
                throw new CorruptChunkException(id, "it does not decrypt (" + e.getMessage() + ")");
            }
        }
        byte[] data;
        try {
            // a damaged pack, not a bug: typed here rather than relying on the catch below
            if (body.length == 0 || (body[0] != RAW && body[0] != ZSTD)) {
                throw new CorruptChunkException(id, "its blob type is unknown");
            }
            if (body[0] == RAW) {
                data = java.util.Arrays.copyOfRange(body, 1, body.length);
            } else {
                data = new byte[at.size()];
                long n = Zstd.decompressByteArray(data, 0, data.length, body, 1, body.length - 1);
                if (Zstd.isError(n) || n != data.length) {
                    throw new CorruptChunkException(id, "it does not decompress ("
                            + (Zstd.isError(n) ? Zstd.getErrorName(n) : n + " bytes, not " + data.length) + ")");
                }
            }
        } catch (RuntimeException e) {
            throw new CorruptChunkException(id, "cannot be decompressed (" + e.getMessage() + ")");
        }
        String actual = sha256(data, data.length);
        if (!actual.equals(id)) throw new CorruptChunkException(id, "its content hashes to " + actual);
        return data;
    }

    public boolean contains(String id) {
        return known.containsKey(id);
    }

    public Optional<Location> locate(String id) {
        return Optional.ofNullable(known.get(id));
    }

    /** The packs with their chunks, as the indexes list them. */
    public Map<String, List<String>> packs() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        known.forEach((id, at) -> out.computeIfAbsent(at.pack(), p -> new ArrayList<>()).add(id));
        return out;
    }

    Path packPath(String pack) {
        checkId(pack, 32);
        return packs.resolve(pack.substring(0, 2)).resolve(pack);
    }

    Path indexPath(String pack) {
        checkId(pack, 32);
        return index.resolve(pack);
    }

    /**
     * Packs on disk that no readable index lists: left by a killed run or a full disk, or whose index is
     * lost or damaged. Only files named like a pack in their right place count; anything else is left alone.
     */
    synchronized List<String> unindexedPacks() throws IOException {
        if (!Files.isDirectory(packs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return List.of();
        List<String> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(packs)) {
            List<Path> prefixes = dirs.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .sorted().toList();
            for (Path d : prefixes) {
                try (Stream<Path> files = Files.list(d)) {
                    files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                            .map(p -> p.getFileName().toString())
                            .filter(n -> isId(n, 32) && n.startsWith(d.getFileName().toString()))
                            .filter(n -> !loadedIndexes.contains(n))
                            .filter(n -> current == null || !current.id.equals(n)).sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    /** The indexes that could not be read, by pack, with why. */
    public synchronized Map<String, String> damagedIndexes() {
        return new java.util.TreeMap<>(damagedIndexes);
    }

    /**
     * Of the {@link #damagedIndexes}, those that could not be read (permission denied, an I/O error) rather
     * than found damaged: never moved aside or rewritten.
     */
    public synchronized java.util.Set<String> unreadableIndexes() {
        return new java.util.TreeSet<>(unreadableIndexes);
    }

    /**
     * What a pack holds by its own headers: every blob found and re-hashed, and why the scan stopped
     * early ({@code problem}, empty when it read to the end). {@code headers} is false for a pack of an
     * earlier release, which cannot be scanned. {@code whole} is true when no intact blob can hide in
     * what was not read: the scan reached the end, or only the last blob was cut short (a killed run);
     * false after a damaged header with more bytes behind it.
     */
    public record Scan(String pack, boolean headers, Map<String, Location> blobs, Optional<String> problem,
                       boolean whole) {}

    synchronized Scan scan(String pack) throws IOException {
        Map<String, Location> found = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(packPath(pack), StandardOpenOption.READ,
                java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            long end = ch.size();
            byte[] magic = readAt(ch, 0, PACK_MAGIC.length);
            if (magic == null || !java.util.Arrays.equals(magic, PACK_MAGIC)) {
                return new Scan(pack, false, found, Optional.of("written by an earlier kiban, without blob headers"),
                        false);
            }
            int headerLength = key == null ? HEADER_PLAIN : HEADER_SEALED;
            long pos = PACK_MAGIC.length;
            HexFormat hex = HexFormat.of();
            while (pos < end) {
                byte[] raw = readAt(ch, pos, headerLength);
                if (raw == null) return new Scan(pack, true, found, Optional.of("cut short at byte " + pos
                        + " (a run that was killed)"), true);
                ByteBuffer fields = headerFields(raw);
                if (fields == null) {
                    return new Scan(pack, true, found, Optional.of("the blob header at byte " + pos + " is damaged; "
                            + (end - pos) + " bytes after it cannot be scanned"), false);
                }
                byte[] idBytes = new byte[32];
                fields.get(idBytes);
                String id = hex.formatHex(idBytes);
                int length = fields.getInt();
                int size = fields.getInt();
                long blobAt = pos + headerLength;
                if (length <= 0 || length > MAX_CHUNK + 1024 || size < 0 || blobAt + length > end) {
                    return new Scan(pack, true, found, Optional.of("cut short in the blob at byte " + blobAt
                            + " (a run that was killed)"), true);
                }
                Location at = new Location(pack, blobAt, length, size);
                try {
                    decode(id, at, readAt(ch, blobAt, length));
                    found.putIfAbsent(id, at);
                } catch (CorruptChunkException e) {
                    // the header is sound (sealed or CRC-checked): the next one is where it says, skip this blob only
                }
                pos = blobAt + length;
            }
        }
        return new Scan(pack, true, found, Optional.empty(), true);
    }

    /** The header's fields (id, length, size), or null when it is damaged or of another key. */
    private ByteBuffer headerFields(byte[] raw) {
        if (key != null) {
            try {
                return ByteBuffer.wrap(key.open(raw));
            } catch (GeneralSecurityException e) {
                return null;
            }
        }
        if (!java.util.Arrays.equals(raw, 0, HEADER_MAGIC.length, HEADER_MAGIC, 0, HEADER_MAGIC.length)) return null;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(raw, HEADER_MAGIC.length, HEADER_FIELDS);
        ByteBuffer buf = ByteBuffer.wrap(raw);
        if (buf.getInt(HEADER_MAGIC.length + HEADER_FIELDS) != (int) crc.getValue()) return null;
        return buf.position(HEADER_MAGIC.length).slice().limit(HEADER_FIELDS);
    }

    private static byte[] readAt(FileChannel ch, long pos, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) return null;
        }
        return buf.array();
    }

    /**
     * Writes a new index for a pack from what {@link #scan} found and makes its chunks known. The old
     * index, when there was a damaged one, must have been moved aside first.
     */
    synchronized void reindex(String pack, Map<String, Location> blobs) throws IOException {
        if (blobs.isEmpty()) throw new IllegalArgumentException("nothing to index in " + pack);
        writeIndex(pack, blobs);
        blobs.forEach(known::put);
        loadedIndexes.add(pack);
        damagedIndexes.remove(pack);
    }

    /** Forgets a damaged index (it was moved aside): its pack stays unindexed. */
    synchronized void forgetDamagedIndex(String pack) {
        damagedIndexes.remove(pack);
    }

    /**
     * Writes the given chunks (read, checked, and re-stored as they are) into new packs and then drops
     * the old packs: how a prune frees the unused part of a pack. Readers of the old packs are closed first.
     */
    synchronized void repack(Collection<String> oldPacks, Collection<String> keepChunks) throws IOException {
        for (String id : keepChunks) {
            byte[] data = get(id);
            Location old = known.remove(id);
            try {
                if (current == null) current = Pack.create(packs);
                byte[] blob = blob(data, data.length);
                known.put(id, current.append(id, header(id, blob.length, data.length), blob, data.length));
                if (current.size >= PACK_TARGET) finishPack();
            } catch (IOException e) {
                known.put(id, old);
                throw e;
            }
        }
        flush();
        for (String pack : oldPacks) dropPack(pack);
    }

    /** Forgets a pack: index first (so nothing refers to it), then the data. */
    synchronized void dropPack(String pack) throws IOException {
        Reader r = readers.remove(pack);
        if (r != null) r.retire();
        known.values().removeIf(at -> at.pack().equals(pack)); // only chunks no snapshot needs are still here
        loadedIndexes.remove(pack);
        Files.deleteIfExists(indexPath(pack));
        Files.deleteIfExists(packPath(pack));
    }

    private void writeIndex(String pack, Map<String, Location> entries) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(INDEX_MAGIC.length + entries.size() * INDEX_ENTRY);
        buf.put(INDEX_MAGIC);
        HexFormat hex = HexFormat.of();
        entries.forEach((id, at) -> buf.put(hex.parseHex(id)).putLong(at.offset()).putInt(at.length())
                .putInt(at.size()));
        byte[] bytes = key == null ? buf.array() : key.seal(buf.array());
        dev.kiban.os.AtomicFile.write(indexPath(pack), bytes, "rw-------", false);
        try (FileChannel dir = FileChannel.open(index, StandardOpenOption.READ)) {
            dir.force(true); // the rename itself must survive a power loss
        }
    }

    private void readIndex(Path file) throws IOException {
        String pack = file.getFileName().toString();
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the index " + file
                    + " is not a regular file; kiban never follows a link inside a repository");
        }
        byte[] bytes = RepositoryKey.readFile(key, file, "the index");
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[INDEX_MAGIC.length];
        if (bytes.length < magic.length || (bytes.length - magic.length) % INDEX_ENTRY != 0
                || !java.util.Arrays.equals(buf.get(magic).array(), 0, 8, INDEX_MAGIC, 0, 8)) {
            throw new IOException("the index " + file + " is damaged (" + bytes.length + " bytes, not a kiban index)");
        }
        HexFormat hex = HexFormat.of();
        byte[] raw = new byte[32];
        Map<String, Location> entries = new HashMap<>(); // all or nothing: a damaged index adds no entry
        while (buf.hasRemaining()) {
            buf.get(raw);
            Location at = new Location(pack, buf.getLong(), buf.getInt(), buf.getInt());
            if (at.offset() < 0 || at.length() <= 0 || at.size() < 0) throw new IOException("the index " + file
                    + " is damaged (an entry out of range)");
            entries.put(hex.formatHex(raw), at);
        }
        known.putAll(entries);
    }

    /** An open pack file and how many reads use it now: closed only when no read does. */
    private static final class Reader {
        final FileChannel channel;
        int users;
        boolean retired;

        Reader(FileChannel channel) {
            this.channel = channel;
        }

        /** Closes it now when idle, else when its last read is done. */
        void retire() throws IOException {
            retired = true;
            if (users == 0) channel.close();
        }
    }

    static final int MAX_READERS = 64;

    /**
     * The pack's reader, counted as in use until {@link #release}. Bounded: a restore walks packs roughly in
     * order, so the least recently used idle readers are closed to make room; one in use never is (several
     * restore threads read at once).
     */
    private synchronized Reader acquire(String pack) throws IOException {
        Reader r = readers.get(pack);
        if (r == null) {
            for (var it = readers.values().iterator(); it.hasNext() && readers.size() >= MAX_READERS; ) {
                Reader old = it.next();
                if (old.users > 0) continue;
                it.remove();
                old.retire();
            }
            r = new Reader(FileChannel.open(packPath(pack), StandardOpenOption.READ,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS));
            readers.put(pack, r);
        }
        r.users++;
        return r;
    }

    private synchronized void release(Reader r) throws IOException {
        r.users--;
        if (r.users == 0 && r.retired) r.channel.close();
    }

    /** How many pack readers are open: for the tests of the bound. */
    synchronized int openReaders() {
        return readers.size();
    }

    /** Closes the readers; the store is not used after. */
    @Override
    public synchronized void close() throws IOException {
        for (Reader r : readers.values()) r.channel.close();
        readers.clear();
    }

    private static void checkId(String id) {
        checkId(id, 64);
    }

    private static void checkId(String id, int length) {
        if (!isId(id, length)) {
            throw new IllegalArgumentException("not a " + (length == 64 ? "chunk" : "pack") + " id: " + id);
        }
    }

    private static boolean isId(String s, int length) {
        return s.length() == length && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    static String sha256(byte[] data, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A pack being written: appended to by one thread at a time (the store's monitor). */
    private static final class Pack {
        final String id;
        final Path path;
        final FileChannel channel;
        final Map<String, Location> entries = new LinkedHashMap<>();
        long size;

        private Pack(String id, Path path, FileChannel channel) {
            this.id = id;
            this.path = path;
            this.channel = channel;
        }

        static Pack create(Path packs) throws IOException {
            byte[] raw = new byte[16];
            RANDOM.nextBytes(raw);
            String id = HexFormat.of().formatHex(raw);
            Path path = packs.resolve(id.substring(0, 2)).resolve(id);
            Files.createDirectories(path.getParent());
            Pack pack = new Pack(id, path, FileChannel.open(path, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE));
            pack.write(PACK_MAGIC);
            return pack;
        }

        private void write(byte[] bytes) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) channel.write(buf);
            size += bytes.length;
        }

        /** Appends the header and then the blob; the location is the blob's, as earlier releases expect it. */
        Location append(String chunk, byte[] header, byte[] blob, int plainSize) throws IOException {
            write(header);
            Location at = new Location(id, size, blob.length, plainSize);
            write(blob);
            entries.put(chunk, at);
            return at;
        }
    }
}
