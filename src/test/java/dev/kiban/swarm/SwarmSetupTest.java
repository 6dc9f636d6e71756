package dev.kiban.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.NetworkSummary;
import dev.kiban.engine.SwarmInit;
import dev.kiban.engine.SwarmSettings;
import dev.kiban.os.HostNetworks;
import dev.kiban.spec.Cidr;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwarmSetupTest {
    static final String FILLED = """
            admin: {email: ops@example.org}
            monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
            security: {ssh: {allowUsers: [deploy]}}
            """;
    final PlatformSpec spec = SpecDocument.parse("k", FILLED, false).require().resolved(Family.DEBIAN, "192.0.2.10");

    static NetworkSummary net(String name, String subnet, boolean ingress, int containers) {
        return new NetworkSummary(name + "-id", name, ingress ? "overlay" : "bridge", ingress ? "swarm" : "local",
                List.of(subnet), ingress, containers, Map.of());
    }

    static SwarmObservation inactive(boolean liveRestore) {
        return new SwarmObservation(SwarmSettings.INACTIVE, liveRestore, Optional.empty(), Optional.empty(), 0, false);
    }

    static SwarmObservation manager(List<String> pool, String ingress, int services) {
        return new SwarmObservation(new SwarmSettings("active", true, "192.0.2.10", pool, 24, 4789), false,
                Optional.of(net("docker_gwbridge", "172.18.0.0/16", false, 0)),
                Optional.of(net("ingress", ingress, true, 0)), services, true);
    }

    @Test
    void aFreshEngineGetsGatewayInitIngressAndToken() {
        SwarmSetup.Plan plan = SwarmSetup.plan(spec, inactive(false));
        assertThat(plan.refusals()).isEmpty();
        assertThat(plan.steps()).containsExactly(
                new SwarmStep.CreateGatewayBridge("172.18.0.0/16", false),
                new SwarmStep.InitSwarm(new SwarmInit("192.0.2.10", "192.0.2.10:2377", List.of("10.20.0.0/16"), 24,
                        4789)),
                new SwarmStep.RecreateIngress("10.0.255.0/24", "10.0.255.1"),
                new SwarmStep.SaveJoinToken("/root/.docker-swarm-token"));
    }

    @Test
    void swarmNetworksOverlappingANetworkOfTheHostAreRefusedNamingBoth() {
        var onTheGwbridgeSubnet = new SwarmObservation(SwarmSettings.INACTIVE, false, Optional.empty(),
                Optional.empty(), 0, false, List.of(
                        new HostNetworks.OnInterface("eth0", Cidr.parse("172.18.0.0/16")),
                        new HostNetworks.OnInterface("eth1", Cidr.parse("10.20.5.0/24")),
                        new HostNetworks.OnInterface("eth2", Cidr.parse("192.168.1.0/24"))));
        assertThat(SwarmSetup.plan(spec, onTheGwbridgeSubnet).refusals()).containsExactly(
                "networks.docker.gwbridge (172.18.0.0/16) overlaps 172.18.0.0/16, the network of this host's eth0: "
                        + "the host would route it into a Docker bridge and lose those neighbours (its gateway too); "
                        + "choose a subnet of its own in the spec",
                "swarm.defaultAddrPool 10.20.0.0/16 (10.20.0.0/16) overlaps 10.20.5.0/24, the network of this host's "
                        + "eth1: the host would route it into a Docker bridge and lose those neighbours (its gateway "
                        + "too); choose a subnet of its own in the spec");
        assertThat(Cidr.parse("10.0.255.0/24").overlaps(Cidr.parse("10.0.0.0/16"))).isTrue();
        assertThat(Cidr.parse("10.0.255.0/24").overlaps(Cidr.parse("10.0.254.0/24"))).isFalse();
    }

    @Test
    void liveRestoreOnTheEngineIsRefusedD1() {
        assertThat(SwarmSetup.plan(spec, inactive(true)).refusals()).singleElement().asString()
                .contains("live-restore, which Swarm mode refuses;").endsWith("(D1)");
    }

    @Test
    void aSwarmAsTheSpecSaysIsInOrder() {
        assertThat(SwarmSetup.plan(spec, manager(List.of("10.20.0.0/16"), "10.0.255.0/24", 3)).inOrder()).isTrue();
    }

    @Test
    void aDifferentPoolIsDriftNotAChange() {
        SwarmSetup.Plan plan = SwarmSetup.plan(spec, manager(List.of("10.0.0.0/8"), "10.0.255.0/24", 0));
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.drift()).singleElement().asString()
                .startsWith("swarm.defaultAddrPool: the swarm uses [10.0.0.0/8], the spec says [10.20.0.0/16]");
    }

    @Test
    void ingressOnTheEngineDefaultIsReplacedOnlyWhileNoServiceExists() {
        assertThat(SwarmSetup.plan(spec, manager(List.of("10.20.0.0/16"), "10.0.0.0/24", 0)).steps())
                .containsExactly(new SwarmStep.RecreateIngress("10.0.255.0/24", "10.0.255.1"));
        SwarmSetup.Plan busy = SwarmSetup.plan(spec, manager(List.of("10.20.0.0/16"), "10.0.0.0/24", 2));
        assertThat(busy.steps()).isEmpty();
        assertThat(busy.drift()).singleElement().asString()
                .contains("ingress is on [10.0.0.0/24], the spec says 10.0.255.0/24");
    }

    @Test
    void aWorkerOrALockedNodeIsRefused() {
        var worker = new SwarmObservation(new SwarmSettings("active", false, "192.0.2.10", List.of(), 0, 0), false,
                Optional.empty(), Optional.empty(), 0, false);
        assertThat(SwarmSetup.plan(spec, worker).refusals()).singleElement().asString().contains("worker");
        var locked = new SwarmObservation(new SwarmSettings("locked", false, "", List.of(), 0, 0), false,
                Optional.empty(), Optional.empty(), 0, false);
        assertThat(SwarmSetup.plan(spec, locked).refusals()).singleElement().asString().contains("state is locked");
    }

    @Test
    void aGatewayBridgeInUseOnTheWrongSubnetIsRefused() {
        var wrong = new SwarmObservation(SwarmSettings.INACTIVE, false,
                Optional.of(net("docker_gwbridge", "172.31.0.0/16", false, 2)), Optional.empty(), 0, false);
        assertThat(SwarmSetup.plan(spec, wrong).refusals()).singleElement().asString().contains("containers use it");
        var unused = new SwarmObservation(SwarmSettings.INACTIVE, false,
                Optional.of(net("docker_gwbridge", "172.31.0.0/16", false, 0)), Optional.empty(), 0, false);
        assertThat(SwarmSetup.plan(spec, unused).steps().get(0))
                .isEqualTo(new SwarmStep.CreateGatewayBridge("172.18.0.0/16", true));
    }
}
