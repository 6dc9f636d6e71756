package dev.kiban.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.engine.ContainerHardening;
import dev.kiban.spec.PlatformSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Waivers, and the four renderers on one recorded audit. */
class AuditReportTest {
    static final LocalDate TODAY = LocalDate.of(2026, 12, 5);

    /** A swarm manager with a container lacking limits, passwords on in sshd, 5.11 waived. */
    static List<AuditResult> results() {
        Recorded r = new Recorded();
        ContainerHardening c = Recorded.hardened("batch");
        r.containers.add(AuditChecksTest.with(c, false, List.of(), 0, 1, 1));
        r.sshd = Recorded.GOOD_SSHD.replace("passwordauthentication no", "passwordauthentication yes");
        return Audit.run(Catalogue.all(), r.facts(), List.of(new PlatformSpec.Waiver("5.11",
                "batch jobs sized by the host <&>", "2027-01-31")), TODAY);
    }

    static AuditResult of(List<AuditResult> rs, String id) {
        return rs.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aWaivedCheckReportsWaivedWithTheReasonAndAnExpiredWaiverFails() {
        Recorded r = new Recorded();
        r.containers.add(AuditChecksTest.with(Recorded.hardened("batch"), false, List.of(), 0, 1, 1));
        var waived = Audit.run(Catalogue.all(), r.facts(), List.of(new PlatformSpec.Waiver("5.11", "sized by host",
                "2026-12-05")), TODAY);
        assertThat(of(waived, "5.11").status()).isEqualTo(Status.WAIVED);
        assertThat(of(waived, "5.11").reason()).isEqualTo("sized by host (waived until 2026-12-05)");
        assertThat(Audit.failures(waived, Severity.MEDIUM)).extracting(AuditResult::id).doesNotContain("5.11");

        var expired = Audit.run(Catalogue.all(), r.facts(), List.of(new PlatformSpec.Waiver("5.11", "sized by host",
                "2026-12-04")), TODAY);
        assertThat(of(expired, "5.11").status()).isEqualTo(Status.EXPIRED);
        assertThat(of(expired, "5.11").evidence()).endsWith("the waiver expired on 2026-12-04");
        assertThat(Audit.failures(expired, Severity.MEDIUM)).extracting(AuditResult::id).contains("5.11");

        var passing = Audit.run(Catalogue.all(), new Recorded().facts(), List.of(new PlatformSpec.Waiver("5.11",
                "x", "2027-01-01")), TODAY);
        assertThat(of(passing, "5.11").status()).isEqualTo(Status.PASS);
    }

    @Test
    void textHasALinePerCheckAndAScorePerSection() {
        String text = AuditReport.text(results());
        assertThat(text.lines().filter(l -> l.matches("^(PASS|FAIL|WARN|INFO|MANUAL|WAIVED|EXPIRED|ERROR) .*")))
                .hasSize(Catalogue.all().size());
        assertThat(text).contains("FAIL    critical kiban.ssh.password")
                .contains("INFO    medium   2.15 ")
                .contains("[D1: the engine refuses swarm init")
                .contains("WAIVED  medium   5.11 ")
                .containsPattern("section 2 \\(Docker daemon configuration\\): \\d+/17 passed \\(2 info, 0 waived\\),"
                        + " 1 manual")
                .contains("section kiban (kiban's hardening (R7)): ")
                .containsPattern("total: \\d+/\\d+ passed");
    }

    @Test
    void jsonCarriesEveryResultAndTheFailures() throws Exception {
        JsonNode j = new ObjectMapper().readTree(AuditReport.json(results(), Severity.HIGH));
        assertThat(j.path("results")).hasSize(Catalogue.all().size());
        assertThat(j.path("failOn").asText()).isEqualTo("high");
        assertThat(j.path("failed").asInt()).isEqualTo(1);
        JsonNode password = j.path("results").findParents("id").stream()
                .filter(n -> n.path("id").asText().equals("kiban.ssh.password")).findFirst().orElseThrow();
        assertThat(password.path("status").asText()).isEqualTo("FAIL");
        assertThat(password.path("specKey").asText()).isEqualTo("security.ssh.passwordAuthentication");
        assertThat(j.path("scores").path("5").asText()).startsWith("section 5 (Container runtime)");
    }

    @Test
    void junitParsesAsXmlWithATestcasePerCheckAndTheRightCounts() throws Exception {
        List<AuditResult> rs = results();
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(AuditReport.junit(rs).getBytes(StandardCharsets.UTF_8)));
        assertThat(d.getElementsByTagName("testcase").getLength()).isEqualTo(rs.size());
        long failures = rs.stream().filter(r -> r.status() == Status.FAIL || r.status() == Status.WARN
                || r.status() == Status.EXPIRED).count();
        long skipped = rs.stream().filter(r -> r.status() == Status.MANUAL || r.status() == Status.INFO
                || r.status() == Status.WAIVED).count();
        assertThat(d.getElementsByTagName("failure").getLength()).isEqualTo((int) failures);
        assertThat(d.getElementsByTagName("skipped").getLength()).isEqualTo((int) skipped);
        NodeList suites = d.getElementsByTagName("testsuite");
        int declaredFailures = 0;
        int declaredTests = 0;
        for (int i = 0; i < suites.getLength(); i++) {
            Element s = (Element) suites.item(i);
            declaredFailures += Integer.parseInt(s.getAttribute("failures"));
            declaredTests += Integer.parseInt(s.getAttribute("tests"));
        }
        assertThat(declaredFailures).isEqualTo((int) failures);
        assertThat(declaredTests).isEqualTo(rs.size());
        assertThat(suites.getLength()).isEqualTo(8); // CIS sections 1-7 and kiban
    }

