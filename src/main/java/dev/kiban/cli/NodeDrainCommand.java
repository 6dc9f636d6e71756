package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.swarm.NodeDrain;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "drain", mixinStandardHelpOptions = true,
        description = {"Drain a node (on a manager) and wait until its tasks run on other nodes; when they cannot, "
                + "say why, with the engine's reason for each task left pending (exit 1; the node stays drained).", ""})
final class NodeDrainCommand extends EngineBoundCommand {
    @Parameters(index = "0", paramLabel = "NODE", description = "The node's hostname or id.")
    String node;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for the tasks to move. Default: 2m.")
    Duration timeout = Duration.ofMinutes(2);

    NodeDrainCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        try (Engine engine = connect()) {
            new NodeDrain(engine, spec.commandLine().getOut()).drain(node, timeout);
            return ExitCode.OK;
        }
    }
}
