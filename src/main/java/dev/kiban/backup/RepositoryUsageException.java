package dev.kiban.backup;

import dev.kiban.spec.SpecException;

/**
 * The operator pointed kiban at the wrong thing: a path that is not a repository, a key file others
 * can read, a snapshot id that does not exist. A usage mistake (exit 2), not damage (exit 1); hence a
 * {@link SpecException}, which every command already reports as one.
 */
public final class RepositoryUsageException extends SpecException {
    public RepositoryUsageException(String message) {
        super(message);
    }
}
