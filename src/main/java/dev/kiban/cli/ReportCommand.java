package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "report", mixinStandardHelpOptions = true, header = "Reports on the platform (R6.1).",
        subcommands = {ReportDailyCommand.class}, description = {""})
final class ReportCommand extends CommandGroup {
}
