package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.NetworkSummary;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.SwarmSettings;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"The swarm: nodes and managers, the default address pool, and every network with its subnets.",
                ""})
final class SwarmStatusCommand extends EngineBoundCommand {
    @Mixin
    OutputOptions output;

    SwarmStatusCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (Engine engine = connect()) {
            SwarmSettings swarm = engine.swarm();
            List<NodeSummary> nodes = swarm.manager() ? engine.nodes() : List.of();
            List<NetworkSummary> networks = engine.networks();
            PrintWriter out = spec.commandLine().getOut();
            if (output.json) {
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("swarm", swarm);
                report.put("nodes", nodes);
                report.put("networks", networks);
                out.println(StructuredOutput.json(report));
                return ExitCode.OK;
            }
            out.printf("Swarm        %s%s%n", swarm.state(), swarm.active()
                    ? (swarm.manager() ? " (this node is a manager)" : " (this node is a worker)") : "");
            if (swarm.manager()) {
                out.printf("Address pool %s, /%d subnets, VXLAN port %d%n", swarm.defaultAddrPool(), swarm.subnetSize(),
                        swarm.dataPathPort());
                out.printf("Nodes        %d (%d managers)%n", nodes.size(),
                        nodes.stream().filter(n -> n.role().equals("manager")).count());
                for (NodeSummary n : nodes) {
                    out.printf("  %-20s %-8s %-7s %-6s %s%s%n", n.hostname(), n.role(), n.availability(), n.state(),
                            n.address(), n.leader() ? "  leader" : "");
                }
            }
            out.println("Networks");
            for (NetworkSummary n : networks) {
                out.printf("  %-20s %-8s %-6s %s%s%n", n.name(), n.driver(), n.scope(), String.join(", ", n.subnets()),
                        n.ingress() ? "  (ingress)" : "");
            }
            return ExitCode.OK;
        }
    }
}
