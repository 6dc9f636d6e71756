package dev.kiban.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ExecResult;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.TaskSummary;
import dev.kiban.testing.FakeEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The overlay probe over a three-node fake swarm: a global service on a throwaway network, a ping from this
 * manager's task to every other node's, and nothing left behind whatever the outcome.
 */
class OverlayProbeTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final String PING_LOSS = """
            PING 10.0.1.3 (10.0.1.3): 56 data bytes

            --- 10.0.1.3 ping statistics ---
            1 packets transmitted, 0 packets received, 100% packet loss
            """;

    /** This manager (fake-host) and two workers, the probe image here. */
    static FakeEngine threeNodes() {
        return new FakeEngine().asManager(List.of("10.0.0.0/8"), 24).addImage("busybox:1.36")
                .addNode(new NodeSummary("w1", "worker-1", "worker", "active", "ready", "192.0.2.21", false))
                .addNode(new NodeSummary("w2", "worker-2", "worker", "active", "ready", "192.0.2.22", false));
    }

    static Check.Outcome probe(FakeEngine engine, String image) throws Exception {
        return OverlayProbe.check(SHORT).run(ClusterChecksTest.context(engine, "", image));
    }

    static void nothingLeft(FakeEngine engine) {
        assertThat(engine.networks()).noneMatch(n -> n.name().startsWith("kiban-probe-"));
        assertThat(engine.services(Map.of())).isEmpty();
        assertThat(engine.containers()).isEmpty();
    }

    @Test
    void thisManagerPingsEveryOtherNodesTaskOverTheProbeNetworkAndRemovesIt() throws Exception {
        FakeEngine engine = threeNodes();
        engine.onExec((id, command) -> new ExecResult(0, "1 packets transmitted, 1 packets received, 0% packet loss"));

        Check.Outcome o = probe(engine, "busybox:1.36");

        assertThat(o).isEqualTo(Check.Outcome.pass("fake-host reached worker-1, worker-2 over the overlay network"));
        assertThat(engine.execs()).hasSize(2).allMatch(e -> e.matches(".*: ping -c1 -W2 10\\.0\\.\\d+\\.\\d+"));
        nothingLeft(engine);
    }

    @Test
    void aNodeThatDoesNotAnswerIsNamedAsAFailedPair() throws Exception {
        FakeEngine engine = threeNodes();
        String[] unreachable = {null};
        engine.onExec((id, command) -> {
            if (unreachable[0] == null) unreachable[0] = command.get(3); // the first node pinged does not answer
            return command.get(3).equals(unreachable[0]) ? new ExecResult(1, PING_LOSS) : new ExecResult(0, "");
        });

        Check.Outcome o = probe(engine, "busybox:1.36");

        assertThat(o).isEqualTo(Check.Outcome.fail("1 failed: fake-host -> worker-1 (" + unreachable[0]
                + "): 1 packets transmitted, 0 packets received, 100% packet loss; reached worker-2"));
        nothingLeft(engine);
    }

    @Test
    void aNodeWhoseTaskIsRejectedIsNamedWithTheEnginesReasonAfterTheWait() throws Exception {
        FakeEngine engine = threeNodes().refuseTasksOn("worker-2", "No such image: busybox:1.36");
        engine.onExec((id, command) -> new ExecResult(0, ""));

        Check.Outcome o = probe(engine, "busybox:1.36");

        assertThat(o).isEqualTo(Check.Outcome.fail("1 failed: worker-2 runs no probe task (rejected: No such image: "
                + "busybox:1.36); reached worker-1"));
        nothingLeft(engine);
    }

    @Test
    void downAndDrainedNodesAreNotProbedButSaidSo() throws Exception {
        FakeEngine engine = threeNodes()
                .addNode(new NodeSummary("w3", "worker-3", "worker", "active", "down", "192.0.2.23", false))
                .addNode(new NodeSummary("w4", "worker-4", "worker", "drain", "ready", "192.0.2.24", false));
        engine.onExec((id, command) -> new ExecResult(0, ""));

        assertThat(probe(engine, "busybox:1.36").evidence()).isEqualTo("fake-host reached worker-1, worker-2 over "
                + "the overlay network; not probed: worker-3 (down, active), worker-4 (ready, drain)");
    }

    @Test
    void withoutAProbeImageOrOnOneNodeItIsSkippedAndWithoutTheImageHereItFails() throws Exception {
        assertThat(probe(threeNodes(), "")).isEqualTo(Check.Outcome.skip(
                "no probe image: give --probe-image IMAGE (sleep and ping, on every node)"));
        FakeEngine alone = new FakeEngine().asManager(List.of("10.0.0.0/8"), 24).addImage("busybox:1.36");
        assertThat(probe(alone, "busybox:1.36")).isEqualTo(Check.Outcome.skip(
                "a single node: no overlay path between nodes to probe"));
        assertThat(probe(threeNodes(), "example/absent:1")).isEqualTo(Check.Outcome.fail(
                "image example/absent:1 is not on this engine (kiban does not pull); give --probe-image"));
        assertThat(alone.execs()).isEmpty();
    }

    @Test
    void aFailingExecIsThatPairsFailureNotTheChecks() throws Exception {
        FakeEngine engine = threeNodes(); // the fake's shell knows no ping
        Check.Outcome o = probe(engine, "busybox:1.36");

        assertThat(o.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(o.evidence()).startsWith("2 failed: fake-host -> worker-1 (").contains("sh: ping: not found");
        nothingLeft(engine);
    }

    @Test
    void placementNeedsARunningTaskWithAnAddressOnEveryExpectedNode() {
        List<NodeSummary> nodes = List.of(
                new NodeSummary("m", "m", "manager", "active", "ready", "192.0.2.1", true),
                new NodeSummary("w", "w", "worker", "active", "ready", "192.0.2.2", false),
                new NodeSummary("v", "v", "worker", "active", "ready", "192.0.2.3", false));
        List<TaskSummary> tasks = List.of(
                new TaskSummary("t1", "s", 0, "running", "running", "", "2", "c-m", "m",
                        Map.of("probe", List.of("10.0.1.2/24"))),
                new TaskSummary("t2", "s", 0, "running", "running", "", "2", "c-w", "w",
                        Map.of("probe", List.of("10.0.1.3/24"))),
                new TaskSummary("t3", "s", 0, "running", "pending", "no suitable node", "2", "", "v"));

        OverlayProbe.Placement p = OverlayProbe.placement(nodes, tasks, "probe", "m");

        assertThat(p.localContainer()).contains("c-m");
        assertThat(p.targets()).containsExactly(new OverlayProbe.Target("w", "10.0.1.3"));
        assertThat(p.missing()).containsExactly("v runs no probe task (pending: no suitable node)");
        assertThat(p.complete()).isFalse();
        OverlayProbe.Placement noLocal = OverlayProbe.placement(nodes, tasks.subList(1, 2), "probe", "m");
        assertThat(OverlayProbe.verdict("m", noLocal, Map.of(), List.of()).evidence()).startsWith(
                "no probe task with a container on this node (m) to ping from: m runs no probe task (none given yet)");
        assertThat(Optional.of(p).filter(OverlayProbe.Placement::complete)).isEmpty();
    }
}
