package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        header = "Plan the move of the stacks to a cloud: ECS on Fargate (R10).",
        subcommands = {MigrateEcsCommand.class},
        description = {"The AWS migration path of the design (R10): compose stacks as ECS task definitions, services"
                + " and the Terraform around them, with a report of every key.", ""})
final class MigrateCommand extends CommandGroup {
}
