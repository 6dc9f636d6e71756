package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.host.Tool;
import dev.kiban.stack.DockerCli;
import dev.kiban.stack.StackRollout;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Remove a stack's services and networks. Its volumes are never removed: they hold the data (D9).", ""})
final class StackRmCommand extends EngineCommandBase {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = {"-y", "--yes"}, description = "Remove without asking.")
    boolean yes;

    StackRmCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        EngineAddress address = address();
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
