package dev.kiban.spec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size as Docker and the design write it: {@code 512M}, {@code 16G}, {@code 3.6T}. Units are binary
 * (K = 1024), as Docker counts memory limits; a bare number is refused because it is almost always a
 * forgotten unit.
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGTP])(?:I?B)?",
            Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "KMGTP";
    private static final long MAX = 1L << 60;

    public ByteSize {
        if (bytes < 0) throw new IllegalArgumentException("a size cannot be negative");
    }

    public static ByteSize parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size with a unit, like 512M, 16G or 3.6T, got "
                    + SpecText.shown(text));
        }
        int power = UNITS.indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1;
        BigDecimal value = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power))
                .setScale(0, RoundingMode.HALF_UP);
        // A cap far above any disk keeps every sum of sizes (the budget adds a few) inside a long.
        if (value.compareTo(BigDecimal.valueOf(MAX)) > 0) {
            throw new IllegalArgumentException("a size is at most 1024P, got " + SpecText.shown(text));
        }
        return new ByteSize(value.longValueExact());
    }

    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    public ByteSize plus(ByteSize other) {
        long sum = bytes + other.bytes;
        return new ByteSize(sum < 0 ? Long.MAX_VALUE : sum); // saturates: only ever compared
    }

    /** True when this exceeds {@code other} by more than rounding of decimal units (1 KiB). */
    public boolean exceeds(ByteSize other) {
        return bytes - other.bytes > 1024;
    }

    @Override
    public int compareTo(ByteSize o) {
        return Long.compare(bytes, o.bytes);
    }

    /** For reading, not for a spec: one decimal in the largest unit, {@code 1.5G}; under 1 KiB, {@code 512B}. */
    public String approximate() {
        return approximate("", "");
    }

    /** The same with IEC units, as a page shows it: {@code 1.5 GiB}, {@code 512 B}. */
    public String approximateIec() {
        return approximate(" ", "iB");
    }

    private String approximate(String space, String suffix) {
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < UNITS.length() - 1) {
            v /= 1024;
            i++;
        }
        return i < 0 ? bytes + space + "B"
                : String.format(Locale.ROOT, "%.1f%s%s%s", v, space, UNITS.charAt(i), suffix);
    }

    /** The shortest exact-enough form: 16G, 3.6T, 512M. */
    @Override
    public String toString() {
        for (int power = UNITS.length(); power >= 1; power--) {
            BigDecimal unit = BigDecimal.valueOf(1024).pow(power);
            if (bytes >= unit.longValueExact()) {
                BigDecimal scaled = BigDecimal.valueOf(bytes).divide(unit, 2, RoundingMode.HALF_UP)
                        .stripTrailingZeros();
                return scaled.toPlainString() + UNITS.charAt(power - 1);
            }
        }
        return bytes + "B";
    }
}
