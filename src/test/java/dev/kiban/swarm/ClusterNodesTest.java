package dev.kiban.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.NodeChange;
import dev.kiban.engine.NodeSummary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterNodesTest {
    static NodeSummary node(String name, String role, String state, String reach, Map<String, String> labels) {
        return new NodeSummary("id-" + name, name, role, "active", state, "192.168.10." + (10 + name.charAt(2) - '0'),
                false, reach, "26.1.5", labels, 7);
    }

    static final NodeSummary WS1 = node("ws1", "manager", "ready", "reachable", Map.of());

    @Test
    void aJoinedWorkerIsPromotedAndLabelledAsTheSpecSaysPromotionsFirst() {
        var nodes = List.of(WS1, node("ws2", "worker", "ready", "", Map.of()),
                node("ws3", "worker", "ready", "", Map.of()));
        var plan = ClusterNodes.plan(SwarmJoinPlanTest.spec(SwarmJoinPlanTest.CLUSTER), nodes);
        assertThat(plan.refusals()).isEmpty();
        assertThat(plan.drift()).isEmpty();
        assertThat(plan.updates()).extracting(u -> u.node().hostname()).containsExactly("ws3", "ws2");
        assertThat(plan.updates().get(0).change()).isEqualTo(new NodeChange("manager", "active", Map.of()));
        assertThat(plan.updates().get(1).change()).isEqualTo(new NodeChange("worker", "active",
                Map.of("storage", "hdd")));
        assertThat(plan.updates().get(0).describe()).isEqualTo("ws3: promote to manager");
        assertThat(plan.quorum().describe()).isEqualTo("2 managers (2 reachable): tolerates 0 manager failures");
    }

    @Test
    void threeManagersTolerateOneAndLosingTwoLosesTheQuorum() {
        var three = List.of(WS1, node("ws2", "manager", "ready", "reachable", Map.of()),
                node("ws3", "manager", "ready", "reachable", Map.of()));
        assertThat(ClusterNodes.Quorum.of(three).describe())
                .isEqualTo("3 managers (3 reachable): tolerates 1 manager failure");
        var oneDown = List.of(WS1, node("ws2", "manager", "ready", "reachable", Map.of()),
                node("ws3", "manager", "down", "unreachable", Map.of()));
        assertThat(ClusterNodes.Quorum.of(oneDown).held()).isTrue();
        var twoDown = List.of(WS1, node("ws2", "manager", "down", "unreachable", Map.of()),
                node("ws3", "manager", "down", "unreachable", Map.of()));
        assertThat(ClusterNodes.Quorum.of(twoDown).held()).isFalse();
        assertThat(ClusterNodes.Quorum.of(twoDown).describe()).contains("quorum LOST");
    }

    @Test
    void aDemotionThatWouldCostTheQuorumIsRefused() {
        // ws1 stays manager, ws3 is to become a worker, while ws1 itself is unreachable
        var nodes = List.of(node("ws1", "manager", "down", "unreachable", Map.of()),
                node("ws2", "worker", "ready", "", Map.of("storage", "hdd")),
                node("ws3", "manager", "ready", "reachable", Map.of()));
        String spec = SwarmJoinPlanTest.CLUSTER.replace("{name: ws3, address: 192.168.10.13, role: manager}",
                "{name: ws3, address: 192.168.10.13, role: worker}");
        var plan = ClusterNodes.plan(SwarmJoinPlanTest.spec(spec), nodes);
        assertThat(plan.refusals()).singleElement().asString().startsWith("not demoting ws3")
                .contains("promote another node first");
        assertThat(plan.updates()).isEmpty();
    }

    @Test
    void nodesNotJoinedNodesNotListedAndTwoOfOneNameAreDrift() {
        var nodes = List.of(WS1, node("ws2", "worker", "down", "", Map.of("storage", "hdd")),
                new NodeSummary("id-ws2b", "ws2", "worker", "active", "ready", "192.168.10.12", false, "", "26",
                        Map.of(), 1), node("ws7", "worker", "ready", "", Map.of()));
        var plan = ClusterNodes.plan(SwarmJoinPlanTest.spec(SwarmJoinPlanTest.CLUSTER), nodes);
        assertThat(plan.refusals()).singleElement().asString().contains("2 nodes are called ws2")
                .contains("docker node rm");
        assertThat(plan.drift()).anySatisfy(d -> assertThat(d).startsWith("ws3 (192.168.10.13) is not in the swarm"))
                .anySatisfy(d -> assertThat(d).startsWith("ws7 (").contains("not in swarm.nodes"));
    }

    @Test
    void aSpecWithoutNodesAsksForNothing() {
        var plan = ClusterNodes.plan(SwarmJoinPlanTest.spec(SwarmSetupTest.FILLED),
                List.of(WS1, node("ws2", "worker", "ready", "", Map.of())));
        assertThat(plan.inOrder()).isTrue();
    }

    @Test
    void nodesAreFoundByNameOrIdPrefix() {
        var nodes = List.of(WS1, node("ws2", "worker", "ready", "", Map.of()));
        assertThat(ClusterNodes.find(nodes, "ws2")).map(NodeSummary::id).contains("id-ws2");
        assertThat(ClusterNodes.find(nodes, "id-ws1")).map(NodeSummary::hostname).contains("ws1");
        assertThat(ClusterNodes.find(nodes, "id-")).isEmpty();
        assertThat(ClusterNodes.find(nodes, "")).isEmpty();
    }
}
