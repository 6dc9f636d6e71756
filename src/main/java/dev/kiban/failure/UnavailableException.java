package dev.kiban.failure;

/**
 * Something kiban needs from the environment is not there: no engine answering, no docker CLI, no
 * access. Exit 3. Non-sealed so that the engine layer says where it looked.
 */
public non-sealed class UnavailableException extends KibanException {
    public static final int EXIT_CODE = 3;

    public UnavailableException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return EXIT_CODE;
    }
}
