package dev.kiban.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ContainerHardening;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.FakePrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge: facts from a FakeEngine, files under a temporary root and {@code sshd -T} from FakePrograms. */
class AuditGathererTest {
    static final PlatformSpec SPEC = SpecDocument.parse("kiban.yaml", Recorded.SPEC, false).require();

    @TempDir
    Path root;
    /** Outside the host's root: where a planted link would lead. */
    @TempDir
    Path outside;

    Path write(String path, String text, String mode) throws IOException {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    static FakePrograms sshd(String output) {
        return FakePrograms.answering(List.of("sshd"), 0, output);
    }

    List<AuditResult> audit(FakeEngine engine, FakePrograms programs) {
        AuditFacts facts = AuditGatherer.gather(SPEC, () -> engine, programs, root);
        return Audit.run(Catalogue.all(), facts, List.of(), LocalDate.of(2026, 12, 5));
    }

    static AuditResult result(List<AuditResult> results, String id) {
        return results.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aWorkloadIsPlacedAtItsServiceLineAndAComposeFileThatIsALinkOrNotYamlIsNotRead() throws IOException {
        Path dir = Files.createDirectories(root.resolve("srv/compose/hello"));
        Files.writeString(dir.resolve("docker-compose.yml"), """
                # the hello stack
                services:
                  db:
                    image: postgres
                  web:
                    image: nginx
                """);
        String file = "/srv/compose/hello/docker-compose.yml";
        assertThat(AuditGatherer.composeServiceLine(root, file, "web")).contains(5);
        assertThat(AuditGatherer.composeServiceLine(root, file, "db")).contains(3);
        assertThat(AuditGatherer.composeServiceLine(root, file, "cache")).isEmpty();
        assertThat(AuditGatherer.composeServiceLine(root, "srv/compose/hello/docker-compose.yml", "web")).isEmpty();
        assertThat(AuditGatherer.composeServiceLine(root, "/srv/compose/../compose/hello/docker-compose.yml", "web"))
                .isEmpty();

        Files.createSymbolicLink(dir.resolve("link.yml"), dir.resolve("docker-compose.yml"));
        assertThat(AuditGatherer.composeServiceLine(root, "/srv/compose/hello/link.yml", "web")).isEmpty();
        Files.writeString(dir.resolve("broken.yml"), "services: [web\n");
        assertThat(AuditGatherer.composeServiceLine(root, "/srv/compose/hello/broken.yml", "web")).isEmpty();
        Files.writeString(dir.resolve("huge.yml"), "services:\n  web: {}\n" + "#".repeat(1 << 20));
        assertThat(AuditGatherer.composeServiceLine(root, "/srv/compose/hello/huge.yml", "web")).isEmpty();
    }

    @Test
    void readsTheHostAndTheEngine() throws IOException {
        write("/etc/docker/daemon.json", "{\"hosts\": [\"tcp://0.0.0.0:2375\"]}", "rw-r--r--");
        write("/var/run/docker.sock", "", "rw-rw-rw-");
        write("/proc/net/tcp", """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 00000000:0947 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1
                   1: 0100007F:0016 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2
                """, "r--r--r--");
        FakeEngine engine = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
        String id = engine.addContainer("portainer", "running", Map.of(), List.of(new ContainerSummary.Mount("bind",
                "", "/var/run/docker.sock", "/var/run/docker.sock")));
        engine.addContainer("old", "exited", Map.of(), List.of());
        FakePrograms programs = sshd(Recorded.GOOD_SSHD.replace("passwordauthentication no",
                "passwordauthentication yes"));

        List<AuditResult> results = audit(engine, programs);

        assertThat(result(results, "kiban.api.tcp").evidence()).contains("tcp://0.0.0.0:2375")
                .contains("port 2375");
        assertThat(result(results, "kiban.socket.mode").evidence()).contains("0666");
        assertThat(result(results, "5.32").evidence()).isEqualTo("1 of 1: portainer (/var/run/docker.sock)");
        assertThat(result(results, "5.11").evidence()).isEqualTo("1 of 1: portainer");
        assertThat(result(results, "kiban.ssh.password").status()).isEqualTo(Status.FAIL);
        assertThat(result(results, "2.15").status()).isEqualTo(Status.INFO);
        assertThat(programs.ran()).singleElement().satisfies(argv -> assertThat(argv)
                .containsExactly("/usr/bin/sshd", "-T", "-f", root.resolve("etc/ssh/sshd_config").toString()));
        assertThat(id).isNotEmpty();
    }

    @Test
    void readsTheEnginesImagesStoppedContainersOverlaysAndCluster() {
        FakeEngine engine = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24)
                .addImage("registry.example.org/old:1", java.time.Instant.parse("2026-01-10T00:00:00Z"))
                .addImage("registry.example.org/unused:1");
        engine.createNetwork("ingress", "overlay", "10.20.0.0/24", null, true, Map.of(), Map.of());
        engine.createNetwork("db_net", "overlay", "10.20.1.0/24", null, false, Map.of("encrypted", ""), Map.of());
        engine.addSecret("db_password", Map.of());
        engine.runContainer(new dev.kiban.engine.ContainerRequest("old", "registry.example.org/old:1",
                List.of("sleep", "300"), Map.of(), 0, 0, java.util.Optional.empty()));
        engine.addContainer("done", "exited", Map.of(), List.of());

        AuditFacts facts = AuditGatherer.gather(SPEC, () -> engine, sshd(Recorded.GOOD_SSHD), root);
        List<AuditResult> results = Audit.run(Catalogue.all(), facts, List.of(), LocalDate.of(2026, 12, 5));

        assertThat(facts.objects().get().stoppedContainers()).isEqualTo(1);
        assertThat(result(results, "6.1").evidence()).isEqualTo("3 images, 1 used by no container: "
                + "registry.example.org/unused:1 (at most 10 pass)"); // the exited one's base image is in use
        assertThat(result(results, "6.2").evidence()).isEqualTo("1 container not running (at most 25)");
        assertThat(result(results, "kiban.image.age").evidence()).startsWith("1 of 1: old (registry.example.org/"
                + "old:1, built 329 days ago)");
        assertThat(result(results, "kiban.image.pinned").status()).isEqualTo(Status.WARN);
        assertThat(result(results, "7.3").status()).isEqualTo(Status.WARN); // one node
        assertThat(result(results, "7.3").evidence()).contains("1 of 2").contains("ingress (the routing mesh");
        assertThat(result(results, "7.4").evidence()).isEqualTo("1 Swarm secret");
        assertThat(result(results, "7.5").status()).isEqualTo(Status.INFO);
        engine.autolock(true);
        List<AuditResult> locked = Audit.run(Catalogue.all(), AuditGatherer.gather(SPEC, () -> engine,
                sshd(Recorded.GOOD_SSHD), root), List.of(), LocalDate.of(2026, 12, 5));
        assertThat(result(locked, "7.5").status()).isEqualTo(Status.PASS);
    }

    @Test
    void aWorkerReadsNoClusterAndALeaderlessManagerLeavesTheObjectsUnreadable() {
        FakeEngine worker = new FakeEngine();
        worker.joinSwarm(new dev.kiban.engine.SwarmJoin("192.0.2.11", "192.0.2.11", List.of("192.0.2.10:2377"),
                "SWMTKN-1-fake"));
        AuditFacts facts = AuditGatherer.gather(SPEC, () -> worker, sshd(Recorded.GOOD_SSHD), root);
        assertThat(facts.objects().get().cluster()).isEmpty();
        assertThat(result(Audit.run(Catalogue.all(), facts, List.of(), LocalDate.of(2026, 12, 5)), "7.5").evidence())
                .contains("a worker");
        FakeEngine leaderless = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24)
                .addNode(new dev.kiban.engine.NodeSummary("n2", "ws2", "manager", "active", "down", "192.0.2.12",
                        false, "unreachable", "", Map.of(), 1))
                .addNode(new dev.kiban.engine.NodeSummary("n3", "ws3", "manager", "active", "down", "192.0.2.13",
                        false, "unreachable", "", Map.of(), 1));
        AuditFacts lost = AuditGatherer.gather(SPEC, () -> leaderless, sshd(Recorded.GOOD_SSHD), root);
        assertThat(lost.objects().present()).isFalse();
        assertThat(lost.objects().error()).contains("does not have a leader");
        assertThat(lost.containers().present()).isTrue();
    }

