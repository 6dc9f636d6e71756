package dev.kiban.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every path under a directory with what a restore must reproduce: type, permissions, link target, and
 * for files the modification time and the SHA-256 of the content. Two trees are restored alike when
 * their listings are equal.
 */
public final class TreeListing {
    private TreeListing() {}

    public static Map<String, String> of(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link -> " + Files.readSymbolicLink(p));
                    continue;
                }
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p,
                        LinkOption.NOFOLLOW_LINKS));
                if (Files.isDirectory(p)) out.put(rel, "dir " + mode);
                else out.put(rel, "file " + mode + " " + Files.getLastModifiedTime(p).toMillis() + " " + sha256(p));
            }
        }
        return out;
    }

    /** The paths whose listing differs, at most {@code limit} of them, each with both sides. */
    public static java.util.List<String> differences(Map<String, String> a, Map<String, String> b, int limit) {
        java.util.Set<String> paths = new java.util.TreeSet<>(a.keySet());
        paths.addAll(b.keySet());
        return paths.stream().filter(p -> !java.util.Objects.equals(a.get(p), b.get(p))).limit(limit)
                .map(p -> p + ": " + a.getOrDefault(p, "absent") + " vs " + b.getOrDefault(p, "absent")).toList();
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
