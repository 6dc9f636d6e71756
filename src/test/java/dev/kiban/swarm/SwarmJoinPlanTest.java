package dev.kiban.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.SwarmSettings;
import dev.kiban.os.HostNetworks;
import dev.kiban.spec.Cidr;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecDocument;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwarmJoinPlanTest {
    static final String CLUSTER = SwarmSetupTest.FILLED + """
            swarm:
              nodeNetworks: [192.168.10.0/24]
              joinToken: file:/etc/kiban/swarm-join
              nodes:
                - {name: ws1, address: 192.168.10.11, role: manager}
                - {name: ws2, address: 192.168.10.12, role: worker, labels: {storage: hdd}}
                - {name: ws3, address: 192.168.10.13, role: manager}
            """;

    static PlatformSpec spec(String yaml) {
        return SpecDocument.parse("k", yaml, false).require();
    }

    static SwarmObservation fresh() {
        return new SwarmObservation(SwarmSettings.INACTIVE, false, Optional.empty(), Optional.empty(), 0, false);
    }

    @Test
    void aFreshHostJoinsEveryOtherManagerAtItsSpecAddressAfterTheGatewayBridge() {
        var plan = SwarmJoinPlan.plan(spec(CLUSTER), "ws2", fresh(), false);
        assertThat(plan.refusals()).isEmpty();
        assertThat(plan.steps()).containsExactly(new SwarmStep.CreateGatewayBridge("172.18.0.0/16", false),
                new SwarmStep.JoinSwarm("ws2", "192.168.10.12", "192.168.10.12",
                        List.of("192.168.10.11:2377", "192.168.10.13:2377"), false));
        assertThat(plan.steps().get(1).describe()).doesNotContain("SWMTKN");
    }

    @Test
    void aManagerJoinsAsOneOnlyWithAManagerToken() {
        var plan = SwarmJoinPlan.plan(spec(CLUSTER), "ws3", fresh(), true);
        assertThat(plan.steps()).last().isEqualTo(new SwarmStep.JoinSwarm("ws3", "192.168.10.13", "192.168.10.13",
                List.of("192.168.10.11:2377"), true));
        var asWorker = SwarmJoinPlan.plan(spec(CLUSTER), "ws3", fresh(), false);
        assertThat(((SwarmStep.JoinSwarm) asWorker.steps().get(1)).asManager()).isFalse();
    }

    @Test
    void joiningAgainIsNothingToDo() {
        var joined = new SwarmObservation(new SwarmSettings("active", false, "192.168.10.12", List.of(), 0, 0, "n2",
                List.of("192.168.10.11:2377"), ""), false, Optional.empty(), Optional.empty(), 0, false);
        var plan = SwarmJoinPlan.plan(spec(CLUSTER), "ws2", joined, false);
        assertThat(plan.joined()).isTrue();
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.refusals()).isEmpty();
    }

    @Test
    void anotherSwarmIsRefusedNotLeft() {
        var elsewhere = new SwarmObservation(new SwarmSettings("active", false, "192.168.10.12", List.of(), 0, 0, "n2",
                List.of("192.168.77.1:2377"), ""), false, Optional.empty(), Optional.empty(), 0, false);
        assertThat(SwarmJoinPlan.plan(spec(CLUSTER), "ws2", elsewhere, false).refusals()).singleElement()
                .asString().contains("192.168.77.1:2377").contains("leave that swarm first");
    }

    @Test
    void aHostTheSpecDoesNotListIsRefusedNamingTheOnesItDoes() {
        assertThat(SwarmJoinPlan.plan(spec(CLUSTER), "ws9", fresh(), false).refusals()).singleElement().asString()
                .contains("no node named \"ws9\"").contains("ws1, ws2, ws3").contains("--node");
    }

    @Test
    void withoutATokenOrAnotherManagerOrWithLiveRestoreNothingIsPlanned() {
        String noToken = CLUSTER.replace("  joinToken: file:/etc/kiban/swarm-join\n", "");
        assertThat(SwarmJoinPlan.plan(spec(noToken), "ws2", fresh(), false).refusals()).singleElement().asString()
                .contains("swarm.joinToken is not set");
        String alone = SwarmSetupTest.FILLED + """
                swarm:
                  nodeNetworks: [192.168.10.0/24]
                  joinToken: env:TOKEN
                  nodes: [{name: ws1, address: 192.168.10.11, role: manager}]
                """;
        assertThat(SwarmJoinPlan.plan(spec(alone), "ws1", fresh(), false).refusals()).singleElement().asString()
                .contains("kiban swarm init");
        var liveRestore = new SwarmObservation(SwarmSettings.INACTIVE, true, Optional.empty(), Optional.empty(), 0,
                false);
        assertThat(SwarmJoinPlan.plan(spec(CLUSTER), "ws2", liveRestore, false).refusals()).anySatisfy(r ->
                assertThat(r).contains("live-restore"));
    }

    @Test
    void aSwarmNetworkOverlappingTheHostsOwnIsRefused() {
        var onGwbridge = new SwarmObservation(SwarmSettings.INACTIVE, false, Optional.empty(), Optional.empty(), 0,
                false, List.of(new HostNetworks.OnInterface("eth0", Cidr.parse("172.18.0.0/16"))));
        assertThat(SwarmJoinPlan.plan(spec(CLUSTER), "ws2", onGwbridge, false).refusals()).anySatisfy(r ->
                assertThat(r).contains("networks.docker.gwbridge").contains("eth0"));
    }

    @Test
    void joinTokensAreFoundBareOrInTheSavedCommandAndNeverShown() {
        String token = "SWMTKN-1-" + "3".repeat(50) + "-" + "k".repeat(25);
        assertThat(JoinToken.parse(token)).map(JoinToken::value).contains(token);
        assertThat(JoinToken.parse("docker swarm join --token " + token + " 192.168.10.11:2377\n"))
                .map(JoinToken::value).contains(token);
        assertThat(JoinToken.parse("hunter2")).isEmpty();
        assertThat(JoinToken.parse("SWMTKN-1-abc; rm -rf /")).isEmpty();
        JoinToken t = JoinToken.parse(token).orElseThrow();
        assertThat(t.toString()).doesNotContain(token);
        assertThat(t.redact("bad token " + token + " refused")).isEqualTo("bad token <token> refused");
    }
}
