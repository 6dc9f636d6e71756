package dev.kiban.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import dev.kiban.spec.SpecText;
import java.util.Optional;

/**
 * Host paths under a root prefix: {@code --root /tmp/x} makes {@code /etc/foo} be {@code /tmp/x/etc/foo}.
 *
 * <p>The symlink rule, the same under {@code --root} and on {@code /}: kiban never follows a symbolic link
 * it did not create. Every directory on the way to a path kiban writes, chmods, chowns, creates or
 * removes must be a real directory, checked component by component with lstat; a symbolic link there
 * (say {@code /etc/docker -> /data/etc}, even when it is the operator's own layout) is refused with a
 * message naming it, and the operator replaces it with a real directory or a bind mount. The last
 * component may be a symbolic link only where a file is planned: apply replaces the link itself (rename
 * over it, never writing through it) and the generation records it, so rollback puts the link back.
 * The root given with {@code --root} is the operator's own argument and is taken as named.
 *
 * <p>The checks are lstat before use, so they stop planted links, not a process racing kiban as root
 * inside the tree while it writes; such a process could write there itself.
 */
public final class HostRoot {
    private HostRoot() {}

    /** The path of {@code hostPath} under {@code root}; refuses relative paths and {@code .} or {@code ..} parts. */
    public static Path resolve(Path root, String hostPath) {
        problem(hostPath).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        return root.resolve(hostPath.substring(1));
    }

    /** As {@link #resolve}, with a checked refusal for paths read from a file (a generation manifest). */
    public static Path under(Path root, String hostPath) throws IOException {
        Optional<String> why = problem(hostPath);
        if (why.isPresent()) throw new Refusal(why.get());
        return root.resolve(hostPath.substring(1));
    }

    /** What is wrong with {@code hostPath} as an absolute, plain host path, if anything. */
    public static Optional<String> problem(String hostPath) {
        if (hostPath == null) return Optional.of("not an absolute host path: none given");
        // the spec's rule for every value (C0, DEL, C1, line separators, invisible format controls); the
        // path is shown escaped, so a newline in it cannot start a line of kiban's own output
        Optional<String> control = SpecText.controlCharacter(hostPath);
        if (control.isPresent()) return Optional.of("host path " + SpecText.shown(hostPath) + " " + control.get());
        if (!hostPath.startsWith("/")) return Optional.of("not an absolute host path: " + hostPath);
        if (hostPath.equals("/")) return Optional.of("the host root itself is not a file kiban manages");
        // an empty component ("//", a trailing "/") names the same path and cannot leave the root
        for (String c : hostPath.substring(1).split("/", -1)) {
            if (c.equals(".") || c.equals("..")) {
                return Optional.of("host path " + hostPath
                        + " has a '.' or '..' component; expected a plain absolute path");
            }
        }
        return Optional.empty();
    }

    public static boolean isSystemRoot(Path root) {
        return root.toAbsolutePath().normalize().toString().equals("/");
    }

    /** A refusal to touch a path: the operator's message, exit 1. */
    public static final class Refusal extends IOException {
        public Refusal(String message) {
            super(message);
        }
    }

    /**
     * Checks every directory between {@code root} and {@code hostPath} (not the path itself) without
     * following links: each must be a real directory, or absent. With {@code create}, absent ones are made
     * (mkdir, which never follows a link); without, the first absent one ends the walk.
     *
     * @return the path under the root, its parents checked
     */
    public static Path parents(Path root, String hostPath, boolean create) throws IOException {
        Path target = under(root, hostPath);
        Path at = root;
        String[] parts = java.util.Arrays.stream(hostPath.substring(1).split("/")).filter(s -> !s.isEmpty())
                .toArray(String[]::new);
        StringBuilder host = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.resolve(parts[i]);
            host.append('/').append(parts[i]);
            Optional<BasicFileAttributes> a = lstat(at);
            if (a.isEmpty()) {
                if (!create) return target;
                Files.createDirectory(at);
                a = lstat(at);
            }
            requireDirectory(root, hostPath, host.toString(), at, a.orElseThrow());
        }
        return target;
    }

    /** The first refusal on the way to {@code hostPath} (an intermediate symlink or non-directory), read-only. */
    public static Optional<String> unsafe(Path root, String hostPath) {
        try {
            parents(root, hostPath, false);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(Failures.describe(e));
        }
    }

    private static void requireDirectory(Path root, String hostPath, String component, Path at, BasicFileAttributes a)
            throws IOException {
        if (a.isSymbolicLink()) {
            String to = Files.readSymbolicLink(at).toString();
            throw new Refusal("refusing " + where(root, hostPath) + ": " + component + " is a symbolic link (to " + to
                    + "); kiban never follows a symbolic link it did not create: make " + component
                    + " a real directory (or a bind mount)");
        }
        if (!a.isDirectory()) {
            throw new Refusal("refusing " + where(root, hostPath) + ": " + component
                    + " is not a directory; expected a directory");
        }
    }

    /** The path as the operator names it: the host path, and the root when it is not {@code /}. */
    public static String where(Path root, String hostPath) {
        return isSystemRoot(root) ? hostPath : hostPath + " under " + root;
    }

    /** True when {@code hostPath} is a regular file under the root, reached without following any link. */
    public static boolean isRegularFileUnder(Path root, String hostPath) {
        try {
            if (unsafe(root, hostPath).isPresent()) return false;
            return lstat(under(root, hostPath)).map(BasicFileAttributes::isRegularFile).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** lstat: the attributes of the path itself (a link is not followed), empty when nothing is there. */
    public static Optional<BasicFileAttributes> lstat(Path p) throws IOException {
        try {
            return Optional.of(Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
