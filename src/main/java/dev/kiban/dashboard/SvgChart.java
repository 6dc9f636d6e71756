package dev.kiban.dashboard;

import dev.kiban.monitor.HistoryPoint;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One graph of a metrics history as inline SVG (pure): the average as a line, the min–max range as a shaded band,
 * axes with UTC times and human units, in a fixed {@value #WIDTH}×{@value #HEIGHT} viewBox that the page scales.
 * Accessible: {@code role="img"} with the title as {@code <title>} and a one-sentence summary (range, min, average,
 * max) as {@code <desc>}. Safe to inline in a page with a strict Content-Security-Policy: no script, no style
 * element (presentation attributes only), no link, and every text escaped (a container's name is hostile input;
 * the C1 controls and what XML cannot hold are dropped).
 * Missing sweeps stay gaps: two points further apart than 2.5 times the series' usual spacing are not joined.
 */
public final class SvgChart {
    /** The unit of the values: percent, or bytes shown in binary multiples. */
    public enum Unit { PERCENT, BYTES }

    static final int WIDTH = 720;
    static final int HEIGHT = 240;
    private static final int LEFT = 72;
    private static final int RIGHT = 16;
    private static final int TOP = 30;
    private static final int BOTTOM = 34;
    private static final int GRID_LINES = 4;
    private static final double GAP_FACTOR = 2.5;
    private static final String COLOUR = "#2563eb";
    private static final List<Duration> TIME_STEPS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(3), Duration.ofHours(4), Duration.ofHours(6), Duration.ofHours(12),
            Duration.ofDays(1), Duration.ofDays(2), Duration.ofDays(7), Duration.ofDays(30));
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59Z");

    private SvgChart() {}

    private static Instant clamp(Instant at) {
        return at.isBefore(FIRST) ? FIRST : at.isAfter(LAST) ? LAST : at;
    }

    /**
     * The SVG element of {@code points} between {@code from} and {@code to} (points outside are left out; values
     * that are not finite too). An empty series draws the axes and says "no data".
     */
    public static String render(String title, Unit unit, List<HistoryPoint> points, Instant from, Instant to) {
        // a range from a query is hostile input: kept within years 0-9999 (and so to dates a label can show)
        from = clamp(from);
        to = clamp(to);
        if (!to.isAfter(from)) {
            if (from.equals(LAST)) from = to.minusSeconds(1);
            else to = from.plusSeconds(1);
        }
        Instant start = from;
        Instant end = to;
        List<HistoryPoint> shown = points.stream()
                .filter(p -> p != null && p.at() != null && !p.at().isBefore(start) && !p.at().isAfter(end))
                .filter(p -> Double.isFinite(p.min()) && Double.isFinite(p.avg()) && Double.isFinite(p.max()))
                .sorted(Comparator.comparing(HistoryPoint::at)).toList();
        double top = scaleTop(unit, shown.stream().mapToDouble(p -> Math.max(p.max(), p.avg())).max().orElse(0));
        String name = title == null ? "" : title;
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" preserveAspectRatio=\"xMidYMid meet\"")
                .append(" font-family=\"sans-serif\" font-size=\"11\">");
        svg.append("<title>").append(text(name)).append("</title>");
        svg.append("<desc>").append(text(description(name, unit, shown, from, to))).append("</desc>");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"18\" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">")
                .append(text(name)).append("</text>");
        axes(svg, unit, top, from, to);
        if (shown.isEmpty()) {
            svg.append("<text x=\"").append(LEFT + plotWidth() / 2).append("\" y=\"").append(TOP + plotHeight() / 2)
                    .append("\" text-anchor=\"middle\" fill=\"#666\">no data</text>");
        } else {
            for (List<HistoryPoint> run : runs(shown)) series(svg, run, top, from, to);
        }
        return svg.append("</svg>").toString();
    }

    /**
     * Text for an element or a quoted attribute: the markup characters escaped, and what XML 1.0 cannot carry
     * (control characters, an unpaired surrogate, U+FFFE and U+FFFF) dropped.
     */
    static String text(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    boolean allowed = c == '\t' || c == '\n' || (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c < 0xd800)
                            || (c >= 0xe000 && c < 0xfffe) || c >= 0x10000;
                    if (allowed) out.appendCodePoint(c);
                }
            }
        });
        return out.toString();
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private static double x(Instant at, Instant from, Instant to) {
        return LEFT + seconds(from, at) / seconds(from, to) * plotWidth();
    }

    /** Seconds from one to the other as a double: no range, however wide, overflows. */
    private static double seconds(Instant a, Instant b) {
        return (b.getEpochSecond() - a.getEpochSecond()) + (b.getNano() - a.getNano()) / 1e9;
    }

    private static double y(double v, double top) {
        return TOP + plotHeight() - Math.max(0, Math.min(v, top)) / top * plotHeight();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A round top for the value axis: 1, 2, 2.5 or 5 times a power of ten (of 1024 for bytes) at or above max. */
    static double scaleTop(Unit unit, double max) {
        double floor = unit == Unit.PERCENT ? 1 : 1024;
        if (!(max > floor)) return floor;
        double base = 1;
        double scaled = max;
        if (unit == Unit.BYTES) {
            while (scaled >= 1024) {
                scaled /= 1024;
                base *= 1024;
            }
        }
        double power = Math.pow(10, Math.floor(Math.log10(scaled)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * power >= scaled * (1 - 1e-9)) return m * power * base;
        }
        return 10 * power * base;
    }

    /** A value as a person reads it: "12.5 %", "0 %", "512 B", "1.5 GiB". */
    static String human(Unit unit, double v) {
        if (unit == Unit.PERCENT) {
            return (Math.abs(v) >= 10 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                    : String.format(Locale.ROOT, "%.1f", v)) + " %";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int i = 0;
        double s = v;
        while (Math.abs(s) >= 1024 && i < units.length - 1) {
            s /= 1024;
            i++;
        }
        String n = i == 0 || Math.abs(s) >= 10 || s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f", s)
                : String.format(Locale.ROOT, "%.1f", s);
        return n + " " + units[i];
    }

    private static String description(String title, Unit unit, List<HistoryPoint> shown, Instant from, Instant to) {
        String range = "from " + STAMP.format(from) + " to " + STAMP.format(to) + " UTC";
        if (shown.isEmpty()) return title + ", " + range + ": no data.";
        double min = shown.stream().mapToDouble(HistoryPoint::min).min().orElse(0);
        double max = shown.stream().mapToDouble(HistoryPoint::max).max().orElse(0);
        double avg = shown.stream().mapToDouble(HistoryPoint::avg).average().orElse(0);
        return title + ", " + range + ": minimum " + human(unit, min) + ", average " + human(unit, avg) + ", maximum "
                + human(unit, max) + " (" + shown.size() + " point" + (shown.size() == 1 ? "" : "s") + ").";
    }

    private static void axes(StringBuilder svg, Unit unit, double top, Instant from, Instant to) {
        int bottom = TOP + plotHeight();
        for (int i = 0; i <= GRID_LINES; i++) {
            double v = top * i / GRID_LINES;
            String yy = num(y(v, top));
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(yy).append("\" y2=\"").append(yy).append("\" stroke=\"")
                    .append(i == 0 ? "#888" : "#e5e5e5").append("\"/>");
            svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(num(y(v, top) + 4))
                    .append("\" text-anchor=\"end\" fill=\"#444\">").append(text(human(unit, v))).append("</text>");
        }
        svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"").append(TOP)
                .append("\" y2=\"").append(bottom).append("\" stroke=\"#888\"/>");
        Duration span = Duration.between(from, to);
        // at most 8 labels, whatever the range (whole days beyond the steps' longest)
        Duration step = TIME_STEPS.stream().filter(s -> span.dividedBy(s) <= 8).findFirst()
                .orElse(Duration.ofDays(span.toDays() / 8 + 1));
        DateTimeFormatter label = step.compareTo(Duration.ofDays(1)) >= 0 ? DAY : CLOCK;
        long stepSeconds = step.getSeconds();
        long first = Math.floorDiv(from.getEpochSecond() + stepSeconds - 1, stepSeconds) * stepSeconds;
        for (long t = first; t <= to.getEpochSecond(); t += stepSeconds) {
            Instant at = Instant.ofEpochSecond(t);
            String xx = num(x(at, from, to));
            svg.append("<line x1=\"").append(xx).append("\" x2=\"").append(xx).append("\" y1=\"").append(bottom)
                    .append("\" y2=\"").append(bottom + 4).append("\" stroke=\"#888\"/>");
            svg.append("<text x=\"").append(xx).append("\" y=\"").append(bottom + 16)
                    .append("\" text-anchor=\"middle\" fill=\"#444\">").append(label.format(at)).append("</text>");
        }
        svg.append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(HEIGHT - 2)
                .append("\" text-anchor=\"end\" fill=\"#888\">UTC</text>");
    }

    /** The series cut where a sweep (or more) is missing: a gap is drawn as one. */
    static List<List<HistoryPoint>> runs(List<HistoryPoint> points) {
        List<Long> steps = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            steps.add(Duration.between(points.get(i - 1).at(), points.get(i).at()).toMillis());
        }
        long usual = steps.isEmpty() ? 0 : steps.stream().sorted().toList().get(steps.size() / 2);
        List<List<HistoryPoint>> out = new ArrayList<>();
        List<HistoryPoint> run = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (i > 0 && steps.get(i - 1) > GAP_FACTOR * usual) {
                out.add(run);
                run = new ArrayList<>();
            }
            run.add(points.get(i));
        }
        out.add(run);
        return out;
    }

    private static void series(StringBuilder svg, List<HistoryPoint> run, double top, Instant from, Instant to) {
        if (run.size() == 1) {
            HistoryPoint p = run.get(0);
            svg.append("<circle cx=\"").append(num(x(p.at(), from, to))).append("\" cy=\"").append(num(y(p.avg(), top)))
                    .append("\" r=\"2\" fill=\"").append(COLOUR).append("\"/>");
            return;
        }
        if (run.stream().anyMatch(p -> p.max() > p.min())) {
            svg.append("<polygon fill=\"").append(COLOUR).append("\" fill-opacity=\"0.18\" stroke=\"none\" points=\"");
            for (HistoryPoint p : run) point(svg, x(p.at(), from, to), y(p.max(), top));
            for (int i = run.size() - 1; i >= 0; i--) {
                point(svg, x(run.get(i).at(), from, to), y(run.get(i).min(), top));
            }
            svg.setLength(svg.length() - 1);
            svg.append("\"/>");
        }
        svg.append("<polyline fill=\"none\" stroke=\"").append(COLOUR).append("\" stroke-width=\"1.5\" points=\"");
        for (HistoryPoint p : run) point(svg, x(p.at(), from, to), y(p.avg(), top));
        svg.setLength(svg.length() - 1);
        svg.append("\"/>");
    }

    private static void point(StringBuilder svg, double x, double y) {
        svg.append(num(x)).append(',').append(num(y)).append(' ');
    }
}