    @Test
    void anEngineLostMidAuditGivesErrorForItsChecksAndTheHostChecksStillRun() {
        FakeEngine engine = new FakeEngine();
        engine.addContainer("web", "running", Map.of(), List.of());
        engine.loseAfter(2); // info and the daemon's security options answer, the containers do not

        List<AuditResult> results = audit(engine, sshd(Recorded.GOOD_SSHD));

        assertThat(result(results, "5.5").status()).isEqualTo(Status.ERROR);
        assertThat(result(results, "5.5").evidence()).contains("connection refused");
        assertThat(result(results, "2.15").status()).isEqualTo(Status.FAIL); // from the info read before the loss
        assertThat(result(results, "kiban.ssh.password").status()).isEqualTo(Status.PASS);
        assertThat(result(results, "kiban.socket.mode").status()).isEqualTo(Status.PASS);
        assertThat(result(results, "2.2").status()).isEqualTo(Status.FAIL); // no daemon.json: icc on
        assertThat(Audit.nothingRan(results)).isFalse();
    }

    @Test
    void noEngineAtAllLeavesTheHostChecks() {
        AuditFacts facts = AuditGatherer.gather(SPEC, () -> {
            throw new EngineUnavailableException("no Docker engine answers at unix:///fake.sock");
        }, sshd(Recorded.GOOD_SSHD), root);
        List<AuditResult> results = Audit.run(Catalogue.all(), facts, List.of(), LocalDate.of(2026, 12, 5));
        assertThat(result(results, "2.15").status()).isEqualTo(Status.ERROR);
        assertThat(result(results, "kiban.ssh.rootlogin").status()).isEqualTo(Status.PASS);
        List<AuditResult> engineOnly = Audit.run(Audit.select(Catalogue.all(), List.of("5")), facts, List.of(),
                LocalDate.of(2026, 12, 5));
        assertThat(Audit.nothingRan(engineOnly)).isTrue();
    }

