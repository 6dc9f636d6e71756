package dev.kiban.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The monitor's history of CPU, memory and disk per subject (the host and each container), which the dashboard
 * graphs: a file of fixed size per subject under {@code <monitor.state>/history/}, written by the agent at every
 * sweep and read by other processes while it writes. No database: fixed records, each with its own CRC-32.
 *
 * <p>A subject's file ({@code <first 128 bits of SHA-256 of the name, hex>.series}, so a hostile container name
 * never becomes a path; the name itself is in the header) is a 4096-byte header, then two rings whose slot is a
 * function of the time alone (no head pointer to tear):
 * <ul>
 *   <li>aggregates: {@value #AGGREGATE_SLOTS} slots of {@value #AGGREGATE_RECORD} bytes, one per 5 minutes, 8 days:
 *       per metric min, avg, max and the number of sweeps, and the newest memory limit; the current 5 minutes are
 *       rewritten at every sweep, so a crash loses nothing already recorded;</li>
 *   <li>raw: one slot of {@value #RAW_RECORD} bytes per sweep for 25 hours ({@code ceil(90000 / interval)} slots):
 *       the time, CPU %, memory, memory limit and disk as 32-bit floats (a byte count is kept to 7 significant
 *       digits, plenty for a graph).</li>
 * </ul>
 * Size of one subject, fixed when its file is made and the same after a day as after a year:
 * {@code 4096 + 2304 × 64 + ceil(90000 / interval) × 32} bytes — 439,552 bytes (429 KiB) at a 10 s interval,
 * 247,552 bytes (242 KiB) at the default 30 s. That is the whole cost of a container for a week (or any longer
 * time); a container gone for 8 days has its file removed, so the directory holds at most that much per container
 * seen in the last 8 days.
 *
 * <p>Crash and concurrency safety: records are 32 or 64 bytes at offsets that are multiples of their size, so
 * none spans a page; each carries a CRC-32 and sits in the slot its own time names. A torn write, a slot never
 * written, a record read while the writer rewrites it or left from another interval fails one of those checks and
 * is skipped: a reader sees a gap, never garbage. A new file is written whole beside its name and moved into place.
 * One agent writes a directory at a time (an exclusive lock on {@code .writer.lock}). Nothing here follows a
 * symbolic link: the directory must be a real one and every file is opened with {@code O_NOFOLLOW}.
 */
public final class MetricHistory {
    /** The subject of the host's own figures; it comes first in {@link Reader#subjects()}. */
    public static final String HOST = "host";
    static final int HEADER = 4096;
    static final int RAW_RECORD = 32;
    static final int AGGREGATE_RECORD = 64;
    static final int AGGREGATE_SLOTS = 8 * 24 * 12;
    static final int BUCKET_SECONDS = 300;
    /** 25 hours, so that a whole 24-hour range is always there. */
    static final long RAW_KEPT_SECONDS = 25 * 3600;
    /** Ranges up to this long are read from the raw ring, longer ones from the aggregates. */
    public static final Duration RAW_RANGE = Duration.ofHours(24);
    /** A subject's file not written for this long is removed. */
    static final Duration FORGET_AFTER = Duration.ofDays(8);
    /** An open file not written for this long is closed (a removed container), to be opened again if it comes back. */
    static final long CLOSE_AFTER_SECONDS = 3600;
    /** Longer names (UTF-8 bytes) are not recorded: Docker's are far shorter. */
    static final int MAX_NAME = 1024;
    static final String SUFFIX = ".series";
    static final String LOCK = ".writer.lock";
    private static final byte[] MAGIC = "KIBANTS1".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int RAW_CHECKED = RAW_RECORD - 4;
    private static final int AGGREGATE_CHECKED = AGGREGATE_RECORD - 4;
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private MetricHistory() {}

    /** The raw slots of a subject's file at this interval: 25 hours of sweeps. */
    static int rawSlots(Duration interval) {
        long s = seconds(interval);
        return (int) ((RAW_KEPT_SECONDS + s - 1) / s);
    }

    private static int seconds(Duration interval) {
        return (int) Math.max(1, Math.min(RAW_KEPT_SECONDS, interval.toSeconds()));
    }

    /** One subject's file size at this interval, the bound of the history's size per subject. */
    public static long bytesPerSubject(Duration interval) {
        return HEADER + (long) AGGREGATE_SLOTS * AGGREGATE_RECORD + (long) rawSlots(interval) * RAW_RECORD;
    }

    /** The file name of a subject: a hash, whatever the name holds. */
    static String fileName(String subject) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(normal(subject).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16) + SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The name as it is stored: UTF-8 and back (an unpaired surrogate becomes '?'). */
    private static String normal(String subject) {
        return new String(subject.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static boolean recordable(String subject) {
        return subject != null && !subject.isEmpty() && subject.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME;
    }

    public static Reader reader(Path historyDir) {
        return new Reader(historyDir);
    }

    /** Opens the directory for writing, made 0700 when absent; refused when another writer holds it. */
    public static Writer writer(Path historyDir, Duration interval) throws IOException {
        return new Writer(historyDir, seconds(interval));
    }

    /** A header as it is read: the name and the raw ring's geometry. */
    record Header(String subject, int interval, int rawSlots) {
        long rawOffset() {
            return HEADER + (long) AGGREGATE_SLOTS * AGGREGATE_RECORD;
        }
    }

    static byte[] header(String subject, int interval, int rawSlots) {
        ByteBuffer b = ByteBuffer.allocate(HEADER);
        byte[] name = subject.getBytes(StandardCharsets.UTF_8);
        b.put(MAGIC).putInt(VERSION).putInt(interval).putInt(rawSlots).putInt(AGGREGATE_SLOTS).putInt(BUCKET_SECONDS)
                .putInt(name.length).put(name);
        b.putInt(crc(b.array(), 0, b.position()));
        return b.array();
    }

    static Optional<Header> header(ByteBuffer b) {
        if (b.remaining() < HEADER) return Optional.empty();
        byte[] magic = new byte[MAGIC.length];
        b.get(0, magic);
        int version = b.getInt(8);
        int interval = b.getInt(12);
        int raw = b.getInt(16);
        int length = b.getInt(28);
        if (!Arrays.equals(magic, MAGIC) || version != VERSION || interval < 1 || raw < 1 || raw > 100_000_000
                || b.getInt(20) != AGGREGATE_SLOTS || b.getInt(24) != BUCKET_SECONDS || length < 0
                || length > MAX_NAME) {
            return Optional.empty();
        }
        byte[] all = new byte[32 + length];
        b.get(0, all);
        if (crc(all, 0, all.length) != b.getInt(32 + length)) return Optional.empty();
        return Optional.of(new Header(new String(all, 32, length, StandardCharsets.UTF_8), interval, raw));
    }

    private static int crc(byte[] bytes, int from, int length) {
        CRC32 c = new CRC32();
        c.update(bytes, from, length);
        return (int) c.getValue();
    }

    private static int crc(ByteBuffer b, int from, int length) {
        CRC32 c = new CRC32();
        c.update(b.slice(from, length));
        return (int) c.getValue();
    }

    /** Values of one sweep: CPU %, memory, disk (by {@link Metric} ordinal), then the memory limit; NaN absent. */
    static byte[] raw(long second, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(RAW_RECORD);
        b.putLong(second).putFloat(values[0]).putFloat(values[1]).putFloat(values[2]).putFloat(values[3]).putInt(0);
        b.putInt(crc(b.array(), 0, RAW_CHECKED));
        return b.array();
    }

    /** The 5 minutes from {@code start}: min, sum and max of each metric over the sweeps seen, and the limit. */
    static final class Bucket {
        final long start;
        final double[] min = new double[3];
        final double[] max = new double[3];
        final double[] sum = new double[3];
        final int[] count = new int[3];
        float limit = Float.NaN;

        Bucket(long start) {
            this.start = start;
        }

        void add(float[] values) {
            for (int m = 0; m < 3; m++) {
                double v = values[m];
                if (Double.isNaN(v)) continue;
                min[m] = count[m] == 0 ? v : Math.min(min[m], v);
                max[m] = count[m] == 0 ? v : Math.max(max[m], v);
                sum[m] += v;
                count[m]++;
            }
            if (!Float.isNaN(values[3])) limit = values[3];
        }

        byte[] bytes() {
            ByteBuffer b = ByteBuffer.allocate(AGGREGATE_RECORD);
            b.putLong(start);
            for (int m = 0; m < 3; m++) {
                boolean any = count[m] > 0;
                b.putFloat(any ? (float) min[m] : Float.NaN).putFloat(any ? (float) (sum[m] / count[m]) : Float.NaN)
                        .putFloat(any ? (float) max[m] : Float.NaN).putInt(count[m]);
            }
            b.putFloat(limit);
            b.putInt(crc(b.array(), 0, AGGREGATE_CHECKED));
            return b.array();
        }

        /** A bucket read back, so that a restarted agent goes on with the current 5 minutes. */
        static Optional<Bucket> of(ByteBuffer b, int at) {
            if (crc(b, at, AGGREGATE_CHECKED) != b.getInt(at + AGGREGATE_CHECKED)) return Optional.empty();
            Bucket k = new Bucket(b.getLong(at));
            for (int m = 0; m < 3; m++) {
                int o = at + 8 + m * 16;
                k.count[m] = Math.max(0, b.getInt(o + 12));
                if (k.count[m] == 0) continue;
                k.min[m] = b.getFloat(o);
                k.sum[m] = (double) b.getFloat(o + 4) * k.count[m];
                k.max[m] = b.getFloat(o + 8);
            }
            k.limit = b.getFloat(at + 56);
            return Optional.of(k);
        }
    }

    private static FileChannel openNoFollow(Path f, StandardOpenOption... options) throws IOException {
        Set<java.nio.file.OpenOption> set = new java.util.HashSet<>(Arrays.asList(options));
        set.add(LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(f, set);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, position + b.position());
            if (n < 0) break;
        }
        b.flip();
    }

    private static void writeFully(FileChannel ch, byte[] bytes, long position) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b, position + b.position());
    }

    private static Optional<BasicFileAttributes> lstat(Path p) throws IOException {
        try {
            return Optional.of(Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads the history; any number of readers, in other processes too, beside the one writer. A subject whose file
     * is missing or damaged has no points rather than an error.
     */
    public static final class Reader {
        private final Path dir;

        Reader(Path dir) {
            this.dir = dir;
        }

        /** The subjects with a history: "host" first, then the containers by name. */
        public List<String> subjects() {
            List<String> out = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
                for (Path f : files) {
                    Optional<Header> h = headerOf(f);
                    if (h.isPresent() && f.getFileName().toString().equals(fileName(h.get().subject()))) {
                        out.add(h.get().subject());
                    }
                }
            } catch (NoSuchFileException e) {
                return List.of();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.sort((a, b) -> a.equals(HOST) ? (b.equals(HOST) ? 0 : -1) : b.equals(HOST) ? 1 : a.compareTo(b));
            return List.copyOf(out);
        }

        private Optional<Header> headerOf(Path f) {
            try {
                Optional<BasicFileAttributes> a = lstat(f);
                if (a.isEmpty() || !a.get().isRegularFile()) return Optional.empty();
                try (FileChannel ch = openNoFollow(f, StandardOpenOption.READ)) {
                    ByteBuffer b = ByteBuffer.allocate(HEADER);
                    readFully(ch, b, 0);
                    return header(b);
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /**
         * The points of {@code metric} from {@code from} to {@code to}, oldest first: each sweep's value for a range
         * of up to {@link #RAW_RANGE}, else 5-minute aggregates (the first may start before {@code from}). Missing
         * sweeps are missing points: nothing is interpolated.
         */
        public List<HistoryPoint> series(String subject, Metric metric, Instant from, Instant to) {
            List<HistoryPoint> out = new ArrayList<>();
            boolean raw = rawRange(from, to);
            visit(subject, from, to, raw, (b, at) -> {
                if (raw) {
                    float v = b.getFloat(at + 8 + 4 * metric.ordinal());
                    if (!Float.isNaN(v)) out.add(new HistoryPoint(Instant.ofEpochSecond(b.getLong(at)), v, v, v));
                } else {
                    int o = at + 8 + 16 * metric.ordinal();
                    if (b.getInt(o + 12) > 0) {
                        out.add(new HistoryPoint(Instant.ofEpochSecond(b.getLong(at)), b.getFloat(o), b.getFloat(o + 4),
                                b.getFloat(o + 8)));
                    }
                }
            });
            return List.copyOf(out);
        }

        /** The newest memory limit recorded from {@code from} to {@code to}; empty when the subject had none. */
        public OptionalDouble memoryLimit(String subject, Instant from, Instant to) {
            boolean raw = rawRange(from, to);
            double[] newest = {Double.NaN};
            visit(subject, from, to, raw, (b, at) -> {
                float v = b.getFloat(at + (raw ? 20 : 56));
                if (!Float.isNaN(v) && v > 0) newest[0] = v;
            });
            return Double.isNaN(newest[0]) ? OptionalDouble.empty() : OptionalDouble.of(newest[0]);
        }

        /** Up to a day: the raw ring (seconds, so that no range, however wide, overflows). */
        private static boolean rawRange(Instant from, Instant to) {
            return to.getEpochSecond() - from.getEpochSecond() <= RAW_RANGE.toSeconds();
        }

        private interface Visitor {
            void record(ByteBuffer b, int at);
        }

        /** Calls {@code visitor} for each valid record in the range, oldest first. */
        private void visit(String subject, Instant from, Instant to, boolean raw, Visitor visitor) {
            if (subject == null || from == null || to == null || to.isBefore(from) || !recordable(subject)) return;
            Path f = dir.resolve(fileName(subject));
            try {
                Optional<BasicFileAttributes> a = lstat(f);
                if (a.isEmpty() || !a.get().isRegularFile()) return;
                try (FileChannel ch = openNoFollow(f, StandardOpenOption.READ)) {
                    ByteBuffer hb = ByteBuffer.allocate(HEADER);
                    readFully(ch, hb, 0);
                    Optional<Header> h = header(hb);
                    if (h.isEmpty() || !h.get().subject().equals(normal(subject))) return;
                    int step = raw ? h.get().interval() : BUCKET_SECONDS;
                    int slots = raw ? h.get().rawSlots() : AGGREGATE_SLOTS;
                    int size = raw ? RAW_RECORD : AGGREGATE_RECORD;
                    long offset = raw ? h.get().rawOffset() : HEADER;
                    long firstSlot = Math.floorDiv(from.getEpochSecond(), step);
                    long lastSlot = Math.floorDiv(to.getEpochSecond(), step);
                    // a range as long as the ring or longer reads all of it; a shorter one its slots alone
                    boolean whole = lastSlot - firstSlot + 1 >= slots;
                    long first = whole ? 0 : firstSlot;
                    int n = whole ? slots : (int) (lastSlot - firstSlot + 1);
                    ByteBuffer b = ByteBuffer.allocate(n * size);
                    // at most two reads: up to the end of the ring, then from its start
                    int start = (int) Math.floorMod(first, (long) slots);
                    int head = Math.min(n, slots - start);
                    readFully(ch, b.slice(0, head * size), offset + (long) start * size);
                    if (head < n) readFully(ch, b.slice(head * size, (n - head) * size), offset);
                    List<long[]> found = new ArrayList<>(); // {time, offset in b}
                    for (int i = 0; i < n; i++) {
                        int at = i * size;
                        int checked = size - 4;
                        if (crc(b, at, checked) != b.getInt(at + checked)) continue;
                        long t = b.getLong(at);
                        long slot = Math.floorDiv(t, step);
                        // in the slot its time names (else left from another interval), and in the range
                        if (Math.floorMod(slot, (long) slots) != (start + i) % slots) continue;
                        if (slot < firstSlot || slot > lastSlot) continue;
                        if (raw && (t < from.getEpochSecond() || t > to.getEpochSecond())) continue;
                        found.add(new long[] {t, at});
                    }
                    found.sort(java.util.Comparator.comparingLong(r -> r[0]));
                    for (long[] r : found) visitor.record(b, (int) r[1]);
                }
            } catch (IOException e) {
                // unreadable now (removed while read, damaged): no points, as for a subject never recorded
            }
        }
    }

    /**
     * Records sweeps; one per directory (the agent). Keeps a subject's file open while it is recorded, closes it
     * after an hour without a sweep for it, and once an hour removes the files of subjects gone for 8 days.
     */
    public static final class Writer implements AutoCloseable {
        private final Path dir;
        private final int interval;
        private final int rawSlots;
        private final FileChannel lockFile;
        private final Map<String, Series> open = new HashMap<>();
        private long nextPrune = Long.MIN_VALUE;

        private static final class Series {
            final FileChannel channel;
            final long rawOffset;
            Bucket bucket;
            long lastWritten;

            Series(FileChannel channel, long rawOffset) {
                this.channel = channel;
                this.rawOffset = rawOffset;
            }
        }

        Writer(Path dir, int interval) throws IOException {
            this.dir = dir;
            this.interval = interval;
            this.rawSlots = rawSlots(Duration.ofSeconds(interval));
            Optional<BasicFileAttributes> a = lstat(dir);
            if (a.isEmpty()) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else if (!a.get().isDirectory() || a.get().isSymbolicLink()) {
                throw new IOException(dir + " is not a directory (a symbolic link is not followed): the monitor "
                        + "records no history there; remove it or point monitor.state elsewhere");
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            lockFile = FileChannel.open(dir.resolve(LOCK), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), FILE_MODE);
            FileLock lock;
            try {
                lock = lockFile.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by another writer of this JVM
            } catch (IOException e) {
                lockFile.close();
                throw e;
            }
            if (lock == null) {
                lockFile.close();
                throw new IOException("another kiban monitor records history in " + dir);
            }
        }

        /** The interval of the raw ring, in seconds. */
        public int intervalSeconds() {
            return interval;
        }

        /**
         * Records one sweep. Samples of a subject with an empty or over-long name are left out; a file that cannot be
         * written is named in the exception after the others were written.
         */
        public synchronized void record(Instant at, List<HistorySample> samples) throws IOException {
            Map<String, float[]> bySubject = new LinkedHashMap<>();
            for (HistorySample s : samples) {
                if (!recordable(s.subject()) || s.metric() == null || !Double.isFinite(s.value())) continue;
                float[] v = bySubject.computeIfAbsent(normal(s.subject()),
                        k -> new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN});
                v[s.metric().ordinal()] = (float) s.value();
                if (s.metric() == Metric.MEMORY_BYTES && s.limit() > 0) v[3] = (float) s.limit();
            }
            long second = at.getEpochSecond();
            IOException failed = null;
            for (Map.Entry<String, float[]> e : bySubject.entrySet()) {
                try {
                    write(e.getKey(), second, e.getValue());
                } catch (IOException x) {
                    Series s = open.remove(e.getKey());
                    if (s != null) s.channel.close();
                    if (failed == null) failed = x;
                }
            }
            if (second >= nextPrune) {
                prune(at);
                nextPrune = second + CLOSE_AFTER_SECONDS;
            }
            if (failed != null) throw failed;
        }

        private void write(String subject, long second, float[] values) throws IOException {
            Series s = open.get(subject);
            if (s == null) {
                s = openSeries(subject);
                open.put(subject, s);
            }
            long slot = Math.floorMod(Math.floorDiv(second, interval), (long) rawSlots);
            writeFully(s.channel, raw(second, values), s.rawOffset + slot * RAW_RECORD);
            long start = Math.floorDiv(second, BUCKET_SECONDS) * BUCKET_SECONDS;
            long aggregateAt = HEADER + Math.floorMod(start / BUCKET_SECONDS, (long) AGGREGATE_SLOTS)
                    * AGGREGATE_RECORD;
            if (s.bucket == null || s.bucket.start != start) {
                Bucket resumed = null;
                if (s.bucket == null) {
                    ByteBuffer b = ByteBuffer.allocate(AGGREGATE_RECORD);
                    readFully(s.channel, b, aggregateAt);
                    resumed = Bucket.of(b, 0).filter(k -> k.start == start).orElse(null);
                }
                s.bucket = resumed != null ? resumed : new Bucket(start);
            }
            s.bucket.add(values);
            writeFully(s.channel, s.bucket.bytes(), aggregateAt);
            s.lastWritten = second;
        }

        /** The subject's file, made (or remade for another interval, keeping its aggregates) when needed. */
        private Series openSeries(String subject) throws IOException {
            Path f = dir.resolve(fileName(subject));
            Optional<BasicFileAttributes> a = lstat(f);
            FileChannel old = null;
            if (a.isPresent()) {
                if (!a.get().isRegularFile()) {
                    throw new IOException(f + " is not a regular file; its history is not recorded");
                }
                FileChannel ch = openNoFollow(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
                ByteBuffer hb = ByteBuffer.allocate(HEADER);
                readFully(ch, hb, 0);
                Optional<Header> h = header(hb);
                if (h.isPresent() && h.get().subject().equals(subject) && h.get().interval() == interval
                        && h.get().rawSlots() == rawSlots && ch.size() == expectedSize()) {
                    return new Series(ch, h.get().rawOffset());
                }
                if (h.isPresent() && h.get().subject().equals(subject)) {
                    old = ch; // another interval: the aggregates are still good
                } else {
                    ch.close(); // damaged: made afresh
                }
            }
            try {
                return create(f, subject, old);
            } finally {
                if (old != null) old.close();
            }
        }

        private long expectedSize() {
            return bytesPerSubject(Duration.ofSeconds(interval));
        }

        private Series create(Path f, String subject, FileChannel keep) throws IOException {
            Path temp = dir.resolve("." + f.getFileName() + ".new");
            Files.deleteIfExists(temp); // a link there is removed, never followed
            FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), FILE_MODE);
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                writeFully(ch, header(subject, interval, rawSlots), 0);
                if (keep != null) {
                    ByteBuffer b = ByteBuffer.allocate(AGGREGATE_SLOTS * AGGREGATE_RECORD);
                    readFully(keep, b, HEADER);
                    writeFully(ch, Arrays.copyOf(b.array(), b.limit()), HEADER);
                }
                writeFully(ch, new byte[1], expectedSize() - 1); // the full size now: sparse until written
                Files.move(temp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return new Series(ch, header(ByteBuffer.wrap(header(subject, interval, rawSlots))).orElseThrow()
                        .rawOffset());
            } catch (IOException | RuntimeException e) {
                ch.close();
                Files.deleteIfExists(temp);
                throw e;
            }
        }

        /** Closes the files of subjects not recorded for an hour; removes those of subjects gone for 8 days. */
        private void prune(Instant now) throws IOException {
            long second = now.getEpochSecond();
            var it = open.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (second - e.getValue().lastWritten > CLOSE_AFTER_SECONDS) {
                    e.getValue().channel.close();
                    it.remove();
                }
            }
            Set<String> written = new java.util.HashSet<>();
            open.keySet().forEach(s -> written.add(fileName(s)));
            Instant forget = now.minus(FORGET_AFTER);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.equals(LOCK) || written.contains(name)) continue;
                    Optional<BasicFileAttributes> a = lstat(f);
                    if (a.isEmpty() || !a.get().isRegularFile()) continue;
                    boolean stale = a.get().lastModifiedTime().toInstant().isBefore(forget);
                    boolean leftover = name.startsWith(".") && name.endsWith(".new")
                            && a.get().lastModifiedTime().toInstant().isBefore(now.minusSeconds(CLOSE_AFTER_SECONDS));
                    if ((name.endsWith(SUFFIX) && stale) || leftover) Files.deleteIfExists(f);
                }
            }
        }

        /** The files' sizes: at most {@link #bytesPerSubject} per subject recorded in the last 8 days. */
        public long bytesOnDisk() throws IOException {
            long total = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    Optional<BasicFileAttributes> a = lstat(f);
                    if (a.isPresent() && a.get().isRegularFile()) total += a.get().size();
                }
            }
            return total;
        }

        @Override
        public synchronized void close() throws IOException {
            IOException failed = null;
            for (Series s : open.values()) {
                try {
                    s.channel.close();
                } catch (IOException e) {
                    failed = failed == null ? e : failed;
                }
            }
            open.clear();
            lockFile.close();
            if (failed != null) throw failed;
        }
    }
}
