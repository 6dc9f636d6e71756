package dev.kiban.spec;

/** An absolute path on the managed host (not on the machine running kiban, which may differ). */
public record HostPath(String value) {
    public static HostPath parse(String text) {
        String t = text.trim();
        if (!t.startsWith("/")) throw new IllegalArgumentException("expected an absolute path, got \"" + text + "\"");
        String normal = t.replaceAll("/+", "/");
        if (normal.length() > 1 && normal.endsWith("/")) normal = normal.substring(0, normal.length() - 1);
        if (normal.matches(".*/\\.\\.?(/.*)?")) throw new IllegalArgumentException("a path may not contain . or .. parts: \"" + text + "\"");
        return new HostPath(normal);
    }

    /** True when one path is the other or lies inside it. */
    public boolean nests(HostPath other) {
        return within(other) || other.within(this);
    }

    public boolean within(HostPath parent) {
        return value.equals(parent.value) || parent.value.equals("/") || value.startsWith(parent.value + "/");
    }

    public HostPath resolve(String child) {
        return new HostPath(value.equals("/") ? "/" + child : value + "/" + child);
    }

    @Override
    public String toString() {
        return value;
    }
}
