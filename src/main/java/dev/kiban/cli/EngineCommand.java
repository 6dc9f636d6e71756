package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "engine", mixinStandardHelpOptions = true,
        header = "Install the Docker engine.", subcommands = {EngineInstallCommand.class},
        description = {"The Docker engine itself.", ""})
final class EngineCommand extends CommandGroup {
}
