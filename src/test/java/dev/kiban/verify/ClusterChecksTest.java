package dev.kiban.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.Engine;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.SwarmJoin;
import dev.kiban.spec.HostAddress;
import dev.kiban.spec.PlatformSpec.NodeAvailability;
import dev.kiban.spec.PlatformSpec.NodeRole;
import dev.kiban.spec.PlatformSpec.SwarmNode;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.FakePrograms;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Verify on a worker and on a manager of a multi-node Swarm: where it runs decides which checks it can make;
 * on a manager the nodes' readiness, the quorum and the nodes against swarm.nodes.
 */
class ClusterChecksTest {
    static final String NODES = """
            swarm:
              nodeNetworks: [192.0.2.0/24]
              nodes:
                - {name: fake-host, address: 192.0.2.10, role: manager}
                - {name: manager-2, address: 192.0.2.11, role: manager}
                - {name: worker-1, address: 192.0.2.21, role: worker, labels: {zone: a}}
            """;

    static CheckContext context(Engine engine, String yaml, String probeImage) {
        var spec = SpecDocument.parse("kiban.yaml", "admin: {email: ops@example.org}\n" + yaml, false).require();
        return new CheckContext(spec, Path.of("/nonexistent-root"), () -> Optional.of(engine), FakePrograms.none(),
                "web", 80, "tool", 1, probeImage);
    }

    static NodeSummary node(String id, String hostname, String role, String state, String reachability) {
        return new NodeSummary(id, hostname, role, "active", state, "192.0.2." + id.hashCode() % 200, false,
                reachability, "27.3.1", Map.of(), 1);
    }

    /** This manager (fake-host), a second manager, a third manager and a worker. */
    static FakeEngine threeManagers(String thirdState, String thirdReachability) {
        return new FakeEngine().asManager(List.of("10.0.0.0/8"), 24)
                .addNode(new NodeSummary("m2", "manager-2", "manager", "active", "ready", "192.0.2.11", false,
                        "reachable", "27.3.1", Map.of(), 1))
                .addNode(new NodeSummary("m3", "manager-3", "manager", "active", thirdState, "192.0.2.12", false,
                        thirdReachability, "27.3.1", Map.of(), 1))
                .addNode(new NodeSummary("w1", "worker-1", "worker", "active", "ready", "192.0.2.21", false, "",
                        "27.3.1", Map.of("zone", "a"), 1));
    }

    static FakeEngine worker(String... managers) {
        FakeEngine engine = new FakeEngine();
        engine.joinSwarm(new SwarmJoin("192.0.2.21", "0.0.0.0:2377", List.of(managers), "SWMTKN-1-fake"));
        return engine;
    }

    static List<Check> managerOnly() {
        return List.of(ClusterChecks.nodesReady(), ClusterChecks.quorum(), ClusterChecks.nodesAsSpec(),
                OverlayProbe.check());
    }

    @Test
    void onAWorkerSwarmActivePassesNamingTheManagersAndTheClusterChecksAreSkipped() throws Exception {
        FakeEngine engine = worker("192.0.2.10:2377", "192.0.2.11:2377");
        CheckContext c = context(engine, NODES, "busybox:1.36");

        assertThat(UnitChecks.swarmActive().run(c)).isEqualTo(Check.Outcome.pass("worker; managers at "
                + "192.0.2.10:2377, 192.0.2.11:2377 (the address pool and the nodes are checked on a manager)"));
        for (Check check : managerOnly()) {
            assertThat(check.run(c)).as(check.id()).isEqualTo(Check.Outcome.skip(
                    "on a worker: run on a manager (192.0.2.10:2377, 192.0.2.11:2377)"));
        }
        assertThat(engine.networks()).noneMatch(n -> n.name().startsWith("kiban-probe-"));
    }

    @Test
    void aWorkerOfAnotherSwarmThanTheSpecsFails() throws Exception {
        CheckContext c = context(worker("198.51.100.7:2377"), NODES, "");

        assertThat(UnitChecks.swarmActive().run(c)).isEqualTo(Check.Outcome.fail("worker of a swarm whose managers "
                + "(198.51.100.7:2377) are none of swarm.nodes' managers (192.0.2.10, 192.0.2.11)"));
        // without swarm.nodes there is nothing to hold it to
        assertThat(UnitChecks.swarmActive().run(context(worker("198.51.100.7:2377"), "", "")).verdict())
                .isEqualTo(CheckResult.Verdict.PASS);
    }

