package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.EngineApiException;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.NotSwarmManagerException;
import dev.kiban.engine.Swarm;
import dev.kiban.engine.TaskSummary;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Metric;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.FakePrograms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node-down rule and the replicas message over a three-node swarm in memory: the collector's listing, the
 * evaluator's signals and the alert book's notifications, as one agent sweep moves them.
 */
class NodeMonitoringTest {
    static final AlertPolicy NODE_DOWN = new AlertPolicy("node-down", Metric.NODE_DOWN, 0, 0, Duration.ZERO,
            Duration.ofHours(4), 3, Duration.ofMinutes(10), List.of("discord"));
    static final AlertPolicy REPLICAS = new AlertPolicy("replicas-missing", Metric.REPLICAS, 0, 0,
            Duration.ofMinutes(2), Duration.ofHours(4), 3, Duration.ofMinutes(10), List.of("discord"));
    static final Instant T0 = Instant.parse("2026-12-05T02:00:00Z");

    @TempDir
    Path dir;
    final FakeEngine engine = new FakeEngine();
    final List<AlertPolicy> policies = List.of(NODE_DOWN, REPLICAS);
    final Evaluator evaluator = new Evaluator(policies);
    final AlertBook book = new AlertBook(policies, "ws1");
    Collector collector;
    Instant now = T0;

    static NodeSummary worker(String id, String host, String address, String availability, String state) {
        return new NodeSummary(id, host, "worker", availability, state, address, false);
    }

    static NodeSummary manager(String id, String host, String address, String state, String reachability) {
        return new NodeSummary(id, host, "manager", "active", state, address, false, reachability, "27.3.1",
                Map.of(), 1);
    }

    /** This engine is the swarm's manager (the fake's own node, fake-host), with two workers: ws2 and ws3. */
    FakeEngine threeNodes() {
        engine.asManager(List.of("10.0.0.0/8"), 24);
        engine.addNode(worker("n2", "ws2", "192.168.200.12", "active", "ready"));
        engine.addNode(worker("n3", "ws3", "192.168.200.13", "active", "ready"));
        return engine;
    }

    /** What the managers now say of a node. */
    void set(NodeSummary node) {
        engine.removeNode(node.id(), true);
        engine.addNode(node);
    }

    Collector collector(Swarm swarm) {
        collector = new Collector(engine, swarm, new CgroupFiles(dir.resolve("cgroup")), new HostFacts(4, 8L << 30),
                List.of(), null, FakePrograms.none());
        return collector;
    }

    @AfterEach
    void close() {
        if (collector != null) collector.close();
    }

    /** One agent sweep: collect, evaluate, update the book; the lines it would send. */
    List<String> sweep() {
        Sweep s = collector.sweep(false);
        // as the agent does: a follower's agent raises no cluster alert
        List<Signal> signals = evaluator.all(s, new ContainerTracker());
        if (!collector.leading()) signals = evaluator.asFollower(signals);
        List<Notification> out = book.update(now, signals, evaluator.evaluated(s), List.of());
        now = now.plusSeconds(30);
        return out.stream().flatMap(n -> n.lines().stream()).toList();
    }

    @Test
    void aNodeGoingDownIsOneAlertNamingItAndResolvesWhenItIsBack() {
        collector(threeNodes());
        assertThat(sweep()).isEmpty();

        set(worker("n3", "ws3", "192.168.200.13", "active", "down"));
        assertThat(sweep()).containsExactly("FIRING   node-down/node:ws3: node ws3 (192.168.200.13, worker) is down");
        assertThat(book.alerts()).singleElement().extracting(a -> a.key().subject()).isEqualTo("node:ws3");
        assertThat(sweep()).as("told once").isEmpty();

        set(worker("n3", "ws3", "192.168.200.13", "active", "ready"));
        assertThat(sweep()).containsExactly("RESOLVED node-down/node:ws3: node ws3 (192.168.200.13, worker) is ready");
        assertThat(book.alerts()).isEmpty();
    }

