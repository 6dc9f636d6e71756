package dev.kiban.failure;

import java.util.List;

/**
 * An outcome that ends a command without doing what was asked, told to the operator in one sentence and
 * mapped to an exit code by its type alone. The message is for the operator: it names no Java class and
 * quotes no value that could be a secret. Anything else a command throws is an internal error.
 */
public abstract sealed class KibanException extends RuntimeException
        permits UsageException, SpecProblem, RefusedException, UnavailableException, DeclinedException {

    protected KibanException(String message) {
        super(message);
    }

    protected KibanException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The process exit code for this outcome. */
    public abstract int exitCode();

    /** Lines that go under the sentence (each problem, each failed file); none by default. */
    public List<String> details() {
        return List.of();
    }
}
