package dev.kiban.host;

import dev.kiban.os.HostRoot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A file or directory as it is on the host now: what the planner compares the rendering with. Read
 * without following links: a symbolic link is observed as a link ({@code link} its target, no
 * content), and a path behind a linked directory as absent (apply refuses it before writing).
 */
public record ObservedFile(boolean directory, String content, String mode, String owner, String link) {

    public ObservedFile(boolean directory, String content, String mode, String owner) {
        this(directory, content, mode, owner, "");
    }

    public boolean isLink() {
        return !link.isEmpty();
    }

    /** Reads each host path under {@code root} (absent paths map to empty). */
    public static Map<String, Optional<ObservedFile>> read(Path root, Iterable<String> hostPaths) throws IOException {
        Map<String, Optional<ObservedFile>> out = new LinkedHashMap<>();
        for (String p : hostPaths) out.put(p, read(root, p));
        return out;
    }

    /** One host path under {@code root}; empty when absent or behind a symbolic link or non-directory. */
    static Optional<ObservedFile> read(Path root, String hostPath) throws IOException {
        if (HostRoot.unsafe(root, hostPath).isPresent()) return Optional.empty();
        return read(HostRoot.resolve(root, hostPath));
    }

    static Optional<ObservedFile> read(Path path) throws IOException {
        if (HostRoot.lstat(path).isEmpty()) return Optional.empty();
        PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String owner = a.owner().getName() + ":" + a.group().getName();
        String mode = PosixFilePermissions.toString(a.permissions());
        if (a.isDirectory()) return Optional.of(new ObservedFile(true, "", mode, owner));
        if (a.isSymbolicLink()) {
            return Optional.of(new ObservedFile(false, "", mode, owner, Files.readSymbolicLink(path).toString()));
        }
        // a FIFO or device would block or never end: observed with no content, and replaced by apply
        if (!a.isRegularFile()) return Optional.of(new ObservedFile(false, "", mode, owner));
        String content = new String(readNoFollow(path), StandardCharsets.UTF_8);
        return Optional.of(new ObservedFile(false, content, mode, owner));
    }

    /** The bytes of a regular file, opened with O_NOFOLLOW so a link swapped in meanwhile is not read through. */
    static byte[] readNoFollow(Path path) throws IOException {
        Set<java.nio.file.OpenOption> read = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try (SeekableByteChannel ch = Files.newByteChannel(path, read)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) > 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toByteArray();
        }
    }
}