    @Test
    void onlyTheLeadersAgentRaisesClusterAlertsAndAFollowerResolvesWhatItRaisedWhileItLed() {
        collector(threeNodes());
        engine.addService("web", 2, Map.of());
        engine.leaderIs("ws2");
        set(worker("n3", "ws3", "192.168.200.13", "active", "down"));
        assertThat(sweep()).as("a follower: the leader's agent tells it, not this one").isEmpty();
        engine.leaderIs("fake-host");
        assertThat(sweep()).contains("FIRING   node-down/node:ws3: node ws3 (192.168.200.13, worker) is down");
        assertThat(evaluator.asFollower(List.of(Signal.condition(REPLICAS, "service:web", true, 0, "short"),
                Signal.condition(REPLICAS, "service:db", false, 1, "fine")))).extracting(Signal::level)
                .as("a follower's replicas may hold or resolve, never fire")
                .containsExactly(Signal.Level.HOLD, Signal.Level.CLEAR);
        // leadership moves on while the alerts fire: this agent still tells their end, and raises nothing new
        engine.leaderIs("ws2");
        set(worker("n2", "ws2", "192.168.200.12", "active", "down"));
        assertThat(sweep()).isEmpty();
        set(worker("n3", "ws3", "192.168.200.13", "active", "ready"));
        assertThat(sweep()).containsExactly(
                "RESOLVED node-down/node:ws3: node ws3 (192.168.200.13, worker) is ready");
    }

    @Test
    void unknownAndDisconnectedAreDownToo() {
        collector(threeNodes());
        set(worker("n2", "ws2", "192.168.200.12", "active", "unknown"));
        set(worker("n3", "ws3", "192.168.200.13", "active", "disconnected"));
        assertThat(sweep()).containsExactlyInAnyOrder(
                "FIRING   node-down/node:ws2: node ws2 (192.168.200.12, worker) is unknown",
                "FIRING   node-down/node:ws3: node ws3 (192.168.200.13, worker) is disconnected");
    }

    @Test
    void aNodeDrainedOnPurposeIsNoAlert() {
        collector(threeNodes());
        set(worker("n2", "ws2", "192.168.200.12", "drain", "ready"));
        Sweep s = collector.sweep(false);
        assertThat(evaluator.all(s, new ContainerTracker())).hasSize(3)
                .allSatisfy(x -> assertThat(x.level()).isEqualTo(Signal.Level.CLEAR));
        assertThat(sweep()).isEmpty();
        assertThat(book.alerts()).isEmpty();
        assertThat(evaluator.nodes(s.nodes().orElseThrow())).filteredOn(x -> x.key().subject().equals("node:ws2"))
                .singleElement().satisfies(x -> {
                    assertThat(x.level()).isEqualTo(Signal.Level.CLEAR);
                    assertThat(x.summary()).isEqualTo("node ws2 (192.168.200.12, worker) is ready, drained");
                });
    }

    @Test
    void aManagerTheOthersCannotReachIsDownThoughItSaysReady() {
        collector(threeNodes());
        // three managers, so one unreachable leaves the quorum (and the engine's answers) in place
        engine.addNode(manager("m3", "ws5", "192.168.200.15", "ready", "reachable"));
        engine.addNode(manager("m2", "ws4", "192.168.200.14", "ready", "unreachable"));
        assertThat(sweep()).containsExactly("FIRING   node-down/node:ws4: node ws4 (192.168.200.14, manager) is ready,"
                + " unreachable by the other managers");
        set(manager("m2", "ws4", "192.168.200.14", "ready", "reachable"));
        assertThat(sweep()).containsExactly("RESOLVED node-down/node:ws4: node ws4 (192.168.200.14, manager) is ready,"
                + " reachable");
    }

    @Test
    void aManagerDownSaysBothAndLeavesOutAnAddressTheEngineDoesNotKnow() {
        assertThat(Evaluator.node(NODE_DOWN, manager("m1", "ws1", "0.0.0.0", "down", "unreachable")).summary())
                .isEqualTo("node ws1 (manager) is down, unreachable by the other managers");
    }

    @Test
    void aNodeRemovedFromTheSwarmResolvesItsAlert() {
        collector(threeNodes());
        set(worker("n3", "ws3", "192.168.200.13", "active", "down"));
        assertThat(sweep()).hasSize(1);
        engine.removeNode("n3", false);
        assertThat(sweep()).containsExactly("RESOLVED node-down/node:ws3: gone (node:ws3 is no longer there)");
    }

    @Test
    void aHostThatJoinedAgainIsUpThoughItsOldEntryIsStillListedDown() {
        collector(threeNodes());
        set(worker("n3", "ws3", "192.168.200.13", "active", "down"));
        engine.addNode(worker("n3b", "ws3", "192.168.200.13", "active", "ready"));
        assertThat(sweep()).isEmpty();
        assertThat(MetricsText.render(collector.sweep(false), List.of(), 0, 0))
                .containsOnlyOnce("kiban_swarm_node_up{node=\"ws3\"} 1");
    }

