package dev.kiban.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * Content-defined chunking (FastCDC with normalised chunking): boundaries depend on the bytes around
 * them, not on offsets, so an insertion early in a file moves only the chunks it touches and the rest
 * deduplicate against the previous snapshot. A gear hash rolls over the data; a boundary falls where
 * its masked bits are zero, with a stricter mask before the average size and a looser one after.
 */
public final class Chunker {
    public static final int MIN = 256 * 1024;
    public static final int AVG = 1024 * 1024;
    public static final int MAX = 4 * 1024 * 1024;

    private static final long[] GEAR = gear();
    private final int min;
    private final int avg;
    private final int max;
    private final long maskSmall;
    private final long maskLarge;
    // one per thread: a 4 MiB allocation per small file cost more than the file
    private final ThreadLocal<byte[]> buffers;

    public Chunker() {
        this(MIN, AVG, MAX);
    }

    public int min() {
        return min;
    }

    public Chunker(int min, int avg, int max) {
        if (!(0 < min && min < avg && avg < max) || Integer.bitCount(avg) != 1) {
            throw new IllegalArgumentException("chunk sizes need 0 < min < avg < max with avg a power of two");
        }
        this.min = min;
        this.avg = avg;
        this.max = max;
        int bits = Integer.numberOfTrailingZeros(avg);
        this.maskSmall = spreadMask(bits + 1);
        this.maskLarge = spreadMask(bits - 1);
        this.buffers = ThreadLocal.withInitial(() -> new byte[max]);
    }

    /** Receives each chunk; the array is reused between calls, so copy what you keep. */
    @FunctionalInterface
    public interface Sink {
        void chunk(byte[] buffer, int length) throws IOException;
    }

    /** Splits the stream into chunks, in order. Not reentrant within one thread (the buffer is the thread's). */
    public void split(InputStream in, Sink sink) throws IOException {
        byte[] buf = buffers.get();
        int filled = 0;
        boolean eof = false;
        while (true) {
            while (!eof && filled < max) {
                int n = in.read(buf, filled, max - filled);
                if (n < 0) eof = true;
                else filled += n;
            }
            if (filled == 0) return;
            int cut = eof && filled <= min ? filled : boundary(buf, filled);
            sink.chunk(buf, cut);
            System.arraycopy(buf, cut, buf, 0, filled - cut);
            filled -= cut;
        }
    }

    /** The length of the first chunk of {@code buf[0, length)}. */
    int boundary(byte[] buf, int length) {
        if (length <= min) return length;
        int normal = Math.min(avg, length);
        int end = Math.min(max, length);
        long hash = 0;
        int i = min;
        for (; i < normal; i++) {
            hash = (hash << 1) + GEAR[buf[i] & 0xff];
            if ((hash & maskSmall) == 0) return i + 1;
        }
        for (; i < end; i++) {
            hash = (hash << 1) + GEAR[buf[i] & 0xff];
            if ((hash & maskLarge) == 0) return i + 1;
        }
        return end;
    }

    /** {@code bits} one-bits spread over the upper 48 bits, as FastCDC does, so the mask sees a wide window. */
    private static long spreadMask(int bits) {
        long mask = 0;
        int step = Math.max(1, 48 / bits);
        for (int b = 0, pos = 63; b < bits && pos >= 0; b++, pos -= step) mask |= 1L << pos;
        return mask;
    }

    /** A fixed table: chunk boundaries, and so deduplication, must not change between kiban versions. */
    private static long[] gear() {
        SplittableRandom random = new SplittableRandom(0x6b6962616eL); // "kiban"
        long[] table = new long[256];
        for (int i = 0; i < 256; i++) table[i] = random.nextLong();
        return table;
    }
}
