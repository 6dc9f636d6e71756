package dev.kiban.swarm;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineApiException;
import dev.kiban.engine.EngineConflictException;
import dev.kiban.engine.NetworkSummary;
import dev.kiban.os.AtomicFile;
import dev.kiban.os.HostNetworks;
import dev.kiban.os.HostRoot;
import dev.kiban.os.Wait;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Carries out a {@link SwarmSetup.Plan} against the engine; the join token goes to a 0600 file under the root. */
public final class SwarmSetupApply {
    public static final String GWBRIDGE = "docker_gwbridge";
    public static final String INGRESS = "ingress";

    private final Engine engine;
    private final Path root;
    private final PrintWriter out;

    public SwarmSetupApply(Engine engine, Path root, PrintWriter out) {
        this.engine = engine;
        this.root = root;
        this.out = out;
    }

    /** What the engine says now; {@code joinTokenFile} is checked under the root. */
    public static SwarmObservation observe(Engine engine, Path root, String joinTokenFile) {
        var swarm = engine.swarm();
        var networks = engine.networks();
        Optional<NetworkSummary> gw = networks.stream().filter(n -> n.name().equals(GWBRIDGE)).findFirst();
        Optional<NetworkSummary> ingress = networks.stream().filter(NetworkSummary::ingress).findFirst();
        int services = swarm.manager() ? engine.serviceCount() : 0;
        boolean saved = HostRoot.isRegularFileUnder(root, joinTokenFile);
        // this machine's networks say something only about an engine on this machine
        List<HostNetworks.OnInterface> hostNetworks = engine.address().isUnixSocket() ? HostNetworks.system()
                : List.of();
        return new SwarmObservation(swarm, engine.info().liveRestore(), gw, ingress, services, saved, hostNetworks);
    }

    public void run(SwarmSetup.Plan plan) throws IOException {
        for (SwarmStep step : plan.steps()) {
            out.println(step.describe());
            out.flush();
            if (step instanceof SwarmStep.CreateGatewayBridge g) {
                createGatewayBridge(g);
            } else if (step instanceof SwarmStep.InitSwarm i) {
                engine.initSwarm(i.init());
            } else if (step instanceof SwarmStep.RecreateIngress r) {
                // After init the manager creates the default ingress in the background, and its removal is
                // eventually consistent: the by-name view can report it gone while the engine still refuses a
                // new one of that name (409). Wait for it, remove it, wait until no listing shows it, and
                // retry the create while the engine still holds the old one.
                Wait.until(() -> ingress().isPresent(), SETTLE, "the default ingress network to appear");
                ingress().ifPresent(n -> engine.removeNetwork(n.id()));
                Wait.until(() -> ingress().isEmpty() && engine.networks().stream()
                        .noneMatch(n -> n.ingress() || n.name().equals(INGRESS)), SETTLE,
                        "the default ingress network to be removed");
                createIngress(r);
                // The node's agent may still bring up (and then drop) the network it was creating at init:
                // done only when one ingress, on the spec's subnet, has been all there is for a few seconds.
                Wait.steady(() -> engine.networks().stream().filter(NetworkSummary::ingress)
                        .map(NetworkSummary::subnets).toList().equals(List.of(List.of(r.subnet()))),
                        Duration.ofSeconds(3), SETTLE, "one ingress network on " + r.subnet());
            } else if (step instanceof SwarmStep.SaveJoinToken t) {
                String advertise = engine.swarm().nodeAddress();
                String command = "docker swarm join --token " + engine.workerJoinToken() + " " + advertise + ":2377\n";
                // rooted and no-follow: a symbolic link planted on the way to the file is refused, not written through
                AtomicFile.writeUnder(root, t.path(), command.getBytes(StandardCharsets.UTF_8), "rw-------", false);
            }
        }
    }

    private void createGatewayBridge(SwarmStep.CreateGatewayBridge g) {
        if (g.replaceExisting()) engine.removeNetwork(GWBRIDGE);
        engine.createNetwork(GWBRIDGE, "bridge", g.subnet(), null, false, Map.of(
                "com.docker.network.bridge.name", GWBRIDGE,
                "com.docker.network.bridge.enable_icc", "false",
                "com.docker.network.bridge.enable_ip_masquerade", "true"), Map.of("dev.kiban.managed", "true"));
    }

    /**
     * Carries out a join plan with {@code token}. A join the managers refuse (a wrong or rotated token, no manager
     * answering) leaves the host as it was: a docker_gwbridge made for it is removed again. The engine's reason is
     * passed on with the token blotted out.
     */
    public void join(SwarmJoinPlan.Plan plan, JoinToken token) {
        boolean madeBridge = false;
        for (SwarmStep step : plan.steps()) {
            out.println(step.describe());
            out.flush();
            if (step instanceof SwarmStep.CreateGatewayBridge g) {
                createGatewayBridge(g);
                madeBridge = !g.replaceExisting();
            } else if (step instanceof SwarmStep.JoinSwarm j) {
                try {
                    engine.joinSwarm(new dev.kiban.engine.SwarmJoin(j.advertiseAddress(), j.listenAddress() + ":2377",
                            j.managers(), token.value()));
                } catch (EngineApiException e) {
                    if (madeBridge) removeQuietly(GWBRIDGE);
                    // not chained: the engine's exception may hold the token
                    throw new dev.kiban.failure.RefusedException("the swarm refused " + j.node() + " (swarm.joinToken"
                            + (j.asManager() ? "/managerJoinToken" : "") + "): " + token.redact(e.getMessage())
                            + "; nothing changed on this host");
                }
            }
        }
    }

    private void removeQuietly(String network) {
        try {
            engine.removeNetwork(network);
        } catch (EngineApiException e) {
            out.println("could not remove " + network + " again: " + e.getMessage());
        }
    }

    /** The ingress network once the engine's views agree on a single one; empty while there is none or several. */
    private Optional<NetworkSummary> ingress() {
        try {
            return engine.network(INGRESS).filter(NetworkSummary::ingress);
        } catch (EngineApiException ambiguous) {
            return Optional.empty();
        }
    }

    private void createIngress(SwarmStep.RecreateIngress r) throws IOException {
        Wait.until(() -> {
            try {
                engine.createNetwork(INGRESS, "overlay", r.subnet(), r.gateway(), true, Map.of(),
                        Map.of("dev.kiban.managed", "true"));
                return Optional.of(Boolean.TRUE);
            } catch (EngineConflictException e) {
                return Optional.empty(); // the old ingress is still being torn down
            }
        }, SETTLE, Duration.ofMillis(200), "the old ingress network to be torn down");
    }

    /** Swarm network changes return before every view of the engine agrees; 20 s is ample on one node. */
    private static final Duration SETTLE = Duration.ofSeconds(20);
}