    @Test
    void onAWorkerThereAreNoNodeAlertsAndNoFailure() {
        int[] listings = {0};
        Collector c = collector(counting(engine, "nodes", listings));
        Sweep s = c.sweep(false);
        assertThat(s.failures()).isEmpty();
        assertThat(s.nodes()).contains(List.of());
        assertThat(evaluator.all(s, new ContainerTracker())).isEmpty();
        c.sweep(false);
        assertThat(listings[0]).as("a worker is not asked every sweep").isEqualTo(1);
    }

    @Test
    void aNodeListingThatFailsIsASweepFailureAndResolvesNothing() {
        threeNodes();
        set(worker("n3", "ws3", "192.168.200.13", "active", "down"));
        boolean[] broken = {false};
        collector(failing(engine, "nodes", broken, () -> new EngineApiException(500, "raft is busy")));
        assertThat(sweep()).hasSize(1);

        broken[0] = true;
        Sweep s = collector.sweep(false);
        assertThat(s.failures()).containsExactly("nodes: raft is busy");
        assertThat(s.nodes()).isEmpty();
        assertThat(evaluator.evaluated(s)).containsExactly("replicas-missing");
        assertThat(book.update(now, evaluator.all(s, new ContainerTracker()), evaluator.evaluated(s), List.of()))
                .isEmpty();
        assertThat(book.alerts()).singleElement().extracting(Alert::state).isEqualTo(Alert.State.FIRING);
    }

    @Test
    void aManagerWhoseSwarmHasNoLeaderIsAFailureNotAWorker() {
        threeNodes();
        Collector c = collector(failing(engine, "nodes", new boolean[] {true},
                () -> new NotSwarmManagerException("The swarm does not have a leader.")));
        Sweep s = c.sweep(false);
        assertThat(s.failures()).containsExactly("nodes: The swarm does not have a leader.");
        assertThat(s.nodes()).isEmpty();
    }

    @Test
    void replicasMissingSaysWhereTheTasksFailedAndWhy() {
        threeNodes();
        String api = engine.addService("api", 3, Map.of());
        engine.addContainer("api.1", "running", Map.of("com.docker.swarm.service.id", api), List.of());
        engine.addTask(new TaskSummary("t1", api, 1, "running", "running", "", "2026-12-05T01:50:00Z", "c1", "n2"));
        engine.addTask(new TaskSummary("t2", api, 2, "shutdown", "running", "", "2026-12-05T01:55:00Z", "c2", "n3"));
        engine.addTask(new TaskSummary("t3", api, 3, "shutdown", "failed",
                "starting container failed: error mounting volume", "2026-12-05T01:58:00Z", "c3", "n2"));
        engine.addTask(new TaskSummary("t4", api, 3, "running", "pending", "", "2026-12-05T01:59:00Z", "", ""));
        set(worker("n3", "ws3", "192.168.200.13", "active", "down"));
        collector(engine);
        Sweep s = collector.sweep(false);
        assertThat(evaluator.all(s, new ContainerTracker()))
                .filteredOn(x -> x.key().subject().equals("service:api")).singleElement()
                .extracting(Signal::summary).isEqualTo("1 of 3 replicas running; tasks failed or shut down on ws2,"
                        + " ws3 (down); last error: starting container failed: error mounting volume");
    }

    @Test
    void onlyServicesShortOfReplicasHaveTheirTasksRead() {
        threeNodes();
        String full = engine.addService("web", 1, Map.of());
        engine.addContainer("web.1", "running", Map.of("com.docker.swarm.service.id", full), List.of());
        String shortOne = engine.addService("api", 2, Map.of());
        int[] reads = {0};
        Sweep s = collector(counting(engine, "tasks", reads)).sweep(false);
        assertThat(reads[0]).isEqualTo(1);
        assertThat(s.tasks()).containsOnlyKeys(shortOne);
        assertThat(evaluator.all(s, new ContainerTracker()))
                .filteredOn(x -> x.key().subject().equals("service:api")).singleElement()
                .extracting(Signal::summary).isEqualTo("0 of 2 replicas running");
    }