    @Test
    void everyCheckOfVerifyRunsOnAWorkerWithoutFailingForWhereItRuns() {
        FakeEngine engine = worker("192.0.2.10:2377");
        CheckContext c = context(engine, "", "");
        List<String> swarmIds = List.of("swarm-active", "swarm-nodes-ready", "swarm-quorum", "swarm-nodes-as-spec",
                "swarm-overlay");
        List<Check> swarm = Verification.checks(null).stream().filter(k -> swarmIds.contains(k.id())).toList();
        assertThat(swarm).extracting(Check::id).containsExactlyInAnyOrderElementsOf(swarmIds);

        List<CheckResult> results = Verification.run(swarm, c, r -> { });

        assertThat(results).extracting(CheckResult::verdict).containsExactly(CheckResult.Verdict.PASS,
                CheckResult.Verdict.SKIP, CheckResult.Verdict.SKIP, CheckResult.Verdict.SKIP, CheckResult.Verdict.SKIP);
    }

    @Test
    void aManagerOnlyCallOnAWorkerIsASkipWhicheverCheckMakesIt() {
        FakeEngine engine = worker("192.0.2.10:2377");
        Check lists = new NamedCheck("lists-services", "unit", "R11.1", "asks a manager", k ->
                Check.Outcome.pass(k.engine().get().orElseThrow().services(Map.of()).size() + " services"));

        List<CheckResult> results = Verification.run(List.of(lists), context(engine, "", ""), r -> { });

        assertThat(results.get(0).verdict()).isEqualTo(CheckResult.Verdict.SKIP);
        assertThat(results.get(0).evidence()).isEqualTo("on a worker: run on a manager (192.0.2.10:2377)");
    }

    @Test
    void onAThreeManagerSwarmWithOneNodeDownTheNodeIsNamedAndNoFailureIsToSpare() throws Exception {
        FakeEngine engine = threeManagers("down", "unreachable");
        CheckContext c = context(engine, "", "");

        assertThat(ClusterChecks.nodesReady().run(c)).isEqualTo(Check.Outcome.fail(
                "1 of 4 nodes (3 managers, 1 worker) not ready: manager-3 (down, unreachable)"));
        assertThat(ClusterChecks.quorum().run(c)).isEqualTo(Check.Outcome.pass("3 managers, tolerates 0 failures; "
                + "unreachable: manager-3 (down, unreachable); WARNING: losing one more manager loses the quorum"));
        assertThat(ClusterChecks.nodesAsSpec().run(c)).isEqualTo(Check.Outcome.pass(
                "swarm.nodes lists no nodes; 4 nodes not compared"));
    }

    @Test
    void allReadyThreeManagersTolerateOneFailure() throws Exception {
        CheckContext c = context(threeManagers("ready", "reachable"), "", "");

        assertThat(ClusterChecks.nodesReady().run(c))
                .isEqualTo(Check.Outcome.pass("4 nodes (3 managers, 1 worker), all ready"));
        assertThat(ClusterChecks.quorum().run(c)).isEqualTo(Check.Outcome.pass("3 managers, tolerates 1 failure"));
    }

