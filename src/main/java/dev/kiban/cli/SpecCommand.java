package dev.kiban.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "spec", mixinStandardHelpOptions = true,
        subcommands = {SpecInitCommand.class, SpecValidateCommand.class, SpecShowCommand.class},
        description = {"Write, check and print the platform spec (kiban.yaml).", ""})
final class SpecCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: say which exist (exit 2), as for any other usage error. */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
    }
}
