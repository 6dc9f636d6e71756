package dev.kiban.dashboard;

import dev.kiban.os.Failures;

/** Small pieces the pages share. */
final class Pages {
    private Pages() {}

    static String dt(String term, String text) {
        return "<dt>" + Html.escape(term) + "</dt><dd>" + Html.escape(text) + "</dd>";
    }

    /** Why something failed, in words (no class name, and escaped where it is shown). */
    static String reason(Throwable e) {
        return Failures.describe(e);
    }
}
