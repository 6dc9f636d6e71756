package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.NetworkSummary;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.SwarmSettings;
import dev.kiban.failure.KibanException;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.swarm.ClusterNodes;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"The swarm: every node (role, reachability, availability, state, engine version, labels, "
                + "running tasks), the quorum and how many manager failures it tolerates, the drift from "
                + "swarm.nodes, the default address pool, and every network with its subnets. On a worker: what a "
                + "worker knows.",
                "Exit 1 when the nodes differ from the spec or the quorum is lost.", ""})
final class SwarmStatusCommand extends EngineBoundCommand {
    @Mixin
    OutputOptions output;

    SwarmStatusCommand(KibanContext context) {
        super(context);
    }

    /** One node as the status shows it. */
    record NodeRow(String hostname, String id, String role, String reachability, boolean leader, String availability,
                   String state, String address, String engineVersion, Map<String, String> labels, long runningTasks) {}

    @Override
    public Integer call() {
        Optional<PlatformSpec> declared = declaredSpec();
        try (Engine engine = connect()) {
            SwarmSettings swarm = engine.swarm();
            List<NodeSummary> nodes = swarm.manager() ? engine.nodes() : List.of();
            List<NodeRow> rows = nodes.stream().map(n -> new NodeRow(n.hostname(), n.id(), n.role(), n.reachability(),
                    n.leader(), n.availability(), n.state(), n.address(), n.engineVersion(), new TreeMap<>(n.labels()),
                    engine.nodeTasks(n.id()).stream().filter(t -> t.running()).count())).toList();
            Optional<ClusterNodes.Plan> plan = swarm.manager() ? declared.map(s -> ClusterNodes.plan(s, nodes))
                    : Optional.empty();
            List<String> drift = plan.map(p -> {
                List<String> all = new java.util.ArrayList<>(p.drift());
                p.updates().forEach(u -> all.add(u.describe() + " ('kiban swarm apply')"));
                all.addAll(p.refusals());
                return all;
            }).orElse(List.of());
            ClusterNodes.Quorum quorum = ClusterNodes.Quorum.of(nodes);
            List<NetworkSummary> networks = engine.networks();
            PrintWriter out = spec.commandLine().getOut();
            boolean bad = !drift.isEmpty() || (swarm.manager() && !quorum.held());
            if (output.json) {
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("swarm", swarm);
                report.put("nodes", rows);
                if (swarm.manager()) {
                    report.put("quorum", Map.of("managers", quorum.managers(), "reachable", quorum.reachable(),
                            "tolerates", quorum.tolerates(), "held", quorum.held()));
                }
                report.put("drift", drift);
                report.put("networks", networks);
                out.println(StructuredOutput.json(report));
                return bad ? ExitCode.FINDINGS : ExitCode.OK;
            }
            out.printf("Swarm        %s%s%n", swarm.state(), swarm.active()
                    ? (swarm.manager() ? " (this node is a manager)" : " (this node is a worker; managers "
                    + String.join(", ", swarm.remoteManagers()) + ")") : "");
            if (swarm.manager()) {
                out.printf("Address pool %s, /%d subnets, VXLAN port %d%n", swarm.defaultAddrPool(), swarm.subnetSize(),
                        swarm.dataPathPort());
                out.printf("Quorum       %s%n", quorum.describe());
                out.printf("Nodes        %d%n", nodes.size());
                out.printf("  %-16s %-8s %-12s %-8s %-8s %-15s %-8s %5s  %s%n", "NAME", "ROLE", "REACHABILITY",
                        "AVAIL", "STATE", "ADDRESS", "ENGINE", "TASKS", "LABELS");
                for (NodeRow n : rows) {
                    out.printf("  %-16s %-8s %-12s %-8s %-8s %-15s %-8s %5d  %s%n", n.hostname(), n.role(),
                            n.reachability().isEmpty() ? "-" : n.reachability() + (n.leader() ? "*" : ""),
                            n.availability(), n.state(), n.address(), n.engineVersion(), n.runningTasks(),
                            n.labels().isEmpty() ? "-" : n.labels().toString());
                }
                if (declared.isEmpty()) out.println("Drift        not checked: no spec");
                else if (drift.isEmpty()) out.println("Drift        none: the nodes are as swarm.nodes says");
                else drift.forEach(d -> out.println("drift: " + d));
            }
            out.println("Networks");
            for (NetworkSummary n : networks) {
                out.printf("  %-20s %-8s %-6s %s%s%n", n.name(), n.driver(), n.scope(), String.join(", ", n.subnets()),
                        n.ingress() ? "  (ingress)" : "");
            }
            return bad ? ExitCode.FINDINGS : ExitCode.OK;
        }
    }

    /** The spec, when one can be read: status still shows the swarm without one. */
    private Optional<PlatformSpec> declaredSpec() {
        try {
            return SpecLoading.spec(spec).spec();
        } catch (KibanException e) {
            return Optional.empty();
        }
    }
}
