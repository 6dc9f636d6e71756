package dev.kiban.host;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a file so that readers see the old content or the new, never half of either: a temporary
 * file in the same directory, flushed to disk, given its mode, then renamed over the target.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /**
     * Writes {@code content} to {@code target} with {@code mode} (e.g. {@code rw-------}). When
     * {@code keepPrevious} is true and the target exists, the old file is kept as {@code NAME.previous}
     * and its path returned.
     */
    public static Optional<Path> write(Path target, byte[] content, String mode, boolean keepPrevious) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString(mode);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", PosixFilePermissions.asFileAttribute(perms));
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            Files.setPosixFilePermissions(temp, perms); // umask may have narrowed the create mode
            Optional<Path> previous = Optional.empty();
            if (keepPrevious && Files.exists(target)) {
                Path kept = target.resolveSibling(target.getFileName() + ".previous");
                Files.copy(target, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                previous = Optional.of(kept);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return previous;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
