package dev.kiban.cli;

import picocli.CommandLine.Option;

/** Options of commands that print a report. */
final class OutputOptions {
    @Option(names = "--json", description = "Print the report as JSON (for scripts and monitoring).")
    boolean json;
}
