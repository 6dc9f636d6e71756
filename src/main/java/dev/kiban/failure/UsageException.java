package dev.kiban.failure;

/** The command line asks for something kiban cannot do as written: a bad value, a missing --force. Exit 2. */
public final class UsageException extends KibanException {
    public static final int EXIT_CODE = 2;

    public UsageException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return EXIT_CODE;
    }
}
