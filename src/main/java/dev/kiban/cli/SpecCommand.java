package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "spec", mixinStandardHelpOptions = true,
        header = "Write, check and print the spec (kiban.yaml).",
        subcommands = {SpecInitCommand.class, SpecValidateCommand.class, SpecShowCommand.class},
        description = {"Write, check and print the platform spec (kiban.yaml).", ""})
final class SpecCommand extends CommandGroup {
}
