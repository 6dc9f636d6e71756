package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.engine.SwarmSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "join-token", mixinStandardHelpOptions = true,
        description = {"Print the command a new worker runs to join this swarm (R8.3). It holds a secret: do not log it.", ""})
final class SwarmJoinTokenCommand implements Callable<Integer> {
    private final KibanContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions engineOptions;

    SwarmJoinTokenCommand(KibanContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try (Engine engine = context.engines().apply(EngineAddress.choose(engineOptions.host, context.environment()))) {
            SwarmSettings swarm = engine.swarm();
            if (!swarm.manager()) {
                spec.commandLine().getErr().println("kiban: this node is not a swarm manager (state: " + swarm.state() + "); run 'kiban swarm init' first");
                return ExitCode.FINDINGS;
            }
            spec.commandLine().getOut().println("docker swarm join --token " + engine.workerJoinToken() + " " + swarm.nodeAddress() + ":2377");
            return ExitCode.OK;
        }
    }
}
