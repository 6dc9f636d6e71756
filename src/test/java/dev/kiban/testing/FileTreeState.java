package dev.kiban.testing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything about a file tree a hostile input could change, read without following links: per path its
 * mode, owner, size, mtime, link count, and its content or link target. Sentinel trees compare two of these.
 */
public final class FileTreeState {
    private FileTreeState() {}

    /** Path (relative to {@code root}) to its state line, sorted. */
    public static Map<String, String> of(Path root) throws IOException {
        Map<String, String> lines = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                lines.put(root.relativize(d).toString(), line(d));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                lines.put(root.relativize(f).toString(), line(f));
                return FileVisitResult.CONTINUE;
            }
        });
        return lines;
    }

    static String line(Path p) throws IOException {
        Map<String, Object> a =
                Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,nlink", LinkOption.NOFOLLOW_LINKS);
        String s = String.format("%o %s:%s %s %s n%s", a.get("mode"), a.get("uid"), a.get("gid"), a.get("size"),
                a.get("lastModifiedTime"), a.get("nlink"));
        if (Files.isSymbolicLink(p)) return s + " -> " + Files.readSymbolicLink(p);
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return s + " " + HexFormat.of().formatHex(Files.readAllBytes(p));
        }
        return s;
    }
}
