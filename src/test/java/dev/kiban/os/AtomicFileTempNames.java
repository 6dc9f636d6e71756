package dev.kiban.os;

import java.util.function.Function;

/** For tests outside this package: make AtomicFile try a known temporary name first (to plant something there). */
public final class AtomicFileTempNames {
    private AtomicFileTempNames() {}

    /** Until closed, the first temporary name tried for a file NAME is {@code name.apply(NAME)}. */
    public static AutoCloseable firstTry(Function<String, String> name) {
        AtomicFile.firstTempName = name;
        return () -> AtomicFile.firstTempName = null;
    }
}
