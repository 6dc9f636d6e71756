package dev.kiban.swarm;

import dev.kiban.engine.NetworkSummary;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.NodeRole;
import dev.kiban.spec.PlatformSpec.SwarmNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans {@code kiban swarm join}: this host, as {@code swarm.nodes} declares it, joined to the managers the
 * spec lists, with docker_gwbridge on the spec's subnet first (D2). Pure: the token is not part of the plan, so
 * a plan can be printed; it is read when the plan is carried out.
 */
public final class SwarmJoinPlan {
    private SwarmJoinPlan() {}

    /** {@code node} is the spec's entry for this host once found; {@code joined} when there is nothing to do. */
    public record Plan(Optional<SwarmNode> node, List<SwarmStep> steps, List<String> refusals, boolean joined) {}

    /**
     * @param hostname the name this host goes by in {@code swarm.nodes} (its hostname, or --node)
     * @param managerToken whether {@code swarm.managerJoinToken} is given, so a manager can join as one
     */
    public static Plan plan(PlatformSpec spec, String hostname, SwarmObservation now, boolean managerToken) {
        var s = spec.swarm();
        List<String> refusals = new ArrayList<>();
        if (!s.enabled()) return refused("swarm.enabled is false in the spec");
        if (s.nodes().isEmpty()) {
            return refused("swarm.nodes is empty: list every node (name, address, role) in the spec, this one too");
        }
        Optional<SwarmNode> found = s.node(hostname);
        if (found.isEmpty()) {
            return refused("swarm.nodes has no node named " + dev.kiban.spec.SpecText.shown(hostname) + " (it lists "
                    + String.join(", ", s.nodes().stream().map(SwarmNode::name).toList())
                    + "); add this host or name its entry with --node");
        }
        SwarmNode node = found.get();
        List<String> managers = s.nodes().stream()
                .filter(n -> n.role() == NodeRole.MANAGER && !n.name().equals(node.name()))
                .map(n -> n.address().address() + ":2377").toList();
        if (managers.isEmpty()) {
            return refused("swarm.nodes lists no other manager for " + node.name() + " to join; on the first "
                    + "manager run 'kiban swarm init'");
        }
        switch (now.swarm().state()) {
            case "active" -> {
                boolean ours = now.swarm().remoteManagers().stream().anyMatch(managers::contains)
                        || now.swarm().remoteManagers().stream().anyMatch(a -> managers.contains(a + ":2377"));
                if (ours && now.swarm().nodeAddress().equals(node.address().address())) {
                    return new Plan(found, List.of(), List.of(), true);
                }
                return new Plan(found, List.of(), List.of("this engine is already a node of a swarm whose managers are "
                        + now.swarm().remoteManagers() + " and advertises " + now.swarm().nodeAddress() + "; the spec "
                        + "says " + node.address() + " joined to " + managers + ": leave that swarm first "
                        + "('docker swarm leave')"), false);
            }
            case "inactive" -> { }
            default -> {
                return refused("the node's Swarm state is " + now.swarm().state()
                        + (now.swarm().error().isEmpty() ? "" : " (" + now.swarm().error() + ")")
                        + "; resolve it with 'docker info' before joining");
            }
        }
        if (now.liveRestore()) {
            refusals.add("the engine runs with live-restore, which Swarm mode refuses; set engine.liveRestore to auto "
                    + "and run 'kiban apply' (D1)");
        }
        if (s.joinToken().isEmpty() && !(node.role() == NodeRole.MANAGER && managerToken)) {
            refusals.add("swarm.joinToken is not set: give file:/path (a file holding what 'kiban swarm join-token' "
                    + "prints on a manager) or env:NAME");
        }
        refusals.addAll(SwarmSetup.overlapsWithTheHost(spec, now));
        List<SwarmStep> steps = new ArrayList<>();
        String gwSubnet = spec.networks().docker().gwbridge().toString();
        Optional<NetworkSummary> gw = now.gwbridge();
        if (gw.isEmpty()) {
            steps.add(new SwarmStep.CreateGatewayBridge(gwSubnet, false));
        } else if (!gw.get().subnets().contains(gwSubnet)) {
            if (gw.get().containers() > 0) {
                refusals.add("docker_gwbridge is on " + gw.get().subnets() + ", not " + gwSubnet
                        + ", and containers use it");
            } else {
                steps.add(new SwarmStep.CreateGatewayBridge(gwSubnet, true));
            }
        }
        boolean asManager = node.role() == NodeRole.MANAGER && managerToken;
        steps.add(new SwarmStep.JoinSwarm(node.name(), node.address().address(), s.listenAddress().isAuto()
                ? node.address().address() : s.listenAddress().address(), managers, asManager));
        return new Plan(found, List.copyOf(steps), List.copyOf(refusals), false);
    }

    private static Plan refused(String why) {
        return new Plan(Optional.empty(), List.of(), List.of(why), false);
    }
}
