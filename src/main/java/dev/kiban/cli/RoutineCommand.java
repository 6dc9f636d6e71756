package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "routine", mixinStandardHelpOptions = true,
        header = "The weekly routine's log lines (image clean-up, backup read-back, engine update, off-site copy).",
        subcommands = {RoutineRecordCommand.class},
        description = {"kiban apply installs a timer for each job of the weekly routine (R9.1); each job's service "
                + "records how its run ended in the job's log under maintenance.logs, where 'kiban status' and the "
                + "monitor read it.", ""})
final class RoutineCommand extends CommandGroup {
}
