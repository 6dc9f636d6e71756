package dev.kiban.failure;

/**
 * The spec or another input the operator named cannot be used as it stands. Exit 2, as a usage error.
 * Non-sealed so that the spec and backup layers give their own, richer kinds.
 */
public non-sealed class SpecProblem extends KibanException {
    public static final int EXIT_CODE = 2;

    public SpecProblem(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return EXIT_CODE;
    }
}
