package dev.kiban.cli;

import java.io.PrintWriter;
import java.io.Writer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options of commands that print a report, and where their report, text and progress go. */
final class OutputOptions {
    @Option(names = "--json",
            description = "Print the report as one JSON document on stdout (for scripts and monitoring).")
    boolean json;

    /** Where the human text goes: stdout, or nowhere with --json (stdout then holds the JSON document alone). */
    PrintWriter text(CommandSpec spec) {
        return json ? nowhere() : spec.commandLine().getOut();
    }

    /**
     * Where lines that must be seen but are not the report go (a question and what it is about, what a failure
     * left behind): stdout, or stderr with --json so the JSON document stays whole.
     */
    PrintWriter notices(CommandSpec spec) {
        return json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    /**
     * Lines that show long work under way: on stderr when a terminal is attached, never with --json and never
     * in a pipe or a log, where they would only be noise between reports.
     */
    PrintWriter progress(KibanContext context, CommandSpec spec) {
        return context.terminal() && !json ? spec.commandLine().getErr() : nowhere();
    }

    /** Prints {@code report} as the command's one JSON document. */
    static void print(CommandSpec spec, Object report) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(StructuredOutput.json(report));
        out.flush();
    }

    static PrintWriter nowhere() {
        return new PrintWriter(Writer.nullWriter());
    }
}
