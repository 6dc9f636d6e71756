package dev.kiban.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Kernel locks on {@code <repository>/kiban.lock} ({@link FileChannel#tryLock}): the kernel drops them
 * when the process dies, however it dies, so there is no stale lock to guess about. Two byte ranges:
 * byte 0 is held by the one writer (run, prune, repair); byte 1 is held exclusively by what removes
 * data (prune, repair) and shared by readers (list, show, verify, diff, restore), so a reader never
 * sees a pack vanish under it, and a run, which only adds, does not stop a restore.
 *
 * <p>The file is never deleted (deleting a lock file races with the next locker). A reader never
 * creates it: on a repository no writer of this release has touched yet, a reader takes no lock.
 * A repository of an earlier release may hold a pid file {@code lock}; it is ignored.
 */
public final class RepositoryLock implements AutoCloseable {
    static final String FILE = "kiban.lock";
    private static final long WRITER = 0;
    private static final long REMOVER = 1;

    private final FileChannel channel;
    private final List<FileLock> locks;

    private RepositoryLock(FileChannel channel, List<FileLock> locks) {
        this.channel = channel;
        this.locks = locks;
    }

    /** The writer's lock; {@code removes} also keeps readers out (prune, repair). Refused at once when held. */
    public static RepositoryLock writer(Path repository, boolean removes) throws IOException {
        Path file = repository.resolve(FILE);
        if (Files.isSymbolicLink(file)) throw new IOException("the lock file " + file
                + " is a symbolic link; kiban never follows a link inside a repository");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        List<FileLock> held = new ArrayList<>();
        try {
            held.add(take(ch, WRITER, false, repository, "a backup run, prune or repair is running"));
            if (removes) held.add(take(ch, REMOVER, false, repository, "a restore, verify or listing is reading it"));
            return new RepositoryLock(ch, held);
        } catch (IOException | RuntimeException e) {
            ch.close(); // releases what was taken
            throw e;
        }
    }

    /**
     * A reader's shared lock: refused while a prune or repair runs. No lock (and nothing created) when there is no lock
     * file.
     */
    public static RepositoryLock reader(Path repository) throws IOException {
        Path file = repository.resolve(FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return new RepositoryLock(null, List.of());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            return new RepositoryLock(ch, List.of(take(ch, REMOVER, true, repository, "a prune or repair is running")));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static FileLock take(FileChannel ch, long position, boolean shared, Path repository,
            String why) throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock(position, 1, shared);
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this process already (another command in the same JVM)
        }
        if (lock == null) throw new IOException("the repository " + repository + " is in use by another kiban (" + why
                + "); try again when it is done");
        return lock;
    }

    @Override
    public void close() throws IOException {
        if (channel == null) return;
        for (FileLock l : locks) {
            if (l.isValid()) l.release();
        }
        channel.close();
    }
}
