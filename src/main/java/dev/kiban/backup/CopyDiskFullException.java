package dev.kiban.backup;

import java.io.IOException;

/** The copy's destination filled: the copy stopped; what it holds is complete, consistent and simply older. */
public final class CopyDiskFullException extends IOException {
    public CopyDiskFullException(String target, Throwable cause) {
        super("the disk holding the copy " + target + " is full: the copy stopped; the files it sent are complete "
                + "and nothing refers to one it did not send, so the copy is sound and simply older. Free space or "
                + "use a larger disk, then run kiban backup copy again: it sends only what is still missing.", cause);
    }
}