    @Test
    void sarifHasTheSchemaARulePerCheckAndLocatedResults() throws Exception {
        List<AuditResult> rs = results();
        String sarif = AuditReport.sarif(rs, "1.0", r -> AuditReport.place(r, "kiban.yaml",
                key -> key.equals("security.ssh.passwordAuthentication") ? Optional.of(42) : Optional.empty()),
                w -> Optional.empty());
        JsonNode j = new ObjectMapper().readTree(sarif);
        assertThat(j.path("version").asText()).isEqualTo("2.1.0");
        assertThat(j.path("$schema").asText()).isEqualTo(AuditReport.SARIF_SCHEMA);
        JsonNode run = j.path("runs").get(0);
        assertThat(run.path("tool").path("driver").path("rules")).hasSize(rs.size());
        JsonNode results = run.path("results");
        // a finding about containers is a result per container
        long reported = rs.stream().filter(r -> r.status() != Status.PASS && r.status() != Status.MANUAL)
                .mapToLong(r -> Math.max(1, r.workloads().size())).sum();
        assertThat(results).hasSize((int) reported);
        for (JsonNode res : results) {
            assertThat(res.path("locations").get(0).path("physicalLocation").path("artifactLocation").path("uri")
                    .asText()).isNotEmpty();
            assertThat(res.path("locations").get(0).path("physicalLocation").path("region").path("startLine").asInt())
                    .isPositive();
            String id = res.path("ruleId").asText();
            assertThat(run.path("tool").path("driver").path("rules").get(res.path("ruleIndex").asInt()).path("id")
                    .asText()).isEqualTo(id);
        }
        JsonNode password = results.findParents("ruleId").stream()
                .filter(n -> n.path("ruleId").asText().equals("kiban.ssh.password")).findFirst().orElseThrow();
        JsonNode at = password.path("locations").get(0).path("physicalLocation");
        assertThat(at.path("artifactLocation").path("uri").asText()).isEqualTo("kiban.yaml");
        assertThat(at.path("region").path("startLine").asInt()).isEqualTo(42);
        assertThat(password.path("level").asText()).isEqualTo("error");
        JsonNode icc = results.findParents("ruleId").stream()
                .filter(n -> n.path("ruleId").asText().equals("5.11")).findFirst().orElseThrow();
        assertThat(icc.path("suppressions").get(0).path("justification").asText()).startsWith("batch jobs");
    }

