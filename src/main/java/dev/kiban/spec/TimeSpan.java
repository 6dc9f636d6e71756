package dev.kiban.spec;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration as operators write it: {@code 30s}, {@code 10m}, {@code 1h30m}, {@code 30d}. */
public record TimeSpan(Duration duration) {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|[smhdw]))+");
    /** A century: longer is a typo, and far below where Duration or a systemd setting overflows. */
    private static final long MAX_DAYS = 36_500;
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|[smhdw])");

    public static TimeSpan parse(String text) {
        String t = text.trim();
        if (!WHOLE.matcher(t).matches()) {
            throw new IllegalArgumentException("expected a duration like 30s, 10m, 2h or 30d, got "
                    + SpecText.shown(text));
        }
        try {
            return new TimeSpan(sum(t));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("a duration is at most " + MAX_DAYS + "d, got " + SpecText.shown(text));
        }
    }

    private static Duration sum(String t) {
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(Math.multiplyExact(7L, n));
            });
        }
        if (total.compareTo(Duration.ofDays(MAX_DAYS)) > 0) throw new ArithmeticException("too long");
        return total;
    }

    public long seconds() {
        return duration.getSeconds();
    }

    @Override
    public String toString() {
        long s = duration.getSeconds();
        if (s == 0) return duration.toMillis() + "ms";
        StringBuilder out = new StringBuilder();
        long[] sizes = {86400, 3600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (s >= sizes[i]) {
                out.append(s / sizes[i]).append(names[i]);
                s %= sizes[i];
            }
        }
        return out.toString();
    }
}
