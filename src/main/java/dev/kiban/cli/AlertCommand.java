package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "alert", mixinStandardHelpOptions = true, header = "See, silence and test the monitor's alerts (R6).",
        subcommands = {AlertLsCommand.class, AlertSilenceCommand.class, AlertUnsilenceCommand.class,
                AlertTestCommand.class},
        description = {"These read and write the agent's state directory (monitor.state); the running agent picks "
                + "changes up at its next sweep.", ""})
final class AlertCommand extends CommandGroup {
}