    @Test
    void aContainerFindingIsAResultPerContainerAtItsComposeServiceLine() throws Exception {
        Recorded r = new Recorded();
        // the stack container of Recorded.hardened, one 'docker compose up' started, one started by hand
        ContainerHardening stack = AuditChecksTest.with(Recorded.hardened("api"), true, List.of(), 0, 1, 1);
        ContainerHardening compose = AuditChecksTest.with(Recorded.hardened("cron"), true, List.of(), 0, 1, 1);
        compose = new ContainerHardening(compose.id(), compose.name(), compose.image(), true, true,
                compose.networkMode(), "", "private", "", "", List.of(), compose.securityOpt(), "", List.of(),
                compose.memory(), compose.nanoCpus(), 0, 200, "1000", true, true, "no", 0, List.of(), List.of(), "",
                List.of(), Map.of(Workload.COMPOSE_FILES, "/srv/jobs/compose.yaml,/srv/jobs/override.yaml",
                Workload.COMPOSE_SERVICE, "cron"), "sha256:cron");
        ContainerHardening byHand = AuditChecksTest.with(ContainerHardening.defaults("x", "by-hand", "busybox"), true,
                List.of(), 0, 1, 1);
        r.containers.clear();
        r.containers.addAll(List.of(stack, compose, byHand));
        AuditResult privileged = r.result("5.5");
        assertThat(privileged.workloads()).extracting(Workload::composeFile).containsExactly(
                r.spec.storage().compose().value() + "/web/docker-compose.yml", "/srv/jobs/compose.yaml", "");
        assertThat(privileged.workloads()).extracting(Workload::service).containsExactly("api", "cron", "");

        Map<String, Integer> lines = Map.of("api", 7, "cron", 3);
        JsonNode results = new ObjectMapper().readTree(AuditReport.sarif(List.of(privileged), "1.0",
                x -> new AuditReport.Place("kiban.yaml", 1),
                w -> Optional.ofNullable(lines.get(w.service())).map(l -> new AuditReport.Place(w.composeFile(), l))))
                .path("runs").get(0).path("results");
        assertThat(results).hasSize(3);
        List<String> at = new ArrayList<>();
        for (JsonNode res : results) {
            JsonNode loc = res.path("locations").get(0).path("physicalLocation");
            at.add(loc.path("artifactLocation").path("uri").asText() + ":" + loc.path("region").path("startLine")
                    .asInt() + " " + res.path("message").path("text").asText().split(" ")[1]);
        }
        assertThat(at).containsExactly("file://" + r.spec.storage().compose().value() + "/web/docker-compose.yml:7 api",
                "file:///srv/jobs/compose.yaml:3 cron", "kiban.yaml:1 by-hand");
    }

    @Test
    void aStackOrServiceLabelThatIsAPathPlacesNothing() {
        Map<String, String> hostile = Map.of(Workload.STACK, "..", Workload.SWARM_SERVICE, ".._x");
        ContainerHardening c = ContainerHardening.defaults("x", "x", "busybox");
        c = new ContainerHardening(c.id(), c.name(), c.image(), true, false, c.networkMode(), "", "private", "", "",
                List.of(), List.of(), "", List.of(), 0, 0, 0, 0, "", false, false, "no", 0, List.of(), List.of(), "",
                List.of(), hostile, "");
        assertThat(Workload.of(c, "", "/srv/compose").composeFile()).isEmpty();
        var slash = new java.util.HashMap<>(hostile);
        slash.put(Workload.STACK, "web");
        slash.put(Workload.SWARM_SERVICE, "web_../../etc/passwd");
        c = new ContainerHardening(c.id(), c.name(), c.image(), true, false, c.networkMode(), "", "private", "", "",
                List.of(), List.of(), "", List.of(), 0, 0, 0, 0, "", false, false, "no", 0, List.of(), List.of(), "",
                List.of(), slash, "");
        assertThat(Workload.of(c, "", "/srv/compose").composeFile()).isEmpty();
    }

    @Test
    void sarifLocatesAFindingWithoutASpecKeyAtTheFileTheCheckRead() {
        Recorded r = new Recorded();
        r.files.put("/var/run/docker.sock", new FileFact("/var/run/docker.sock", true, "root", "docker", 0666));
        AuditResult socket = r.result("kiban.socket.mode");
        assertThat(AuditReport.place(socket, "kiban.yaml", k -> Optional.of(3)))
                .isEqualTo(new AuditReport.Place("/var/run/docker.sock", 0));
    }
}
