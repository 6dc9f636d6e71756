package dev.kiban.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes a file so that readers see the old content or the new, never half of either: a new temporary
 * file (CREATE_NEW, a random name, in the same directory, never following a link), flushed to disk,
 * given its mode and owner, then renamed over the target. The rename replaces whatever the target is,
 * a symbolic link included, without following it; an existing path is never opened for writing. The
 * directory written into must be a real directory, not a symbolic link.
 */
public final class AtomicFile {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ATTEMPTS = 16;

    /** For tests: the first temporary name to try for a file name (null: random only). */
    static volatile Function<String, String> firstTempName;

    private AtomicFile() {}

    /**
     * Writes {@code content} to {@code target} with {@code mode} (e.g. {@code rw-------}). When
     * {@code keepPrevious} is true and the target exists, the old file is kept as {@code NAME.previous}
     * and its path returned.
     */
    public static Optional<Path> write(Path target, byte[] content, String mode,
            boolean keepPrevious) throws IOException {
        return write(target, content, mode, "", keepPrevious);
    }

    /**
     * Writes {@code hostPath} under {@code root} the rooted way: every directory on the way is checked
     * component by component without following a link (and made when absent, by mkdir), so a symbolic
     * link planted inside the root is refused rather than written through; then as {@link #write}.
     */
    public static Optional<Path> writeUnder(Path root, String hostPath, byte[] content, String mode,
                                            boolean keepPrevious) throws IOException {
        return write(HostRoot.parents(root, hostPath, true), content, mode, "", keepPrevious);
    }

    /** As {@link #write(Path, byte[], String, boolean)}, giving the file to {@code owner} before the rename. */
    public static Optional<Path> write(Path target, byte[] content, String mode, String owner, boolean keepPrevious)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (HostRoot.lstat(dir).isEmpty()) Files.createDirectories(dir);
        requireRealDirectory(dir);
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString(mode);
        Path temp = createTemp(dir, target.getFileName().toString(), perms);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            // umask may have narrowed the create mode; the owner is set before the file is visible
            view(temp).setPermissions(perms);
            FileOwnership.set(temp, owner);
            Optional<Path> previous = Optional.empty();
            if (keepPrevious && HostRoot.lstat(target).isPresent()) previous = Optional.of(keepCopy(target));
            rename(temp, target);
            return previous;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes {@code target} a symbolic link to {@code linkTarget}, replacing whatever is there (rollback of a link). */
    public static void symlink(Path target, String linkTarget) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        requireRealDirectory(dir);
        for (int i = 0; ; i++) {
            Path temp = dir.resolve(tempName(target.getFileName().toString(), i));
            try {
                Files.createSymbolicLink(temp, Path.of(linkTarget));
            } catch (FileAlreadyExistsException e) {
                if (i + 1 < ATTEMPTS) continue;
                throw e;
            }
            try {
                rename(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
            return;
        }
    }

    /** Fails unless {@code dir} is a directory itself (lstat), not a symbolic link to one. */
    public static void requireRealDirectory(Path dir) throws IOException {
        Optional<BasicFileAttributes> a = HostRoot.lstat(dir);
        if (a.isPresent() && a.get().isSymbolicLink()) {
            throw new HostRoot.Refusal("refusing to write into " + dir + ": it is a symbolic link (to "
                    + Files.readSymbolicLink(dir) + "); expected a real directory");
        }
        if (a.isEmpty() || !a.get().isDirectory()) {
            throw new HostRoot.Refusal("cannot write into " + dir + ": expected a directory");
        }
    }

    private static Path createTemp(Path dir, String name, Set<PosixFilePermission> perms) throws IOException {
        for (int i = 0; ; i++) {
            Path temp = dir.resolve(tempName(name, i));
            try {
                // CREATE_NEW is O_CREAT|O_EXCL: it fails on anything already there, a planted link included
                Files.newByteChannel(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(perms)).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (i + 1 >= ATTEMPTS) throw e;
            }
        }
    }

    private static String tempName(String name, int attempt) {
        Function<String, String> first = firstTempName;
        if (attempt == 0 && first != null) return first.apply(name);
        byte[] r = new byte[8];
        RANDOM.nextBytes(r);
        return "." + name + "." + HexFormat.of().formatHex(r) + ".tmp";
    }

    /** A copy of {@code target} as {@code NAME.previous} (a link stays a link), made aside and renamed into place. */
    private static Path keepCopy(Path target) throws IOException {
        Path kept = target.resolveSibling(target.getFileName() + ".previous");
        Path dir = target.toAbsolutePath().getParent();
        for (int i = 0; ; i++) {
            Path temp = dir.resolve(tempName(target.getFileName() + ".previous", i));
            try {
                Files.copy(target, temp, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            } catch (FileAlreadyExistsException e) {
                if (i + 1 < ATTEMPTS) continue;
                throw e;
            }
            try {
                rename(temp, kept);
            } finally {
                Files.deleteIfExists(temp);
            }
            return kept;
        }
    }

    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static PosixFileAttributeView view(Path p) {
        return Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }
}
