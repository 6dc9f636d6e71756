package dev.kiban.audit;

/**
 * A check's verdict. FAIL, EXPIRED (a waiver past its date) and ERROR (the facts it needs could not be
 * read) fail the audit at or above the severity asked for; WARN is a finding kiban cannot judge for
 * certain (shown, and a JUnit failure, but it does not set the exit code); INFO is a deviation the design
 * requires, with the reason; MANUAL is for a person to look at; WAIVED is accepted by the spec.
 */
public enum Status {
    PASS, FAIL, WARN, INFO, MANUAL, WAIVED, EXPIRED, ERROR;

    /** Whether this verdict fails the audit (when the check's severity is high enough). */
    public boolean failing() {
        return this == FAIL || this == EXPIRED || this == ERROR;
    }
}
