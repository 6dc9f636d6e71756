package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.TaskSummary;
import dev.kiban.testing.FakeEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** swarm join / apply / status and node drain as an operator runs them, against the fake engine. */
class SwarmNodesCommandTest {
    static final String TOKEN = "SWMTKN-1-" + "4".repeat(50) + "-" + "q".repeat(25);
    static final String FAKE_TOKEN = "SWMTKN-1-fake" + "0".repeat(40) + "-" + "w".repeat(25);

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    Run run(FakeEngine engine, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine(new KibanContext(env, a -> engine));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    Path spec(String token) throws Exception {
        Path spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, CommandLineTest.FILLED + """
                swarm:
                  nodeNetworks: [192.168.10.0/24]
                  joinToken: %s
                  nodes:
                    - {name: ws1, address: 192.168.10.11, role: manager}
                    - {name: ws2, address: 192.168.10.12, role: worker, labels: {storage: hdd}}
                """.formatted(token));
        Files.setPosixFilePermissions(spec, PosixFilePermissions.fromString("rw-------"));
        return spec;
    }

    @Test
    void joinReadsTheTokenFromTheEnvironmentJoinsAsTheSpecSaysAndNeverPrintsIt() throws Exception {
        FakeEngine engine = new FakeEngine().remote();
        Path spec = spec("env:SWARM_TOKEN");
        Run dry = run(engine, Map.of("SWARM_TOKEN", FAKE_TOKEN), "-c", spec.toString(), "swarm", "join", "--node",
                "ws2");
        assertThat(dry.exit()).isNotZero();
        assertThat(dry.out()).contains("would join [192.168.10.11:2377] as ws2 (worker)");
        assertThat(engine.swarm().active()).isFalse();

        Run r = run(engine, Map.of("SWARM_TOKEN", FAKE_TOKEN), "-c", spec.toString(), "swarm", "join", "--node",
                "ws2", "--yes");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ws2 joined the swarm as a worker");
        assertThat(r.out() + r.err()).doesNotContain(FAKE_TOKEN);
        assertThat(engine.lastJoin().orElseThrow().token()).isEqualTo(FAKE_TOKEN);
        assertThat(engine.lastJoin().orElseThrow().advertiseAddress()).isEqualTo("192.168.10.12");
        assertThat(engine.network("docker_gwbridge")).isPresent();

        Run again = run(engine, Map.of("SWARM_TOKEN", FAKE_TOKEN), "-c", spec.toString(), "swarm", "join", "--node",
                "ws2", "--yes");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("already a node of this swarm; nothing to do");
    }

