package dev.kiban.failure;

/**
 * The operator did not confirm (answered no, had no terminal, or left out --yes): nothing changed. Not a
 * usage error; exit 1, and the message says nothing changed.
 */
public final class DeclinedException extends KibanException {
    public static final int EXIT_CODE = 1;

    public DeclinedException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return EXIT_CODE;
    }
}
