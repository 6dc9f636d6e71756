package dev.kiban.backup;

import java.io.IOException;

/** The copy's destination filled: the copy stopped; what it holds is complete, consistent and simply older. */
public final class CopyDiskFullException extends IOException {
    public CopyDiskFullException(String target, Throwable cause) {
        this(target, "the disk holding the copy " + target + " is full", cause);
    }

    /** A target that cannot say "full" for sure (SFTP 3, S3) gives its own {@code reason}. */
    public CopyDiskFullException(String target, String reason, Throwable cause) {
        super(reason + ": the copy stopped; the files it sent are complete "
                + "and nothing refers to one it did not send, so the copy is sound and simply older. Free space or "
                + "use a larger disk, then run kiban backup copy again: it sends only what is still missing.", cause);
    }
}
