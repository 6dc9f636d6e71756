package dev.kiban.spec;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An absolute path on the managed host (not on the machine running kiban, which may differ). Host
 * paths land in unit lines, semanage patterns and argv, so they are kept to characters none of those
 * needs to quote: letters, digits and {@code . _ - + @} between slashes. No spaces, quotes, '%'
 * (a systemd specifier), '\', '$', ':' or control characters; no {@code .} or {@code ..} parts.
 */
public record HostPath(String value) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9._+@-]+");
    private static final int MAX_LENGTH = 4095;
    private static final int MAX_PART = 255;

    /** Trees kiban never creates, chmods or relabels anything in (nor writes a file kiban names in the spec). */
    private static final List<String> SYSTEM_TREES = List.of("/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32",
            "/lib64", "/libx32", "/boot", "/dev", "/proc", "/sys", "/run", "/var/run", "/var/lock",
            "/var/lib/kiban/generations");
    /** Directories that exist for the system or kiban itself: never one of the layout's directories. */
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/", "/home", "/root", "/tmp", "/srv", "/opt",
            "/mnt", "/media", "/var", "/lost+found", "/snap", "/nix", "/var/lib/kiban", "/var/log/kiban",
            "/var/lib/docker");

    public static HostPath parse(String text) {
        Optional<String> control = SpecText.controlCharacter(text);
        if (control.isPresent()) throw new IllegalArgumentException("a path " + control.get());
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("expected an absolute path, got " + SpecText.shown(text));
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a path is at most " + MAX_LENGTH + " characters, this one has "
                    + text.length());
        }
        String normal = text.replaceAll("/+", "/");
        if (normal.length() > 1 && normal.endsWith("/")) normal = normal.substring(0, normal.length() - 1);
        for (String part : normal.substring(1).split("/", -1)) {
            if (normal.equals("/")) break;
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("a path may not contain . or .. parts: " + SpecText.shown(text));
            }
            if (part.length() > MAX_PART) {
                throw new IllegalArgumentException("a path's parts are at most " + MAX_PART + " characters");
            }
            if (!PART.matcher(part).matches()) {
                throw new IllegalArgumentException("a path may hold only letters, digits and . _ - + @ between slashes "
                        + "(no spaces, quotes, %, $, \\, : or other signs), got " + SpecText.shown(text));
            }
        }
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

    /** The directory this path is in ({@code /} for {@code /x} and for {@code /}). */
    public HostPath parent() {
        int cut = value.lastIndexOf('/');
        return new HostPath(cut <= 0 ? "/" : value.substring(0, cut));
    }

    /**
     * Why kiban must not create, chmod or relabel this directory: a system directory itself, a direct
     * child of /var, /home or /usr, or anything inside a system tree (/etc, /usr, /boot, /proc, ...).
     */
    public Optional<String> systemDirectory() {
        if (SYSTEM_DIRECTORIES.contains(value)) return Optional.of(value + " is a system directory");
        for (String tree : List.of("/var", "/home", "/usr")) {
            if (parent().value.equals(tree) && !value.equals("/")) {
                return Optional.of(value + " is a system directory (directly under " + tree + ")");
            }
        }
        return systemTree(List.of());
    }

    /** Why no file kiban writes may be here: inside a system tree, except the allowed subtrees. */
    public Optional<String> systemTree(List<String> allowed) {
        for (String ok : allowed) if (within(new HostPath(ok))) return Optional.empty();
        for (String tree : SYSTEM_TREES) {
            if (value.equals(tree)) return Optional.of(value + " is a system directory");
            if (within(new HostPath(tree))) {
                return Optional.of(value + " lies in " + tree + ", which belongs to the system");
            }
        }
        return Optional.empty();
    }

    /** True when this directory contains a system directory (so a recursive change would reach it). */
    public boolean containsSystemDirectory() {
        return SYSTEM_DIRECTORIES.stream().anyMatch(d -> new HostPath(d).within(this) && !d.equals(value))
                || SYSTEM_TREES.stream().anyMatch(d -> new HostPath(d).within(this));
    }

    @Override
    public String toString() {
        return value;
    }
}
