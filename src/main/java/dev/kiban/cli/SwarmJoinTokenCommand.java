package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.SwarmSettings;
import dev.kiban.failure.RefusedException;
import picocli.CommandLine.Command;

@Command(name = "join-token", mixinStandardHelpOptions = true,
        description = {"Print the command a new worker runs to join this swarm. It holds a secret: do not log it "
                + "(R8.3).", ""})
final class SwarmJoinTokenCommand extends EngineBoundCommand {
    SwarmJoinTokenCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (Engine engine = connect()) {
            SwarmSettings swarm = engine.swarm();
            if (!swarm.manager()) {
                throw new RefusedException("this node is not a swarm manager (state: " + swarm.state()
                        + "); run 'kiban swarm init' first");
            }
            spec.commandLine().getOut().println("docker swarm join --token " + engine.workerJoinToken() + " "
                    + swarm.nodeAddress() + ":2377");
            return ExitCode.OK;
        }
    }
}
