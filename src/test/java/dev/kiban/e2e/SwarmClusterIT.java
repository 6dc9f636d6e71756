package dev.kiban.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiban.os.Wait;
import dev.kiban.testing.DiscordReceiver;
import dev.kiban.testing.Prerequisite;
import dev.kiban.testing.RigHosts.Exec;
import dev.kiban.testing.RigHosts.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A Swarm of three real hosts (issue 13): Debian 13 hosts whose PID 1 is systemd, each with its own dockerd,
 * the kiban package and {@code kiban apply} (so each has kiban's firewall), on one rig network. sw1 starts the
 * swarm, sw2 and sw3 join through kiban; a fourth host takes the Raft backup's restore and an outsider on the same
 * network checks that the Swarm ports are closed to it. Alerts go to the Discord stand-in on this machine through
 * a forwarder on sw1's loopback (the agent sends plain http to loopback only). The steps build on each other.
 */
class SwarmClusterIT extends RigSteps {

    static final String SUITE = "trixie";
    static final String STACK = "src/test/resources/stacks/cluster/cluster.yml";
    static final int FORWARD_PORT = 18099;

    String network;
    Host sw1;
    Host sw2;
    Host sw3;
    Host sw4;
    Host outsider;
    final Map<String, String> ip = new LinkedHashMap<>();
    DiscordReceiver discord;
    String spec;
    /** What the closing note reports: how long each operation took here. */
    final Map<String, String> times = new LinkedHashMap<>();

    @BeforeAll
    void fourHostsAndAnOutsider() throws Exception {
        Path deb = Path.of(System.getenv().getOrDefault("KIBAN_DEB", "target/kiban.deb"));
        Prerequisite.require(Files.isRegularFile(deb), "no package at " + deb + ": build it with mvn package");
        network = RIG.network("swarm-cluster");
        discord = new DiscordReceiver(RIG.gateway(network));
        List<Host> hosts = parallel(List.of(
                () -> RIG.start("sw1", SUITE, "engine", network, "/data", "/mnt/backup"),
                () -> RIG.start("sw2", SUITE, "engine", network, "/data", "/mnt/backup"),
                () -> RIG.start("sw3", SUITE, "engine", network, "/data", "/mnt/backup"),
                () -> RIG.start("sw4", SUITE, "engine", network, "/data", "/mnt/backup"),
                () -> RIG.start("sw-outsider", SUITE, "bare", network)));
        sw1 = hosts.get(0);
        sw2 = hosts.get(1);
        sw3 = hosts.get(2);
        sw4 = hosts.get(3);
        outsider = hosts.get(4);
        for (Host h : nodes()) ip.put(name(h), h.ip(network));
        ip.put("sw-outsider", outsider.ip(network));
        parallel(nodes().stream().<Callable<Void>>map(h -> () -> {
            h.copyIn(deb, "/var/tmp/kiban.deb");
            Exec install = h.exec(Duration.ofMinutes(5), "apt-get", "install", "-y", "/var/tmp/kiban.deb");
            assertThat(install.ok()).as(install.both()).isTrue();
            h.loadImage("kiban-test/web:latest");
            h.loadImage("kiban-test/base:latest");
            return null;
        }).toList());
    }

    @AfterAll
    void stopServersAndReportTimes() {
        if (discord != null) discord.close();
        System.out.println("swarm cluster times on the rig: " + times);
    }

    List<Host> nodes() {
        return List.of(sw1, sw2, sw3, sw4);
    }

    static String name(Host h) {
        return h.container().replace("kiban-rig-", "");
    }

    static Exec kibanOk(Host h, String... args) {
        Exec e = kiban(h, args);
        assertThat(e.ok()).as("kiban " + String.join(" ", args) + " on " + name(h) + ":\n" + e.both()).isTrue();
        return e;
    }

    static <T> List<T> parallel(List<Callable<T>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> c : work) futures.add(pool.submit(c));
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof Error err) throw err;
                    throw (Exception) e.getCause();
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The spec every node has: sw1 manager, sw2 (storage=hdd) and sw3 workers, the Swarm ports open to them only. */
    String spec(String sw2Role, String sw3Role) {
        return spec(sw2Role, sw3Role, "");
    }

    /** The spec, with {@code more} nodes after the three. */
    String spec(String sw2Role, String sw3Role, String more) {
        String nodes = "[{name: sw1, address: " + ip.get("sw1") + ", role: manager}, "
                + "{name: sw2, address: " + ip.get("sw2") + ", role: " + sw2Role + ", labels: {storage: hdd}}, "
                + "{name: sw3, address: " + ip.get("sw3") + ", role: " + sw3Role + "}" + more + "]";
        String nodeNetworks = "[" + ip.get("sw1") + "/32, " + ip.get("sw2") + "/32, " + ip.get("sw3") + "/32, "
                + ip.get("sw4") + "/32]";
        return spec.replace("nodeNetworks: []", "nodeNetworks: " + nodeNetworks)
                .replace("joinToken: null", "joinToken: file:/etc/kiban/swarm-join")
                .replace("nodes: []", "nodes: " + nodes);
    }

    @Test
    @Order(1)
    void everyNodeIsAppliedWithTheSameSpec() throws Exception {
        kibanOk(sw1, "spec", "init", SPEC);
        String hardNofile = sw1.execOk("sh", "-c", "ulimit -Hn").strip();
        String webhook = discord.webhookUrl().replaceFirst("http://[^/]+/", "http://127.0.0.1:" + FORWARD_PORT + "/");
        spec = sw1.read(SPEC)
                .replace("<admin e-mail address>", "ops@example.test")
                .replace("<Discord webhook URL>", "file:/etc/kiban/discord-webhook")
                .replace("<ssh user>", "deploy")
                .replace("interval: 30s", "interval: 5s")
                // the design waits 2 m before a missing replica alerts; the test does not wait that long
                .replace("{name: replicas-missing, metric: replicas, for: 2m,",
                        "{name: replicas-missing, metric: replicas, for: 5s,")
                .replace("nofile: {soft: 64000, hard: 64000}", "nofile: {soft: " + hardNofile + ", hard: "
                        + hardNofile + "}");
        String forwardTo = RIG.gateway(network) + ":" + discord.webhookUrl().replaceFirst("^http://[^:]+:(\\d+)/.*",
                "$1");
        parallel(nodes().stream().<Callable<Void>>map(h -> () -> {
            h.execOk("mkdir", "-p", "/etc/kiban");
            h.write(SPEC, spec("worker", "worker"));
            h.write("/etc/kiban/discord-webhook", webhook + "\n");
            h.execOk("chmod", "600", SPEC, "/etc/kiban/discord-webhook");
            operatorWithKey(h);
            // the agent's webhook is on loopback; socat carries it to the stand-in on this machine
            h.execOk("systemd-run", "--unit", "discord-forward", "socat",
                    "TCP-LISTEN:" + FORWARD_PORT + ",bind=127.0.0.1,fork,reuseaddr", "TCP:" + forwardTo);
            Exec apply = kiban(h, "apply", "--yes");
            assertThat(apply.ok()).as(name(h) + ": " + apply.both()).isTrue();
            return null;
        }).toList());
        for (Host h : nodes()) {
            assertThat(h.execOk("docker", "info", "--format", "{{.LiveRestoreEnabled}} {{.Swarm.LocalNodeState}}")
                    .strip()).isEqualTo("false inactive");
        }
    }

    @Test
    @Order(2)
    void sw1StartsTheSwarmAndTwoHostsJoinThroughKiban() throws Exception {
        kibanOk(sw1, "swarm", "init", "--yes");
        String joinCommand = sw1.read("/root/.docker-swarm-token");
        for (Host h : List.of(sw2, sw3)) {
            h.write("/etc/kiban/swarm-join", joinCommand);
            h.execOk("chmod", "600", "/etc/kiban/swarm-join");
            long start = System.nanoTime();
            Exec join = kibanOk(h, "swarm", "join", "--yes");
            times.put("join " + name(h), String.format("%.1f s", (System.nanoTime() - start) / 1e9));
            assertThat(join.out()).contains(name(h) + " joined the swarm as a worker");
            assertThat(join.both()).doesNotContain("SWMTKN");
        }
        Exec again = kibanOk(sw2, "swarm", "join", "--yes");
        assertThat(again.out()).contains("already a node of this swarm; nothing to do");

        Exec drift = kiban(sw1, "swarm", "status");
        assertThat(drift.exit()).as(drift.both()).isEqualTo(1);
        assertThat(drift.out()).contains("drift: sw2: labels {} -> {storage=hdd}");
        Exec apply = kibanOk(sw1, "swarm", "apply", "--yes");
        assertThat(apply.out()).contains("1 manager (1 reachable): tolerates 0 manager failures");
        Exec status = kibanOk(sw1, "swarm", "status", "--json");
        JsonNode json = JSON.readTree(status.out());
        assertThat(json.path("nodes")).hasSize(3);
        for (JsonNode n : json.path("nodes")) {
            assertThat(n.path("state").asText()).as(n.toString()).isEqualTo("ready");
            assertThat(n.path("engineVersion").asText()).isNotEmpty();
        }
        assertThat(json.at("/drift")).isEmpty();
        Exec worker = kibanOk(sw3, "swarm", "status");
        assertThat(worker.out()).contains("this node is a worker; managers " + ip.get("sw1") + ":2377");
    }

    @Test
    @Order(3)
    void aWrongTokenAndBadSpecsAreRefusedBeforeAnythingChanges() {
        String withSw4 = spec("worker", "worker", ", {name: sw4, address: " + ip.get("sw4") + ", role: worker}");
        assertThat(withSw4).contains("name: sw4");
        sw4.write(SPEC, withSw4);
        String wrong = "SWMTKN-1-" + "0".repeat(50) + "-" + "x".repeat(25);
        sw4.write("/etc/kiban/swarm-join", wrong + "\n");
        sw4.execOk("chmod", "600", "/etc/kiban/swarm-join");
        Exec join = kiban(sw4, "swarm", "join", "--yes");
        assertThat(join.exit()).as(join.both()).isEqualTo(1);
        assertThat(join.err()).contains("swarm.joinToken").contains("nothing changed on this host");
        assertThat(join.both()).doesNotContain(wrong);
        assertThat(sw4.execOk("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").strip())
                .isEqualTo("inactive");
        assertThat(sw4.exec("docker", "network", "inspect", "docker_gwbridge").ok())
                .as("the gateway bridge made for the join is gone again").isFalse();

        Map<String, String> bad = Map.of(
                "swarm.nodes[3].address", withSw4.replace("address: " + ip.get("sw4"), "address: 192.0.2.77"),
                "swarm.nodes[3].name", withSw4.replace("name: sw4", "name: sw3"),
                "swarm.defaultAddrPool[0]", withSw4.replace("nodeNetworks: [", "nodeNetworks: [10.20.7.0/24, "));
        bad.forEach((key, yaml) -> {
            sw4.write("/var/tmp/bad.yaml", yaml);
            sw4.execOk("chmod", "600", "/var/tmp/bad.yaml");
            Exec refused = sw4.exec("kiban", "-c", "/var/tmp/bad.yaml", "swarm", "join", "--node", "sw4", "--yes");
            assertThat(refused.exit()).as(key + ": " + refused.both()).isEqualTo(2);
            assertThat(refused.err()).contains(key);
            assertThat(sw4.execOk("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").strip())
                    .isEqualTo("inactive");
        });
        sw4.write(SPEC, spec("worker", "worker"));
    }

    @Test
    @Order(4)
    void theSwarmPortsAnswerTheNodesAndNoOneElse() {
        for (int port : List.of(2377, 7946)) {
            assertThat(connects(sw2, ip.get("sw1"), port)).as("sw2 reaches sw1:" + port).isTrue();
            assertThat(connects(outsider, ip.get("sw1"), port)).as("the outsider reaches sw1:" + port).isFalse();
            assertThat(connects(outsider, ip.get("sw3"), 7946)).as("the outsider reaches sw3:7946").isFalse();
        }
    }

    /** Whether a TCP connection from {@code from} to address:port is accepted within 4 s. */
    static boolean connects(Host from, String address, int port) {
        return from.exec("timeout", "4", "bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port).ok();
    }

    @Test
    @Order(5)
    void aStackRunsAcrossTheNodesAndTheyReachEachOtherByName() throws Exception {
        sw1.copyIn(Path.of(STACK), "/var/tmp/cluster.yml");
        Exec deploy = kiban(sw1, "stack", "deploy", "cluster", "/var/tmp/cluster.yml", "--timeout", "180s");
        assertThat(deploy.exit()).as(deploy.both()).isZero();
        assertThat(deploy.out()).contains("cluster_probe 3/3 running");
        // the store runs where storage=hdd is: sw2
        assertThat(sw2.execOk("docker", "ps", "--filter", "label=com.docker.swarm.service.name=cluster_store",
                "--format", "{{.Names}}")).contains("cluster_store.1");
        // from sw3's probe, over the overlay (VXLAN between hosts), to every web task and the store by name
        String probe = sw3.execOk("docker", "ps", "-q", "--filter", "label=com.docker.swarm.service.name=cluster_probe")
                .strip();
        for (String service : List.of("web", "store")) {
            // busybox's wget crashes with -T: the exec's own timeout bounds it instead
            Wait.until(() -> sw3.exec(Duration.ofSeconds(10), "docker", "exec", probe, "wget", "-q", "-O", "-",
                    "http://" + service + ":8080/").out().contains("kiban test web"), Duration.ofSeconds(30),
                    "sw3's probe reaches " + service + " by name");
        }
    }

    @Test
    @Order(6)
    void verifyKnowsAWorkerFromAManagerAndProbesTheOverlayBetweenNodes() {
        Exec worker = kiban(sw3, "verify", "--only", "unit");
        System.out.println(worker.out());
        assertThat(worker.out()).containsPattern("(?m)^PASS unit +swarm-active .*worker")
                .containsPattern("(?m)^SKIP unit +swarm-quorum .*on a worker");
        Exec manager = kiban(sw1, "verify", "--only", "unit");
        System.out.println(manager.out());
        assertThat(manager.out()).containsPattern("(?m)^PASS unit +swarm-active")
                .containsPattern("(?m)^PASS unit +swarm-nodes-ready")
                .containsPattern("(?m)^PASS unit +swarm-quorum")
                .containsPattern("(?m)^PASS unit +swarm-nodes-as-spec");
        // doctor on a worker: the service is this node's containers of it
        Exec doctor = kiban(sw3, "doctor", "cluster_probe");
        assertThat(doctor.out()).as(doctor.both()).contains("on a worker: service cluster_probe has");
        // each node backs up its own volumes; a worker has no Swarm configs to read, and says so
        sw2.execOk("docker", "run", "--rm", "-v", "sw2-data:/d", "kiban-test/base:latest", "sh", "-c",
                "echo only-on-sw2 > /d/f");
        Exec backup = kiban(sw2, "backup", "run");
        assertThat(backup.ok()).as(backup.both()).isTrue();
        assertThat(backup.both()).contains("swarm: skipped, this engine is not a Swarm manager");
        Exec listing = kiban(sw2, "backup", "restore", "latest", "--source", "volume:sw2-data", "--target",
                "/var/tmp/sw2-restore");
        assertThat(listing.ok()).as(listing.both()).isTrue();
        assertThat(sw2.execOk("find", "/var/tmp/sw2-restore", "-name", "f", "-exec", "cat", "{}", "+"))
                .contains("only-on-sw2");
        Exec probe = kiban(sw1, "verify", "--only", "integration", "--probe-image", "kiban-test/base:latest",
                "--web-image", "kiban-test/web:latest", "--web-port", "8080", "--tool-image", "kiban-test/base:latest");
        System.out.println(probe.out());
        assertThat(probe.out()).containsPattern("(?m)^PASS integration +swarm-overlay");
        assertThat(sw1.execOk("docker", "service", "ls", "--format", "{{.Name}}")).doesNotContain("kiban-probe");
    }

    @Test
    @Order(7)
    void drainingMovesTheTasksOrSaysWhyNot() throws Exception {
        long start = System.nanoTime();
        Exec drain = kibanOk(sw1, "node", "drain", "sw3", "--timeout", "90s");
        times.put("drain sw3", String.format("%.1f s", (System.nanoTime() - start) / 1e9));
        assertThat(drain.out()).contains("sw3 drained in");
        assertThat(sw3.execOk("docker", "ps", "-q", "--filter", "label=com.docker.swarm.service.name").strip())
                .as("no task runs on the drained sw3").isEmpty();
        kibanOk(sw1, "node", "activate", "sw3");

        // the store may run only on sw2: draining sw2 leaves it nowhere to go, and the drain says so
        Exec stuck = kiban(sw1, "node", "drain", "sw2", "--timeout", "20s");
        assertThat(stuck.exit()).as(stuck.both()).isEqualTo(1);
        assertThat(stuck.err()).contains("sw2 is drained, but").contains("cluster_store: 0 of 1 running")
                .contains("no suitable node");
        awaitDiscord(m -> m.startsWith("FIRING") && m.contains("cluster_store"), "replicas-missing for the store");
        kibanOk(sw1, "node", "activate", "sw2");
        awaitDiscord(m -> m.startsWith("RESOLVED") && m.contains("cluster_store"),
                "replicas-missing resolved once the store runs again");
    }

    @Test
    @Order(8)
    void threeManagersKeepTheQuorumWhenOneStops() throws Exception {
        for (Host h : nodes()) h.write(SPEC, spec("manager", "manager"));
        Exec apply = kibanOk(sw1, "swarm", "apply", "--yes");
        assertThat(apply.out()).contains("sw2: promote to manager", "sw3: promote to manager",
                "3 managers (3 reachable): tolerates 1 manager failure");

        // a manager stopped seconds after its promotion may come back without the cluster's membership in its
        // Raft log ("unrecognized member", seen here): stop it once it serves the cluster itself, as an operator
        // would have long before
        for (Host h : List.of(sw2, sw3)) {
            Wait.steady(() -> h.exec("docker", "node", "ls", "--format", "{{.Hostname}} {{.ManagerStatus}}").out()
                    .lines().filter(l -> l.endsWith("Leader") || l.endsWith("Reachable")).count() == 3,
                    Duration.ofSeconds(10), Duration.ofSeconds(90), name(h) + " serving the cluster as a manager");
        }
        int before = discord.messages().size();
        long stopped = System.nanoTime();
        sw3.execOk("systemctl", "stop", "--job-mode=replace-irreversibly", "docker.socket", "docker.service");
        awaitDiscord(m -> m.startsWith("FIRING") && m.contains("sw3"), "node-down for sw3", before,
                Duration.ofSeconds(40));
        long detected = System.nanoTime();
        times.put("node-down alert after the engine stopped", String.format("%.1f s", (detected - stopped) / 1e9));
        assertThat(Duration.ofNanos(detected - stopped)).isLessThan(Duration.ofSeconds(30));

        Exec status = kiban(sw1, "swarm", "status");
        assertThat(status.out()).contains("3 managers (2 reachable): tolerates 0 more manager failures");
        assertThat(sw2.execOk("docker", "node", "ls")).as("the cluster still answers on sw2").contains("sw3");
        Wait.until(() -> sw1.execOk("docker", "service", "ls", "--format", "{{.Name}} {{.Replicas}}")
                .contains("cluster_web 2/2"), Duration.ofSeconds(60), "web's replicas run on sw1 and sw2");

        sw3.execOk("systemctl", "start", "docker.service");
        awaitDiscord(m -> m.startsWith("RESOLVED") && m.contains("sw3"), "node-down resolved", before,
                Duration.ofSeconds(90));
        Wait.until(() -> kiban(sw1, "swarm", "status").out().contains("3 managers (3 reachable)"),
                Duration.ofSeconds(60), "sw3 reachable again");
    }

    @Test
    @Order(9)
    void aBrokenImageRollsBackAndTheDeploySaysWhy() throws Exception {
        String broken = Files.readString(Path.of(STACK)).replaceFirst("image: kiban-test/web:latest",
                "image: kiban-test/web:broken");
        sw1.write("/var/tmp/broken.yml", broken);
        long start = System.nanoTime();
        Exec deploy = kiban(sw1, "stack", "deploy", "cluster", "/var/tmp/broken.yml", "--timeout", "180s");
        times.put("rolled-back update", String.format("%.1f s", (System.nanoTime() - start) / 1e9));
        assertThat(deploy.exit()).as(deploy.both()).isEqualTo(1);
        assertThat(deploy.both()).contains("cluster_web rolled back").contains("kiban-test/web:broken");
        Wait.until(() -> sw1.execOk("docker", "service", "inspect", "cluster_web", "--format",
                "{{.Spec.TaskTemplate.ContainerSpec.Image}} {{.UpdateStatus.State}}").strip()
                .equals("kiban-test/web:latest rollback_completed"), Duration.ofSeconds(60), "web back on its image");
    }

    @Test
    @Order(10)
    void theRaftIsBackedUpWithoutLosingTheQuorumAndRestoredOnAFreshHost() throws Exception {
        long start = System.nanoTime();
        Exec backup = kibanOk(sw1, "backup", "run", "--swarm-state", "--yes");
        times.put("Raft backup (engine stopped and started)", String.format("%.1f s", (System.nanoTime() - start)
                / 1e9));
        System.out.println(backup.out());
        Wait.until(() -> kiban(sw2, "swarm", "status").out().contains("3 managers (3 reachable)"),
                Duration.ofSeconds(60), "all three managers reachable after the backup");
        JsonNode list = JSON.readTree(kibanOk(sw1, "backup", "list", "--json").out());
        String snapshot = null;
        for (JsonNode snap : list.path("snapshots").isMissingNode() ? list : list.path("snapshots")) {
            if (snap.toString().contains("swarm-state")) snapshot = snap.path("id").asText();
        }
        assertThat(snapshot).as(list.toString()).isNotBlank();

        // the disaster the restore is for: every manager lost (a restored manager whose old peers still answer
        // rejoins them instead of starting a cluster of its own)
        parallel(List.of(sw1, sw2, sw3).stream().<Callable<String>>map(h -> () -> h.execOk("systemctl", "stop",
                "--job-mode=replace-irreversibly", "docker.socket", "docker.service")).toList());
        // the repository goes to the fresh host as a disk would: the whole tree
        pipe(List.of("docker", "exec", sw1.container(), "tar", "-C", "/mnt/backup", "-c", "docker"),
                List.of("docker", "exec", "-i", sw4.container(), "tar", "-C", "/mnt/backup", "-x"));
        start = System.nanoTime();
        Exec restore = kibanOk(sw4, "backup", "restore", snapshot, "--swarm-state", "--yes");
        times.put("Raft restore with --force-new-cluster", String.format("%.1f s", (System.nanoTime() - start)
                / 1e9));
        System.out.println(restore.out());
        assertThat(sw4.execOk("docker", "info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}")
                .strip()).isEqualTo("active true");
        assertThat(sw4.execOk("docker", "service", "ls", "--format", "{{.Name}}"))
                .contains("cluster_web", "cluster_store", "cluster_probe");
        Wait.until(() -> sw4.exec("docker", "ps", "--filter", "label=com.docker.swarm.service.name=cluster_web",
                "--format", "{{.Names}}").out().contains("cluster_web."), Duration.ofSeconds(90),
                "the restored cluster runs web on sw4");
    }

    /** {@code from}'s output into {@code to}'s input, as a shell pipe would, without a shell. */
    static void pipe(List<String> from, List<String> to) throws Exception {
        Process a = new ProcessBuilder(from).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Process b = new ProcessBuilder(to).redirectErrorStream(true).start();
        try (var in = a.getInputStream(); var out = b.getOutputStream()) {
            in.transferTo(out);
        }
        String said = new String(b.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(a.waitFor()).isZero();
        assertThat(b.waitFor()).as(said).isZero();
    }

    /** Each alert of a Discord message as "TITLE description" ("FIRING key …" or "RESOLVED key …"). */
    static java.util.stream.Stream<String> embeds(JsonNode message) {
        List<String> out = new ArrayList<>();
        message.path("embeds").forEach(e -> out.add(e.path("title").asText() + " " + e.path("description").asText()));
        return out.stream();
    }

    private void awaitDiscord(java.util.function.Predicate<String> what, String description) throws Exception {
        awaitDiscord(what, description, 0, Duration.ofSeconds(60));
    }

    private void awaitDiscord(java.util.function.Predicate<String> what, String description, int from,
                              Duration timeout) throws Exception {
        try {
            Wait.until(() -> discord.messages().stream().skip(from).flatMap(SwarmClusterIT::embeds).anyMatch(what),
                    timeout, description);
        } catch (Wait.TimedOut e) {
            List<String> titles = discord.messages().stream().flatMap(SwarmClusterIT::embeds)
                    .filter(t -> !t.contains("kiban-verify")).toList();
            throw new AssertionError(e.getMessage() + "; received: " + titles + "\n"
                    + sw1.exec("docker", "node", "ls").both() + sw3.exec("systemctl", "status", "--no-pager", "-n", "5",
                    "docker").both() + sw1.exec("sh", "-c", "journalctl -u kiban-monitor --no-pager | grep -v "
                    + "kiban-verify | tail -n 30").both(), e);
        }
    }
}