    @Test
    void aManagerThatLostTheQuorumFailsEveryClusterCheckInTheEnginesWords() throws Exception {
        FakeEngine engine = threeManagers("down", "unreachable");
        engine.addNode(new NodeSummary("m4", "manager-4", "manager", "active", "down", "192.0.2.13", false,
                "unreachable", "27.3.1", Map.of(), 1));
        CheckContext c = context(engine, "", "");

        Check.Outcome quorum = ClusterChecks.quorum().run(c);

        assertThat(quorum.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(quorum.evidence()).startsWith("quorum lost: this manager lists no nodes: ")
                .contains("The swarm does not have a leader");
        assertThat(ClusterChecks.nodesReady().run(c).verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        // the same refusal reaching Verification from any check on a manager fails, it is no worker's skip
        Check lists = new NamedCheck("lists-services", "unit", "R11.1", "asks a manager", k ->
                Check.Outcome.pass(k.engine().get().orElseThrow().services(Map.of()).size() + " services"));
        assertThat(Verification.run(List.of(lists), c, r -> { }).get(0).verdict())
                .isEqualTo(CheckResult.Verdict.FAIL);
    }

    @Test
    void quorumCountsReachableManagersAgainstAMajority() {
        List<NodeSummary> lost = List.of(node("a", "a", "manager", "ready", "reachable"),
                node("b", "b", "manager", "down", "unreachable"), node("c", "c", "manager", "down", "unreachable"));
        assertThat(ClusterChecks.quorum(lost)).isEqualTo(Check.Outcome.fail("quorum lost: 1 of 3 managers reachable, "
                + "2 needed; unreachable: b (down, unreachable), c (down, unreachable)"));
        assertThat(ClusterChecks.quorum(List.of(node("a", "a", "manager", "ready", "reachable"))))
                .isEqualTo(Check.Outcome.pass("1 manager, tolerates 0 failures"));
        List<NodeSummary> oneManagerTwoWorkers = List.of(node("a", "a", "manager", "ready", "reachable"),
                node("w", "w", "worker", "ready", ""), node("v", "v", "worker", "ready", ""));
        assertThat(ClusterChecks.quorum(oneManagerTwoWorkers).evidence()).isEqualTo("1 manager, tolerates 0 failures; "
                + "WARNING: losing one more manager loses the quorum (3 managers tolerate 1 failure)");
        List<NodeSummary> five = List.of(node("a", "a", "manager", "ready", "reachable"),
                node("b", "b", "manager", "ready", "reachable"), node("c", "c", "manager", "ready", "reachable"),
                node("d", "d", "manager", "ready", "reachable"), node("e", "e", "manager", "down", "unreachable"));
        assertThat(ClusterChecks.quorum(five).evidence()).startsWith("5 managers, tolerates 1 failure;");
    }

    static SwarmNode declared(String name, String address, NodeRole role, Map<String, String> labels,
                              NodeAvailability availability) {
        return new SwarmNode(name, HostAddress.parse(address), role, Optional.ofNullable(labels),
                Optional.ofNullable(availability));
    }

    @Test
    void theNodesAreHeldToSwarmNodesRoleLabelsAvailabilityMissingAndExtra() {
        List<NodeSummary> nodes = List.of(
                new NodeSummary("1", "fake-host", "manager", "active", "ready", "192.0.2.10", true, "reachable", "",
                        Map.of(), 1),
                new NodeSummary("2", "manager-2", "worker", "drain", "ready", "192.0.2.11", false, "", "",
                        Map.of("zone", "b"), 1),
                new NodeSummary("3", "stray", "worker", "active", "ready", "192.0.2.99", false, "", "", Map.of(), 1));
        List<SwarmNode> spec = List.of(
                declared("fake-host", "192.0.2.10", NodeRole.MANAGER, null, null),
                declared("manager-2", "192.0.2.11", NodeRole.MANAGER, Map.of("zone", "a"), null),
                declared("worker-9", "192.0.2.29", NodeRole.WORKER, null, NodeAvailability.DRAIN));

        Check.Outcome o = ClusterChecks.asSpec(spec, nodes);

        assertThat(o).isEqualTo(Check.Outcome.fail("3 differences from swarm.nodes: worker-9 (192.0.2.29) is not in "
                + "the swarm: run 'kiban swarm join' on it; stray (192.0.2.99, worker, ready) is in the swarm but not "
                + "in swarm.nodes; manager-2: promote to manager, availability drain -> active, labels {zone=b} -> "
                + "{zone=a} ('kiban swarm apply')"));
        assertThat(ClusterChecks.asSpec(spec.subList(0, 1), nodes.subList(0, 1)))
                .isEqualTo(Check.Outcome.pass("1 node as swarm.nodes lists them"));
    }

    @Test
    void theSpecsNodesAreReadFromItsYaml() throws Exception {
        FakeEngine engine = threeManagers("ready", "reachable");
        Check.Outcome o = ClusterChecks.nodesAsSpec().run(context(engine, NODES, ""));

        assertThat(o).isEqualTo(Check.Outcome.fail("1 difference from swarm.nodes: manager-3 (192.0.2.12, manager, "
                + "ready) is in the swarm but not in swarm.nodes"));
    }
}
