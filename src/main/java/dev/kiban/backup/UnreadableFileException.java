package dev.kiban.backup;

import java.io.IOException;

/**
 * A repository file that exists but cannot be read now (permission denied, an I/O error): not known to be
 * damaged, so repair and prune never move or replace it; fixing access or the disk brings it back.
 */
public final class UnreadableFileException extends IOException {
    public UnreadableFileException(String message) {
        super(message);
    }
}
