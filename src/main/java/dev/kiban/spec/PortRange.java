package dev.kiban.spec;

/** One port ({@code 443}) or an inclusive range ({@code 8000-8999}). */
public record PortRange(int from, int to) {
    public PortRange {
        if (from < 1 || to > 65535 || from > to) {
            throw new IllegalArgumentException("ports run from 1 to 65535 and a range from low to high, got " + from
                    + (from == to ? "" : "-" + to));
        }
    }

    public static PortRange parse(String text) {
        String t = text.trim();
        try {
            int dash = t.indexOf('-');
            if (dash < 0) {
                int p = Integer.parseInt(t);
                return new PortRange(p, p);
            }
            return new PortRange(Integer.parseInt(t.substring(0, dash).trim()),
                    Integer.parseInt(t.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a port like 443 or a range like 8000-8999, got \"" + text
                    + "\"");
        }
    }

    public boolean contains(PortRange other) {
        return from <= other.from && other.to <= to;
    }

    public boolean overlaps(PortRange other) {
        return from <= other.to && other.from <= to;
    }

    @Override
    public String toString() {
        return from == to ? String.valueOf(from) : from + "-" + to;
    }
}