    @Test
    void aTokenTheSwarmRefusesLeavesTheHostAsItWasAndIsNeverShown() throws Exception {
        FakeEngine engine = new FakeEngine().remote();
        Path file = dir.resolve("token");
        Files.writeString(file, "docker swarm join --token " + TOKEN + " 192.168.10.11:2377\n");
        Run r = run(engine, Map.of(), "-c", spec("file:" + file).toString(), "swarm", "join", "--node", "ws2",
                "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("swarm.joinToken").contains("A valid join token is necessary")
                .contains("nothing changed");
        assertThat(r.out() + r.err()).doesNotContain(TOKEN);
        assertThat(engine.swarm().active()).isFalse();
        assertThat(engine.network("docker_gwbridge")).isEmpty();
    }

    @Test
    void aSecretThatHoldsNoTokenIsRefusedBeforeAnythingChanges() throws Exception {
        FakeEngine engine = new FakeEngine().remote();
        Run r = run(engine, Map.of("SWARM_TOKEN", "hunter2-password"), "-c", spec("env:SWARM_TOKEN").toString(),
                "swarm", "join", "--node", "ws2", "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("swarm.joinToken: env:SWARM_TOKEN holds no Swarm join token");
        assertThat(r.err()).doesNotContain("hunter2");
        assertThat(engine.network("docker_gwbridge")).isEmpty();
    }

    @Test
    void applyLabelsTheJoinedWorkerAndStatusShowsNodesQuorumAndDrift() throws Exception {
        FakeEngine engine = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
        engine.addNode(new NodeSummary("n2", "ws2", "worker", "active", "ready", "192.168.10.12", false, "", "26.1.5",
                Map.of(), 3));
        Path spec = spec("env:T").getParent().resolve("kiban.yaml");
        Files.writeString(spec, Files.readString(spec).replace("name: ws1, address: 192.168.10.11",
                "name: fake-host, address: 192.0.2.10")
                .replace("[192.168.10.0/24]", "[192.168.10.0/24, 192.0.2.0/24]"));
        Run status = run(engine, Map.of(), "-c", spec.toString(), "swarm", "status");
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.out()).contains("Quorum       1 manager (1 reachable): tolerates 0 manager failures")
                .contains("drift: ws2: labels {} -> {storage=hdd} ('kiban swarm apply')");

        Run apply = run(engine, Map.of(), "-c", spec.toString(), "swarm", "apply", "--yes");
        assertThat(apply.exit()).as(apply.err()).isZero();
        assertThat(engine.nodes()).filteredOn(n -> n.hostname().equals("ws2")).singleElement()
                .satisfies(n -> assertThat(n.labels()).isEqualTo(Map.of("storage", "hdd")));
        Run after = run(engine, Map.of(), "-c", spec.toString(), "swarm", "status");
        assertThat(after.exit()).as(after.out()).isZero();
        assertThat(after.out()).contains("Drift        none").containsPattern("ws2 +worker +- +active +ready");
    }

    @Test
    void aNodeNameWithControlCharactersIsShownEscapedNotPassedToTheTerminal() {
        FakeEngine engine = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
        Run r = run(engine, Map.of(), "node", "drain", "ws9\u001b[2J");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("\u001b").contains("no node \"ws9");
    }

    @Test
    void drainWaitsForTheTasksToLeaveAndActivateSaysHowToSpreadThemAgain() {
        FakeEngine engine = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
        engine.addNode(new NodeSummary("n2", "ws2", "worker", "active", "ready", "192.168.10.12", false, "", "26",
                Map.of(), 3));
        String web = engine.addService("web", 1, Map.of());
        engine.addTask(new TaskSummary("t1", web, 1, "running", "running", "", "2026-12-05T10:00:00Z", "c1", "n2"));
        Run drain = run(engine, Map.of(), "node", "drain", "ws2", "--timeout", "2s");
        // the fake's orchestrator shuts the task down but starts no replacement: the drain says why
        assertThat(drain.exit()).isEqualTo(1);
        assertThat(drain.err()).contains("ws2 is drained, but after 2.0 s not every task runs elsewhere")
                .contains("web: 0 of 1 running");
        assertThat(engine.nodes()).filteredOn(n -> n.hostname().equals("ws2")).singleElement()
                .satisfies(n -> assertThat(n.availability()).isEqualTo("drain"));
        Run activate = run(engine, Map.of(), "node", "activate", "ws2");
        assertThat(activate.exit()).isZero();
        assertThat(activate.out()).contains("ws2 is active").contains("docker service update --force");
        assertThat(run(engine, Map.of(), "node", "drain", "ws9").err()).contains("no node \"ws9\"")
                .contains("in the swarm")
                .contains("fake-host, ws2");
    }

    /** The engine-update window's steps: this host's node, drained and activated; alone, nothing to drain. */
    @Test
    void selfDrainsThisHostsNodeAndSaysWhyNotWhenItIsAlone() {
        FakeEngine alone = new FakeEngine();
        Run none = run(alone, Map.of(), "node", "drain", "--self");
        assertThat(none.exit()).isZero();
        assertThat(none.out()).contains("not in a swarm: nothing to drain; its containers restart with the engine");
        assertThat(run(alone, Map.of(), "node", "activate", "--self", "--wait", "5s").out())
                .contains("not in a swarm: nothing to activate");
        FakeEngine single = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
        assertThat(run(single, Map.of(), "node", "drain", "--self").out()).contains("the swarm's only node",
                "live-restore is off under Swarm, D1");
        assertThat(single.nodes()).singleElement().satisfies(n -> assertThat(n.availability()).isEqualTo("active"));

        FakeEngine cluster = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
        cluster.addNode(new NodeSummary("n2", "ws2", "worker", "active", "ready", "192.168.10.12", false, "", "26",
                Map.of(), 3));
        Run drain = run(cluster, Map.of(), "node", "drain", "--self", "--timeout", "2s");
        assertThat(drain.exit()).as(drain.err()).isZero();
        assertThat(drain.out()).contains("fake-host drained");
        assertThat(cluster.nodes()).filteredOn(n -> n.hostname().equals("fake-host")).singleElement()
                .satisfies(n -> assertThat(n.availability()).isEqualTo("drain"));
        Run activate = run(cluster, Map.of(), "node", "activate", "--self", "--wait", "5s");
        assertThat(activate.exit()).isZero();
        assertThat(cluster.nodes()).filteredOn(n -> n.hostname().equals("fake-host")).singleElement()
                .satisfies(n -> assertThat(n.availability()).isEqualTo("active"));
        assertThat(run(cluster, Map.of(), "node", "drain", "ws2", "--self").exit()).isEqualTo(2);
        assertThat(run(cluster, Map.of(), "node", "activate").exit()).isEqualTo(2);
    }

    /** An engine that does not answer after the window's restart: the node is not activated, exit 3. */
    @Test
    void activateSelfWaitsForTheEngineAndLeavesTheNodeDrainedWhenItDoesNotAnswer() {
        var cli = Main.commandLine(new KibanContext(Map.of(), a -> {
            throw new dev.kiban.engine.EngineUnavailableException("no engine at " + a);
        }));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute("node", "activate", "--self", "--wait", "3s")).isEqualTo(3);
        assertThat(err.toString()).contains("this node stays drained", "kiban node activate --self");
    }
}