    @Test
    void sshdMissingOrFailingIsAnErrorOfTheSshChecksOnly() {
        List<AuditResult> results = audit(new FakeEngine(), FakePrograms.none());
        assertThat(result(results, "kiban.ssh.password").status()).isEqualTo(Status.ERROR);
        assertThat(result(results, "kiban.ssh.password").evidence()).isEqualTo("sshd is not installed");
        assertThat(result(results, "5.5").status()).isEqualTo(Status.PASS);
        List<AuditResult> failing = audit(new FakeEngine(), FakePrograms.answering(List.of("sshd"), 255,
                "/etc/ssh/sshd_config line 3: Bad configuration option: Passwordz"));
        assertThat(result(failing, "kiban.ssh.pubkey").evidence()).contains("Bad configuration option");
    }

    @Test
    void aMalformedDaemonJsonIsAnErrorOfTheChecksReadingIt() throws IOException {
        write("/etc/docker/daemon.json", "{\"icc\": false,", "rw-r--r--");
        List<AuditResult> results = audit(new FakeEngine(), sshd(Recorded.GOOD_SSHD));
        assertThat(result(results, "2.2").status()).isEqualTo(Status.ERROR);
        assertThat(result(results, "2.2").evidence()).contains("daemon.json is not valid JSON (line 1)");
        assertThat(result(results, "2.15").status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aDaemonJsonThatIsALinkIsNotFollowedAndWhatItHoldsNeverShown() throws IOException {
        Path secret = Files.writeString(outside.resolve("shadow"), "root:$6$hunter2hash:19000:0:99999:7:::\n");
        Path daemon = root.resolve("etc/docker/daemon.json");
        Files.createDirectories(daemon.getParent());
        Files.createSymbolicLink(daemon, secret);
        List<AuditResult> results = audit(new FakeEngine(), sshd(Recorded.GOOD_SSHD));
        assertThat(result(results, "2.2").status()).isEqualTo(Status.ERROR);
        assertThat(result(results, "2.2").evidence()).contains("not a regular file").doesNotContain("hunter2");
    }

    @Test
    void theEngineHardeningOfAFakeContainerFollowsWhatWasSet() {
        FakeEngine engine = new FakeEngine();
        String id = engine.addContainer("db", "running", Map.of(), List.of());
        ContainerHardening set = Recorded.hardened("db");
        engine.setHardening(id, set);
        assertThat(engine.hardening("db")).isEqualTo(set);
    }

    @Test
    void readsAuditdsRulesFromRulesD() throws IOException {
        write("/etc/docker/daemon.json", "{}", "rw-r--r--");
        write("/etc/audit/rules.d/10-docker.rules", "-w /etc/docker -k docker\n", "rw-r-----");
        write("/usr/bin/runc", "", "rwxr-xr-x");
        List<AuditResult> results = audit(new FakeEngine(), sshd(Recorded.GOOD_SSHD));
        assertThat(result(results, "1.1.6").status()).isEqualTo(Status.PASS);
        assertThat(result(results, "1.1.18").status()).isEqualTo(Status.FAIL);
        assertThat(result(results, "1.1.14").evidence()).isEqualTo("/usr/bin/containerd absent on this host");
    }

    @Test
    void statsTheTlsFilesDaemonJsonNamesAndTheRegistryCertificates() throws IOException {
        write("/etc/docker/daemon.json", "{\"tlskey\": \"/etc/docker/key.pem\"}", "rw-r--r--");
        write("/etc/docker/key.pem", "k", "rw-r--r--");
        write("/etc/docker/certs.d/registry.example.org:5000/ca.crt", "c", "rw-rw-r--");
        List<AuditResult> results = audit(new FakeEngine(), sshd(Recorded.GOOD_SSHD));
        assertThat(result(results, "3.14").evidence()).endsWith(" 0644");
        assertThat(result(results, "3.8").evidence())
                .startsWith("/etc/docker/certs.d/registry.example.org:5000/ca.crt ").endsWith(" 0664");
    }

    @Test
    void readsTheMountsAndTheDockerGroup() throws IOException {
        write("/proc/mounts", "/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /var/lib/docker xfs rw 0 0\n", "r--r--r--");
        write("/etc/group", "root:x:0:\ndocker:x:998:deploy,ci\n", "rw-r--r--");
        List<AuditResult> results = audit(new FakeEngine(), sshd(Recorded.GOOD_SSHD));
        assertThat(result(results, "1.1.1").status()).isEqualTo(Status.PASS);
        assertThat(result(results, "1.1.2").evidence()).startsWith("docker group: deploy, ci;");
    }

    @Test
    void parsesSshdTAndProcNetTcp() {
        assertThat(AuditGatherer.parseSshd("PermitRootLogin no\nallowusers a\nallowusers b\n"))
                .containsEntry("permitrootlogin", "no").containsEntry("allowusers", "a b");
        assertThat(AuditGatherer.listening("  0: 00000000:08FC 00000000:0000 0A 0 0 0\n"
                + "  1: 00000000:0050 00000000:0000 01 0 0 0\n")).containsExactly(2300);
    }
}
