package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.failure.UsageException;
import dev.kiban.swarm.NodeDrain;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "drain", mixinStandardHelpOptions = true,
        description = {"Drain a node (on a manager) and wait until its tasks run on other nodes; when they cannot, "
                + "say why, with the engine's reason for each task left pending (exit 1; the node stays drained). "
                + "--self drains this host's node, as the engine-update window does.", ""})
final class NodeDrainCommand extends EngineBoundCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "The node's hostname or id.")
    String node;

    @Option(names = "--self", description = "This host's node, as the engine-update window drains it: outside a "
            + "swarm, as its only node, or on a worker (which cannot drain itself) it drains nothing and says why.")
    boolean self;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for the tasks to move. Default: 2m.")
    Duration timeout = Duration.ofMinutes(2);

    NodeDrainCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        if (self == (node != null)) throw new UsageException("name a NODE or give --self (not both)");
        try (Engine engine = connect()) {
            NodeDrain drain = new NodeDrain(engine, spec.commandLine().getOut());
            if (!self) {
                drain.drain(node, timeout);
                return ExitCode.OK;
            }
            var why = NodeDrain.nothingToDrain(engine.info().swarm());
            if (why.isPresent()) {
                spec.commandLine().getOut().println(why.get());
                return ExitCode.OK;
            }
            drain.drainSelf(timeout);
            return ExitCode.OK;
        }
    }
}
