package dev.kiban.verify;

/** A check's verdict with what it saw (evidence) and, for a failure or a skip, why. */
public record CheckResult(String id, String group, String requirement, String title, Verdict verdict, String evidence,
        long millis) {

    public enum Verdict { PASS, FAIL, SKIP }

    public boolean failed() {
        return verdict == Verdict.FAIL;
    }
}
