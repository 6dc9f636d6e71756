package dev.kiban.failure;

import java.util.List;

/**
 * kiban would not or could not do what was asked and nothing is left half-done: a refusal, a step that
 * failed, nothing by that name. Exit 1, as findings.
 */
public final class RefusedException extends KibanException {
    public static final int EXIT_CODE = 1;
    private final transient List<String> details;

    public RefusedException(String message) {
        this(message, List.of());
    }

    public RefusedException(String message, List<String> details) {
        super(message);
        this.details = List.copyOf(details);
    }

    @Override
    public int exitCode() {
        return EXIT_CODE;
    }

    @Override
    public List<String> details() {
        return details;
    }
}
