package dev.kiban.host;

import java.util.List;

/**
 * A command apply runs on the host after the files are in place, and the file change that calls for
 * it (empty: it runs whenever anything changed). {@code whenItFails} is empty for a command whose failure fails
 * apply (and rolls it back); else what apply says, as a warning, when this one fails and apply goes on.
 */
public record PlannedCommand(List<String> argv, String why, List<String> after, String whenItFails) {
    public PlannedCommand(List<String> argv, String why, List<String> after) {
        this(argv, why, after, "");
    }

    public static PlannedCommand of(String why, List<String> after, String... argv) {
        return new PlannedCommand(List.of(argv), why, after);
    }

    /** The same command, whose failure is a warning saying {@code what} rather than a failed apply. */
    public PlannedCommand mayFail(String what) {
        return new PlannedCommand(argv, why, after, what);
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
