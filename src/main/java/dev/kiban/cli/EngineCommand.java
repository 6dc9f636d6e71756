package dev.kiban.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "engine", mixinStandardHelpOptions = true, subcommands = {EngineInstallCommand.class},
        description = {"The Docker engine itself.", ""})
final class EngineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
    }
}