    @Test
    void theAgentReadsTheNodesBetweenSweeps() throws Exception {
        collector(threeNodes());
        StringWriter log = new StringWriter();
        MonitorState state = new MonitorState(dir.resolve("state"));
        try (MonitorAgent agent = new MonitorAgent(engine, () -> engine, collector, policies, Map.of(), state, "ws1",
                Clock.fixed(T0, ZoneOffset.UTC), new PrintWriter(log))) {
            agent.checkNodes();
            assertThat(agent.alerts()).isEmpty();
            set(worker("n3", "ws3", "192.168.200.13", "active", "down"));
            agent.checkNodes();
            assertThat(agent.alerts()).singleElement().satisfies(a -> {
                assertThat(a.key()).isEqualTo(new AlertKey("node-down", "node:ws3"));
                assertThat(a.state()).isEqualTo(Alert.State.FIRING);
                assertThat(a.summary()).isEqualTo("node ws3 (192.168.200.13, worker) is down");
            });
            assertThat(log.toString()).contains("FIRING   node-down/node:ws3: node ws3 (192.168.200.13, worker) is down"
                    + " -> discord");
            assertThat(state.outbox().count()).isEqualTo(1);
            set(worker("n3", "ws3", "192.168.200.13", "active", "ready"));
            agent.checkNodes();
            assertThat(agent.alerts()).isEmpty();
        }
    }

    @Test
    void onAWorkerTheAgentsNodeCheckSaysNothing() throws Exception {
        collector(engine);
        StringWriter log = new StringWriter();
        MonitorState state = new MonitorState(dir.resolve("state"));
        try (MonitorAgent agent = new MonitorAgent(engine, () -> engine, collector, policies, Map.of(), state, "ws1",
                Clock.fixed(T0, ZoneOffset.UTC), new PrintWriter(log))) {
            agent.checkNodes();
            assertThat(agent.alerts()).isEmpty();
            assertThat(log.toString()).isEmpty();
        }
    }

    /**
     * The budget: with the default spec a node whose engine stops is alerted within 30 s. The managers
     * mark it down after missed heartbeats (15 s at most); the agent reads the nodes every NODE_CHECK; the rule
     * waits its {@code for}.
     */
    @Test
    void theDefaultSpecAlertsANodeDownWithinThirtySecondsOfItsEngineStopping() {
        SpecDocument doc = SpecDocument.parse("kiban.yaml", """
                admin: {email: ops@example.org}
                security: {ssh: {allowUsers: [deploy]}}
                monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
                """, false);
        assertThat(doc.problems()).as(doc.problems().toString()).noneMatch(dev.kiban.spec.Problem::isError);
        PlatformSpec spec = doc.spec().orElseThrow();
        AlertPolicy rule = AlertPolicy.of(spec).stream().filter(p -> p.metric() == Metric.NODE_DOWN).findFirst()
                .orElseThrow();
        assertThat(rule.name()).isEqualTo("node-down");
        Duration heartbeats = Duration.ofSeconds(15);
        Duration check = MonitorAgent.NODE_CHECK.compareTo(spec.monitor().interval().duration()) < 0
                ? MonitorAgent.NODE_CHECK : spec.monitor().interval().duration();
        // 20 s: 10 s are left for the notification to go out
        assertThat(heartbeats.plus(check).plus(rule.forDuration())).isLessThanOrEqualTo(Duration.ofSeconds(20));
    }

    /** {@code swarm} answering as {@code engine} but counting the calls of {@code method}. */
    static Swarm counting(FakeEngine engine, String method, int[] calls) {
        return proxy(engine, (name, args) -> {
            if (name.equals(method)) calls[0]++;
            return null;
        });
    }

    /** {@code swarm} answering as {@code engine}, but {@code method} throws while {@code broken[0]}. */
    static Swarm failing(FakeEngine engine, String method, boolean[] broken,
                         java.util.function.Supplier<RuntimeException> failure) {
        return proxy(engine, (name, args) -> {
            if (name.equals(method) && broken[0]) throw failure.get();
            return null;
        });
    }

    private static Swarm proxy(FakeEngine engine, java.util.function.BiFunction<String, Object[], Object> before) {
        return (Swarm) Proxy.newProxyInstance(Swarm.class.getClassLoader(), new Class<?>[] {Swarm.class},
                (p, m, args) -> {
                    before.apply(m.getName(), args);
                    try {
                        return m.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
