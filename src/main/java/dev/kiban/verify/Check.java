package dev.kiban.verify;

/**
 * One check of the design's test strategy (R11). A check returns its verdict and evidence; it never
 * throws for a failing platform (that is a FAIL with the reason), and it removes what it created.
 */
public interface Check {
    String id();

    /** unit (R11.1: is each part there and working) or integration (R11.2: do the parts work together). */
    String group();

    String requirement();

    String title();

    Outcome run(CheckContext context) throws Exception;

    record Outcome(CheckResult.Verdict verdict, String evidence) {
        public static Outcome pass(String evidence) {
            return new Outcome(CheckResult.Verdict.PASS, evidence);
        }

        public static Outcome fail(String evidence) {
            return new Outcome(CheckResult.Verdict.FAIL, evidence);
        }

        public static Outcome skip(String reason) {
            return new Outcome(CheckResult.Verdict.SKIP, reason);
        }
    }
}
