package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.NodeSummary;
import dev.kiban.failure.RefusedException;
import dev.kiban.swarm.NodeDrain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Remove a node that has left the swarm or is down for good (on a manager). A node that is "
                + "still up is refused: run 'kiban swarm leave' on it first. A manager is refused: demote it first.",
                ""})
final class NodeRmCommand extends EngineBoundCommand {
    @Parameters(index = "0", paramLabel = "NODE", description = "The node's hostname or id.")
    String node;

    NodeRmCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (Engine engine = connect()) {
            NodeSummary n = new NodeDrain(engine, spec.commandLine().getOut()).node(node);
            if (n.manager()) throw new RefusedException(n.hostname() + " is a manager; demote it first");
            if (!"down".equals(n.state())) {
                throw new RefusedException(n.hostname() + " is " + n.state() + "; run 'kiban swarm leave' on it first");
            }
            engine.removeNode(n.id(), false);
            spec.commandLine().getOut().println("removed " + n.hostname() + " (" + n.id() + ") from the swarm");
            return ExitCode.OK;
        }
    }
}
