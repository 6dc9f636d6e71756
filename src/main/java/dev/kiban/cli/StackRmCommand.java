package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import dev.kiban.os.HostPrograms;
import dev.kiban.stack.DockerCli;
import dev.kiban.stack.StackRollout;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Remove a stack's services and networks. Its volumes are never removed: they hold the data "
                + "(D9).", ""})
final class StackRmCommand extends EngineBoundCommand {
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
            if (services == 0) throw new RefusedException("no stack " + name);
            if (!yes) {
                throw new DeclinedException("would remove " + services + " service(s) of " + name
                        + " (volumes stay); nothing changed: run again with --yes");
            }
            HostPrograms.Result r = DockerCli.find(context.programs(), address).remove(name);
            if (!r.ok()) throw new RefusedException("docker stack rm failed: " + r.gist());
            spec.commandLine().getOut().println("removed " + name + " (" + services
                    + " services); its volumes are kept (D9)");
            return ExitCode.OK;
        }
    }
}
