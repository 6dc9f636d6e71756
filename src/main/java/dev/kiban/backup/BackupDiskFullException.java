package dev.kiban.backup;

import java.io.IOException;
import java.nio.file.Path;

/** The backup disk filled during a run: the run's data was removed again, the earlier snapshots are intact. */
public final class BackupDiskFullException extends IOException {
    public BackupDiskFullException(Path repository, Throwable cause) {
        super("the backup disk holding " + repository + " is full (" + free(repository)
                + " free): this run stopped and its partial data was "
                + "removed; earlier snapshots are intact. Free space (kiban backup prune, a shorter retention) or use "
                + "a larger disk.", cause);
    }

    private static String free(Path repository) {
        try {
            return dev.kiban.spec.ByteSize.ofBytes(java.nio.file.Files.getFileStore(repository).getUsableSpace())
                    .toString();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
