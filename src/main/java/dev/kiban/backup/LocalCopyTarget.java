package dev.kiban.backup;

import dev.kiban.os.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@link CopyTarget} on a local path (a second disk, a mounted share). Never follows a link: a target that
 * is a link, or holds one anywhere inside, is refused before anything is written; every directory is
 * checked again as it is written into. Files are written under a temporary name in their own directory,
 * flushed and renamed ({@link AtomicFile}); temporaries an interrupted copy left are removed under the lock.
 */
public final class LocalCopyTarget implements CopyTarget {
    private static final Pattern TEMP = Pattern.compile("\\..+\\.tmp");

    private final Path dir;
    private RepositoryLock lock;

    private LocalCopyTarget(Path dir) {
        this.dir = dir;
    }

    /**
     * The target at {@code dir}: an existing directory (not a link) or a new one whose parent exists.
     * Refuses, writing nothing, a link, a file, a missing parent, a link anywhere inside, or a directory
     * that is, holds or lies inside the {@code source} repository.
     */
    public static LocalCopyTarget open(Path dir, Path source) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(abs)) {
            throw new RepositoryUsageException("refusing to copy to " + dir + ": it is a symbolic link (to "
                    + Files.readSymbolicLink(abs) + "); kiban never follows a link at a copy's destination: give the "
                    + "real directory");
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new RepositoryUsageException("refusing to copy to " + dir + ": it is not a directory");
        }
        Path parent = abs.getParent();
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && (parent == null || !Files.isDirectory(parent))) {
            throw new IOException("the directory " + parent + " that would hold the copy " + dir
                    + " does not exist: is the disk mounted? (create it to start a copy there)");
        }
        Path real = Files.exists(abs, LinkOption.NOFOLLOW_LINKS) ? abs.toRealPath()
                : parent.toRealPath().resolve(abs.getFileName());
        Path from = source.toRealPath();
        if (real.startsWith(from) || from.startsWith(real)) {
            throw new RepositoryUsageException("refusing to copy " + source + " to " + dir
                    + ": one lies inside the other; give a directory on another disk");
        }
        LocalCopyTarget target = new LocalCopyTarget(real);
        target.refuseLinks();
        return target;
    }

    public Path dir() {
        return dir;
    }

    private void refuseLinks() throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(dir)) { // walk never follows links unless asked
            for (Path p : all.toList()) {
                if (Files.isSymbolicLink(p)) {
                    throw new RepositoryUsageException("refusing to copy to " + dir + ": it holds a symbolic link "
                            + dir.relativize(p) + "; kiban never follows a link inside a repository: remove it");
                }
            }
        }
    }

    @Override
    public String describe() {
        return dir.toString();
    }

    /** Every regular file, repository files and anything else, by its name relative to the target. */
    @Override
    public Map<String, Long> list() throws IOException {
        Map<String, Long> out = new TreeMap<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return out;
        refuseLinks();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String name = dir.relativize(p).toString();
                if (a.isRegularFile()) out.put(name, a.size());
            }
        }
        return out;
    }

    @Override
    public boolean exists(String name) throws IOException {
        return Files.exists(path(name), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public boolean putIfAbsent(String name, byte[] content) throws IOException {
        if (lock == null) throw new IllegalStateException("lock the target first");
        Path file = path(name);
        Path parent = file.getParent();
        // each directory on the way is made here and checked to be a real directory, never a link
        for (Path d = dir; ; ) {
            if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(d, PRIVATE);
            AtomicFile.requireRealDirectory(d);
            if (d.equals(parent)) break;
            d = d.resolve(parent.getName(d.getNameCount()));
        }
        if (exists(name)) return false;
        AtomicFile.write(file, content, "rw-------", false);
        return true;
    }

    @Override
    public void discard(String name) throws IOException {
        Files.deleteIfExists(path(name));
    }

    @Override
    public InputStream read(String name) throws IOException {
        return Files.newInputStream(path(name), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void lock() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(dir, PRIVATE);
        AtomicFile.requireRealDirectory(dir);
        lock = RepositoryLock.writer(dir, false);
        removeTemporaries();
        // the repository's one required directory, before its configuration makes it a repository
        Path snapshots = dir.resolve("snapshots");
        if (!Files.exists(snapshots, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(snapshots, PRIVATE);
        AtomicFile.requireRealDirectory(snapshots);
    }

    /** What an interrupted copy (or a killed run) left under a temporary name: never a file of the repository. */
    private void removeTemporaries() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        && TEMP.matcher(p.getFileName().toString()).matches()) {
                    Files.delete(p);
                }
            }
        }
    }

    private Path path(String name) {
        if (!CopyPlan.isRepositoryFile(name)) throw new IllegalArgumentException("not a repository file: " + name);
        return dir.resolve(name);
    }

    @Override
    public void close() throws IOException {
        if (lock != null) lock.close();
        lock = null;
    }

    private static final java.nio.file.attribute.FileAttribute<?> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
}
