package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "stack", mixinStandardHelpOptions = true,
        header = "Lint, deploy and remove compose stacks.",
        subcommands = {StackLintCommand.class, StackDeployCommand.class, StackLsCommand.class, StackPsCommand.class,
                StackRmCommand.class},
        description = {"Compose stacks on the swarm, checked against the spec before they run (R8.2).", ""})
final class StackCommand extends CommandGroup {
}
