package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.SwarmSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check before a manager's engine is stopped: with M managers, R reachable, R - 1 must stay above M / 2. */
class SwarmRaftQuorumTest {
    static final SwarmSettings MANAGER = new SwarmSettings("active", true, "192.0.2.10", List.of(), 24, 4789);

    static List<NodeSummary> managers(int managers, int reachable) {
        List<NodeSummary> out = new ArrayList<>();
        for (int i = 0; i < managers; i++) {
            String r = i < reachable ? "reachable" : "unreachable";
            out.add(new NodeSummary("n" + i, "m" + i, "manager", "active", i < reachable ? "ready" : "down",
                    "192.0.2." + (10 + i), i == 0, r, "24.0.9", Map.of(), 1));
        }
        out.add(new NodeSummary("w", "w", "worker", "active", "ready", "192.0.2.99", false));
        return out;
    }

    @Test
    void aSingleManagerMayBeStoppedAfterTheOperatorsYes() {
        SwarmRaft.Quorum q = SwarmRaft.quorum(MANAGER, managers(1, 1));
        assertThat(q.single()).isTrue();
        assertThat(q.refusal()).isEmpty();
    }

    @Test
    void stoppingOneOfAMajorityThatStaysIsAllowed() {
        assertThat(SwarmRaft.quorum(MANAGER, managers(3, 3)).refusal()).isEmpty();
        assertThat(SwarmRaft.quorum(MANAGER, managers(5, 4)).refusal()).isEmpty();
        assertThat(SwarmRaft.quorum(MANAGER, managers(5, 5)).refusal()).isEmpty();
    }

    @Test
    void stoppingOneThatLosesTheQuorumIsRefusedWithTheNumbers() {
        assertThat(SwarmRaft.quorum(MANAGER, managers(3, 2)).refusal())
                .hasValueSatisfying(r -> assertThat(r).startsWith("3 managers, 2 reachable: stopping this one loses "
                        + "the quorum (2 must stay reachable)"));
        assertThat(SwarmRaft.quorum(MANAGER, managers(2, 2)).refusal()).isPresent();
        assertThat(SwarmRaft.quorum(MANAGER, managers(5, 3)).refusal()).isPresent();
    }

    @Test
    void aWorkerOrANodeInNoSwarmIsRefused() {
        assertThat(SwarmRaft.quorum(SwarmSettings.INACTIVE, List.of()).refusal()).hasValueSatisfying(r ->
                assertThat(r).contains("not an active Swarm manager").contains("inactive"));
        SwarmSettings worker = new SwarmSettings("active", false, "192.0.2.11", List.of(), 0, 0);
        assertThat(SwarmRaft.quorum(worker, List.of()).refusal()).hasValueSatisfying(r ->
                assertThat(r).contains("a worker"));
    }
}
