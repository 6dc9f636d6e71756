package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.swarm.ClusterNodes;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {
            "On a manager: make the swarm's nodes as swarm.nodes says: promote and demote (promotions first; never a "
                    + "demotion that would cost the quorum), labels (exactly the spec's) and availability (R8.3).",
            "Nodes the spec lists that have not joined, and nodes it does not list, are drift: reported (exit 1), "
                    + "never removed. Says how many manager failures the swarm tolerates afterwards.",
            ""})
final class SwarmApplyCommand extends EngineBoundCommand {
    @Option(names = {"-y", "--yes"}, description = "Change the nodes without asking.")
    boolean yes;

    SwarmApplyCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws java.io.IOException {
        PlatformSpec spec = SpecLoading.spec(this.spec).require();
        PrintWriter out = this.spec.commandLine().getOut();
        try (Engine engine = connect()) {
            if (!engine.swarm().manager()) {
                throw new RefusedException("this node is not a swarm manager (state: " + engine.swarm().state()
                        + "); run 'kiban swarm apply' on a manager");
            }
            ClusterNodes.Plan plan = ClusterNodes.plan(spec, engine.nodes());
            plan.drift().forEach(d -> out.println("drift: " + d));
            if (!plan.refusals().isEmpty()) throw new RefusedException("not changing the nodes:", plan.refusals());
            if (plan.updates().isEmpty()) {
                out.println((plan.drift().isEmpty() ? "the nodes are as the spec says" : "nothing kiban can change")
                        + "; " + plan.quorum().describe());
                return plan.drift().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
            }
            if (!yes) {
                plan.updates().forEach(u -> out.println("would " + u.describe()));
                out.println("afterwards: " + plan.quorum().describe());
                throw new DeclinedException("nodes not changed: run again with --yes");
            }
            for (ClusterNodes.Update u : plan.updates()) {
                out.println(u.describe());
                out.flush();
                engine.updateNode(u.node(), u.change());
            }
            // a promoted node takes a few seconds to join the Raft: the quorum is told once it has
            java.util.List<String> promoted = plan.updates().stream().filter(u -> !u.node().manager()
                    && "manager".equals(u.change().role())).map(u -> u.node().id()).toList();
            try {
                dev.kiban.os.Wait.until(() -> engine.nodes().stream().filter(n -> promoted.contains(n.id()))
                        .allMatch(dev.kiban.engine.NodeSummary::healthy), java.time.Duration.ofSeconds(30),
                        "the promoted managers to be reachable");
            } catch (dev.kiban.os.Wait.TimedOut e) {
                out.println("note: " + e.getMessage());
            }
            out.println(ClusterNodes.Quorum.of(engine.nodes()).describe());
            return plan.drift().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
        }
    }
}
