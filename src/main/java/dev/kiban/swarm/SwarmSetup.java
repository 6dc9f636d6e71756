package dev.kiban.swarm;

import dev.kiban.engine.NetworkSummary;
import dev.kiban.engine.SwarmInit;
import dev.kiban.spec.Cidr;
import dev.kiban.spec.PlatformSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans {@code kiban swarm init}: from the spec and what the engine reports, the steps to a single
 * manager whose networks overlap nothing (D2), or, on an existing swarm, the drift from the spec.
 * Pure: nothing here talks to the engine.
 */
public final class SwarmSetup {
    private SwarmSetup() {}

    public record Plan(List<SwarmStep> steps, List<String> drift, List<String> refusals) {
        public boolean inOrder() {
            return steps.isEmpty() && drift.isEmpty() && refusals.isEmpty();
        }
    }

    /**
     * The Swarm networks the init would make (docker_gwbridge, ingress, the address pool) that overlap a
     * network the host is on: the host would route those neighbours, its gateway among them, into a bridge.
     * Found on the real-host rig: a host on 172.18.0.0/16 lost its way out to the spec's docker_gwbridge.
     */
    static List<String> overlapsWithTheHost(PlatformSpec spec, SwarmObservation now) {
        var nets = spec.networks().docker();
        java.util.Map<String, Cidr> made = new java.util.LinkedHashMap<>();
        made.put("networks.docker.gwbridge", nets.gwbridge());
        made.put("networks.docker.ingress", nets.ingress());
        spec.swarm().defaultAddrPool().forEach(c -> made.put("swarm.defaultAddrPool " + c, c));
        List<String> out = new ArrayList<>();
        made.forEach((key, cidr) -> now.hostNetworks().stream().filter(h -> h.network().overlaps(cidr)).findFirst()
                .ifPresent(h -> out.add(key + " (" + cidr + ") overlaps " + h.network() + ", the network of this "
                        + "host's " + h.name() + ": the host would route it into a Docker bridge and lose those "
                        + "neighbours (its gateway too); choose a subnet of its own in the spec")));
        return out;
    }

    /**
     * The init the spec asks for (a spec resolved for the host): advertise and listen address, the default address
     * pool (D2), the VXLAN port; {@code forceNewCluster} for a restored manager's Swarm state.
     */
    public static SwarmInit init(PlatformSpec.Swarm s, boolean forceNewCluster) {
        return new SwarmInit(s.advertiseAddress().address(), s.listenAddress().address() + ":2377",
                s.defaultAddrPool().stream().map(Cidr::toString).toList(), s.subnetSize(), s.dataPathPort(),
                forceNewCluster);
    }

    /** Needs a spec resolved for the host, so the addresses are no longer auto. */
    public static Plan plan(PlatformSpec spec, SwarmObservation now) {
        var s = spec.swarm();
        var nets = spec.networks().docker();
        List<SwarmStep> steps = new ArrayList<>();
        List<String> drift = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        if (!s.enabled()) {
            refusals.add("swarm.enabled is false in the spec");
            return new Plan(steps, drift, refusals);
        }
        if (now.liveRestore()) {
            refusals.add("the engine runs with live-restore, which Swarm mode refuses; set engine.liveRestore to auto "
                    + "and run 'kiban apply' (D1)");
        }
        List<String> pool = s.defaultAddrPool().stream().map(Cidr::toString).toList();
        String ingressGateway = firstHost(nets.ingress());
        switch (now.swarm().state()) {
            case "inactive" -> {
                overlapsWithTheHost(spec, now).forEach(refusals::add);
                Optional<NetworkSummary> gw = now.gwbridge();
                if (gw.isEmpty()) {
                    steps.add(new SwarmStep.CreateGatewayBridge(nets.gwbridge().toString(), false));
                } else if (!gw.get().subnets().contains(nets.gwbridge().toString())) {
                    if (gw.get().containers() > 0) {
                        refusals.add("docker_gwbridge is on " + gw.get().subnets() + ", not " + nets.gwbridge()
                                + ", and containers use it");
                    } else {
                        steps.add(new SwarmStep.CreateGatewayBridge(nets.gwbridge().toString(), true));
                    }
                }
                steps.add(new SwarmStep.InitSwarm(init(s, false)));
                steps.add(new SwarmStep.RecreateIngress(nets.ingress().toString(), ingressGateway));
                steps.add(new SwarmStep.SaveJoinToken(s.joinTokenFile().value()));
            }
            case "active" -> {
                if (!now.swarm().manager()) {
                    refusals.add("this node is a Swarm worker; run kiban swarm init on a manager");
                    break;
                }
                if (!now.swarm().defaultAddrPool().equals(pool)) {
                    drift.add("swarm.defaultAddrPool: the swarm uses " + now.swarm().defaultAddrPool()
                            + ", the spec says " + pool
                            + " (fixed at init; changing it means re-creating the swarm)");
                }
                if (now.swarm().subnetSize() != s.subnetSize()) {
                    drift.add("swarm.subnetSize: the swarm uses /" + now.swarm().subnetSize() + ", the spec says /"
                            + s.subnetSize());
                }
                if (now.swarm().dataPathPort() != s.dataPathPort()) {
                    drift.add("swarm.dataPathPort: the swarm uses " + now.swarm().dataPathPort() + ", the spec says "
                            + s.dataPathPort());
                }
                if (!now.swarm().nodeAddress().equals(s.advertiseAddress().address())) {
                    drift.add("swarm.advertiseAddress: this node advertises " + now.swarm().nodeAddress()
                            + ", the spec says " + s.advertiseAddress());
                }
                List<String> ingress = now.ingress().map(NetworkSummary::subnets).orElse(List.of());
                if (!ingress.contains(nets.ingress().toString())) {
                    if (now.services() == 0) steps.add(new SwarmStep.RecreateIngress(nets.ingress().toString(),
                            ingressGateway));
                    else drift.add("networks.docker.ingress: ingress is on " + ingress + ", the spec says "
                            + nets.ingress()
                            + " (it can only be re-created while no service exists)");
                }
                List<String> gw = now.gwbridge().map(NetworkSummary::subnets).orElse(List.of());
                if (!gw.contains(nets.gwbridge().toString())) {
                    drift.add("networks.docker.gwbridge: docker_gwbridge is on " + gw + ", the spec says "
                            + nets.gwbridge());
                }
                if (!now.joinTokenSaved()) steps.add(new SwarmStep.SaveJoinToken(s.joinTokenFile().value()));
            }
            default -> refusals.add("the node's Swarm state is " + now.swarm().state()
                    + "; resolve it with 'docker info' before kiban swarm init");
        }
        return new Plan(List.copyOf(steps), List.copyOf(drift), List.copyOf(refusals));
    }

    static String firstHost(Cidr network) {
        long a = network.first() + 1;
        return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }
}
