package dev.kiban.cli;

import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import dev.kiban.failure.UnavailableException;
import dev.kiban.failure.UsageException;
import java.util.LinkedHashMap;
import java.util.Map;

/** kiban's exit codes, the same for every command and listed in every {@code --help}. */
final class ExitCode {
    static final int OK = 0;
    static final int FINDINGS = RefusedException.EXIT_CODE;
    /** A prompt answered no (or no --yes): nothing changed. Shares 1 with findings; the message tells them apart. */
    static final int DECLINED = DeclinedException.EXIT_CODE;
    static final int USAGE = UsageException.EXIT_CODE;
    static final int UNAVAILABLE = UnavailableException.EXIT_CODE;
    /** {@code plan --detailed-exitcode}: the host differs from the spec. Not 2, which is a usage error. */
    static final int CHANGES_PENDING = 4;
    /** A bug in kiban, as sysexits' EX_SOFTWARE: one line, the trace with --verbose. */
    static final int INTERNAL = 70;

    private ExitCode() {}

    static Map<String, String> help() {
        return help(false);
    }

    /** With {@code changesPending} for plan, whose --detailed-exitcode adds 4. */
    static Map<String, String> help(boolean changesPending) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(" 0", "OK");
        m.put(" 1", "findings or failed checks; refused, failed, or not confirmed (nothing changed)");
        m.put(" 2", "usage or spec error");
        m.put(" 3", "environment unavailable (no engine, no docker CLI, no access)");
        if (changesPending) m.put(" 4", "changes pending (plan --detailed-exitcode only)");
        m.put("70", "internal error in kiban (run again with --verbose for the trace)");
        return m;
    }
}
