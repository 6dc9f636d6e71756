package dev.kiban.backup;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Which packs a verify reads back, after restic's {@code --read-data-subset N%}: none (structure only), all
 * ({@code --read-data}) or a random share of them, each pack drawn once so that every chunk of a drawn pack is
 * read and a pack left out is left out whole. Over weekly runs a 5% sample reads each pack in about a year and
 * a damaged pack is likely found within weeks, at a twentieth of a full read's time.
 */
public final class DataSample {
    private final double fraction;
    private final Random random;
    private final Map<String, Boolean> drawn = new HashMap<>();

    private DataSample(double fraction, Random random) {
        this.fraction = fraction;
        this.random = random;
    }

    /** Structure only: no chunk is read. */
    public static DataSample none() {
        return new DataSample(0, new Random(0));
    }

    /** Every pack read. */
    public static DataSample all() {
        return new DataSample(1, new Random(0));
    }

    /** About {@code percent}% of the packs, drawn at random (0 reads none, 100 all). */
    public static DataSample percent(double percent, Random random) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("a read-data share lies between 0% and 100%, got " + percent);
        }
        return new DataSample(percent / 100, random);
    }

    /** Whether this pack's chunks are read; the same answer each time it is asked. */
    boolean reads(String pack) {
        return drawn.computeIfAbsent(pack, p -> fraction >= 1 || fraction > 0 && random.nextDouble() < fraction);
    }

    /** How many packs were drawn to be read. */
    public int packsRead() {
        return (int) drawn.values().stream().filter(b -> b).count();
    }

    /** The share as given, e.g. {@code 5%}. */
    public String describe() {
        double p = fraction * 100;
        return (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p)) + "%";
    }
}
