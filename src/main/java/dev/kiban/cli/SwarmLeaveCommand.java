package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "leave", mixinStandardHelpOptions = true,
        description = {
            "Take this host out of the swarm, as an operator does it: first 'kiban node drain NODE' on a manager, so "
                    + "its tasks move; then this; then 'kiban node rm NODE' on a manager and drop it from swarm.nodes.",
            "A manager is refused: demote it first (role: worker in swarm.nodes, 'kiban swarm apply'), so the quorum "
                    + "is decided by the managers that stay.",
            ""})
final class SwarmLeaveCommand extends EngineBoundCommand {
    @Option(names = {"-y", "--yes"}, description = "Leave without asking.")
    boolean yes;

    SwarmLeaveCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Engine engine = connect()) {
            var swarm = engine.swarm();
            if (!swarm.active()) {
                out.println("this host is not in a swarm (state: " + swarm.state() + "); nothing to do");
                return ExitCode.OK;
            }
            if (swarm.manager()) {
                throw new RefusedException("this node is a manager; demote it first (role: worker in swarm.nodes, "
                        + "then 'kiban swarm apply' on another manager)");
            }
            if (!yes) {
                out.println("would leave the swarm of " + swarm.remoteManagers() + "; this node's tasks stop here");
                throw new DeclinedException("not left; nothing changed: run again with --yes");
            }
            engine.leaveSwarm(false);
            out.println("left the swarm; on a manager, 'kiban node rm' removes this node once it shows down");
            return ExitCode.OK;
        }
    }
}
