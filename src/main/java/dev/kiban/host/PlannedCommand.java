package dev.kiban.host;

import java.util.List;

/**
 * A command apply runs on the host after the files are in place, and the file change that calls for
 * it (empty: it runs whenever anything changed).
 */
public record PlannedCommand(List<String> argv, String why, List<String> after) {
    public static PlannedCommand of(String why, List<String> after, String... argv) {
        return new PlannedCommand(List.of(argv), why, after);
    }

    /** The program this command starts (its first word), for checking it exists before anything is written. */
    public String program() {
        return argv.isEmpty() ? "" : argv.get(0);
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
