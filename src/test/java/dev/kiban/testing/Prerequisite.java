package dev.kiban.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * The one test policy for what a test needs from the machine (an engine, a program, root, an engine
 * outside any swarm): missing under CI ({@code CI=true}) it fails the test, since a green run must mean
 * the test ran; missing on a developer's machine it skips the test with the reason.
 */
public final class Prerequisite {
    private Prerequisite() {}

    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** Fails (CI) or skips (elsewhere) the current test with {@code reason}; never returns. */
    public static void missing(String reason) {
        if (inCi()) throw new IllegalStateException(reason);
        Assumptions.abort(reason);
    }

    /** {@link #missing} unless {@code present}. */
    public static void require(boolean present, String reason) {
        if (!present) missing(reason);
    }
}
