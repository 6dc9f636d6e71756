package dev.kiban.backup;

import dev.kiban.failure.UnavailableException;

/**
 * A remote copy target cannot be used: unreachable, an unknown or changed host key, a refused login, a lock of
 * another copy, a lost connection (exit 3). The message names the target and what to do; it never holds a key,
 * a secret access key or a server's reply that could quote one.
 */
public final class CopyTargetUnavailableException extends UnavailableException {
    public CopyTargetUnavailableException(String message) {
        super(message);
    }
}
