package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.host.Tool;
import dev.kiban.stack.DockerCli;
import dev.kiban.stack.StackRollout;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Remove a stack's services and networks. Its volumes are never removed: they hold the data (D9).", ""})
final class StackRmCommand implements Callable<Integer> {
    private final KibanContext context;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = {"-y", "--yes"}, description = "Remove without asking.")
    boolean yes;

    @Mixin
    EngineOptions engineOptions;

    StackRmCommand(KibanContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        EngineAddress address = EngineAddress.choose(engineOptions.host, context.environment());
        try (Engine engine = context.engines().apply(address)) {
            int services = engine.services(Map.of(StackRollout.NAMESPACE_LABEL, name)).size();
            if (services == 0) {
                spec.commandLine().getErr().println("kiban: no stack " + name);
                return ExitCode.FINDINGS;
            }
            if (!yes) {
                spec.commandLine().getErr().println("kiban: would remove " + services + " service(s) of " + name + " (volumes stay); run again with --yes");
                return ExitCode.USAGE;
            }
            Tool.Result r = DockerCli.find(address).remove(name);
            if (!r.ok()) {
                spec.commandLine().getErr().println("kiban: docker stack rm failed: " + r.gist());
                return ExitCode.FINDINGS;
            }
            spec.commandLine().getOut().println("removed " + name + " (" + services + " services); its volumes are kept (D9)");
            return ExitCode.OK;
        }
    }
}
