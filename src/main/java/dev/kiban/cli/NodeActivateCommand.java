package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.swarm.NodeDrain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "activate", mixinStandardHelpOptions = true,
        description = {"Make a drained or paused node active again (on a manager), so new tasks may be placed on it.",
                ""})
final class NodeActivateCommand extends EngineBoundCommand {
    @Parameters(index = "0", paramLabel = "NODE", description = "The node's hostname or id.")
    String node;

    NodeActivateCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (Engine engine = connect()) {
            new NodeDrain(engine, spec.commandLine().getOut()).activate(node);
            return ExitCode.OK;
        }
    }
}
