package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.failure.UnavailableException;
import dev.kiban.failure.UsageException;
import dev.kiban.os.Wait;
import dev.kiban.swarm.NodeDrain;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "activate", mixinStandardHelpOptions = true,
        description = {"Make a drained or paused node active again (on a manager), so new tasks may be placed on it. "
                + "--self --wait DURATION is the engine-update window's last step: wait for the restarted engine "
                + "to answer (and rejoin its swarm), then activate this host's node; if it does not answer in time "
                + "the node stays drained (exit 3).", ""})
final class NodeActivateCommand extends EngineBoundCommand {
    private static final Duration PAUSE = Duration.ofSeconds(2);

    @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "The node's hostname or id.")
    String node;

    @Option(names = "--self", description = "This host's node (nothing to do outside a swarm, as its only node, or "
            + "on a worker, which cannot set its own availability).")
    boolean self;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wait this long for the engine to answer and its swarm to be active first (after a "
                    + "restart). Default: do not wait.")
    Duration wait;

    NodeActivateCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        if (self == (node != null)) throw new UsageException("name a NODE or give --self (not both)");
        try (Engine engine = wait == null ? connect() : answering(wait)) {
            NodeDrain drain = new NodeDrain(engine, spec.commandLine().getOut());
            if (self) {
                drain.activateSelf(engine.info().swarm());
            } else {
                drain.activate(node);
            }
            return ExitCode.OK;
        }
    }

    /**
     * The engine once it answers and its swarm membership has settled (a restarted manager is "pending" a moment):
     * a node is activated only through an engine that answers, so one that does not stays drained.
     */
    private Engine answering(Duration timeout) throws IOException {
        try {
            return Wait.until(() -> {
                Engine engine;
                try {
                    engine = connect();
                } catch (EngineUnavailableException e) {
                    return Optional.empty();
                }
                String state = engine.info().swarm().state();
                if (state.equals("active") || state.equals("inactive")) return Optional.of(engine);
                engine.close();
                return Optional.empty();
            }, timeout, PAUSE, "the engine");
        } catch (Wait.TimedOut e) {
            throw new UnavailableException("the engine does not answer (or its swarm is not active) after "
                    + timeout.toSeconds() + " s: this node stays drained, so that no task is placed on it; "
                    + "'kiban node activate --self' once 'docker info' answers");
        }
    }
}
