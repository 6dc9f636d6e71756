package dev.kiban.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** kiban's exit codes, the same for every command and listed in every {@code --help}. */
final class ExitCode {
    static final int OK = 0;
    static final int FINDINGS = 1;
    static final int USAGE = 2;
    static final int UNAVAILABLE = 3;

    private ExitCode() {}

    static Map<String, String> help() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(" 0", "OK");
        m.put(" 1", "findings or failed checks");
        m.put(" 2", "usage or spec error");
        m.put(" 3", "environment unavailable (no engine, no access)");
        return m;
    }
}
