package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.EngineAddress;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.host.ArtifactCheck;
import dev.kiban.os.HostPrograms;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.FakePrograms;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiban audit}: exit codes for CI, --only, the formats and an engine that is not there. */
class AuditCommandTest {
    static final String SSHD = "permitrootlogin no\npubkeyauthentication yes\npasswordauthentication no\n"
            + "allowusers deploy\n";
    static final String DAEMON_JSON = "{\"hosts\": [\"unix:///var/run/docker.sock\"], \"icc\": false, "
            + "\"no-new-privileges\": true, \"userland-proxy\": false, \"live-restore\": true, "
            + "\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Hard\": 64000, \"Soft\": 64000}}}";

    @TempDir
    Path root;

    record Run(int exit, String out, String err) {}

    Run run(Function<EngineAddress, dev.kiban.engine.Engine> engines, HostPrograms programs, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ArtifactCheck accept = (a, r) -> Optional.empty();
        var cli = Main.commandLine(new KibanContext(Map.of(), engines, accept, programs, null, false));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 5];
        all[0] = "-c";
        all[1] = "builtin";
        all[2] = "audit";
        all[3] = "--root";
        all[4] = root.toString();
        System.arraycopy(args, 0, all, 5, args.length);
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    Run run(FakeEngine engine, String... args) {
        return run(a -> engine, FakePrograms.answering(List.of("sshd"), 0, SSHD), args);
    }

    /** What the running system answers (fail2ban, the firewall, DOCKER-USER) cannot be asked of a --root tree. */
    static final String RUNNING_ONLY = "kiban.fail2ban, kiban.firewall, kiban.firewall.docker-user";

    @BeforeEach
    void kibanDaemonJson() throws IOException {
        Files.createDirectories(root.resolve("etc/docker"));
        Files.writeString(root.resolve("etc/docker/daemon.json"), DAEMON_JSON);
        // the tree's family, not the machine's the tests run on
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"13\"\n");
    }

    /** The dashboard reads the latest audit from monitor.state/results; without that directory nothing is made. */
    @Test
    void theLatestResultIsSavedForTheDashboardWhereTheMonitorsStateIs() throws IOException {
        Path state = root.resolve("var/lib/kiban/monitor");
        run(new FakeEngine(), "--only", "kiban.ssh");
        assertThat(state).doesNotExist();
        Files.createDirectories(state);
        Run r = run(new FakeEngine(), "--only", "kiban.ssh", "--format", "json");
        var results = new dev.kiban.os.LatestResults(state);
        var summary = results.summary(dev.kiban.os.LatestResults.Kind.AUDIT).orElseThrow();
        assertThat(summary.text()).contains("failed at or above");
        assertThat(summary.findings()).isEqualTo(r.exit() == 1);
        assertThat(results.report(dev.kiban.os.LatestResults.Kind.AUDIT, dev.kiban.os.LatestResults.Format.SARIF))
                .hasValueSatisfying(s -> assertThat(s).contains("\"version\""));
        assertThat(results.report(dev.kiban.os.LatestResults.Kind.AUDIT, dev.kiban.os.LatestResults.Format.JUNIT))
                .hasValueSatisfying(s -> assertThat(s).contains("<testsuite"));
        assertThat(results.report(dev.kiban.os.LatestResults.Kind.AUDIT, dev.kiban.os.LatestResults.Format.TEXT))
                .hasValueSatisfying(s -> assertThat(s).contains("kiban.ssh.password"));
    }

    @Test
    void aTreeWithNothingHighFailingButTheRunningSystemsChecksShowsTheScore() {
        Run r = run(new FakeEngine());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("PASS    critical kiban.ssh.password")
                .contains("MANUAL  medium   1.2.1")
                .contains("ERROR   high     kiban.fail2ban")
                .containsPattern("section 5 \\(Container runtime\\): \\d+/\\d+ passed")
                .containsPattern("(?m)failed at or above high: " + java.util.regex.Pattern.quote(RUNNING_ONLY) + "$");
        assertThat(run(new FakeEngine(), "--only", "5,kiban.ssh,kiban.updates").out())
                .contains("0 checks failed at or above high");
    }

    @Test
    void failOnDecidesTheExitCode() {
        Run medium = run(new FakeEngine(), "--fail-on", "medium");
        assertThat(medium.exit()).isEqualTo(1);
        assertThat(medium.out()).containsPattern("checks? failed at or above medium: .*2\\.15"); // live-restore
        assertThat(run(new FakeEngine(), "--fail-on", "critical").exit()).isEqualTo(0);
        Run bad = run(new FakeEngine(), "--fail-on", "severe");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--fail-on").contains("low, medium, high or critical");
    }

    @Test
    void aPrivilegedContainerWithTheSocketFailsTheAudit() {
        FakeEngine engine = new FakeEngine();
        String id = engine.addContainer("portainer", "running", Map.of(), List.of(new ContainerSummary.Mount("bind", "",
                "/var/run/docker.sock", "/var/run/docker.sock")));
        var h = engine.hardening(id);
        engine.setHardening(id, new dev.kiban.engine.ContainerHardening(h.id(), h.name(), h.image(), true, true,
                h.networkMode(), "", "", "", "", List.of(), List.of(), "", h.mounts(), 0, 0, 0, 0, "", false, false,
                "no", 0, List.of(), h.networks(), "", h.devices(), h.labels(), h.imageId()));
        Run r = run(engine, "--only", "5.5,5.32");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL    critical 5.5").contains("FAIL    critical 5.32")
                .contains("failed at or above high: 5.5, 5.32");
    }

    @Test
    void anUnknownOnlyIdIsAUsageErrorNamingIt() {
        Run r = run(new FakeEngine(), "--only", "5", "--only", "9.99");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no audit check or section \"9.99\"").doesNotContain("Exception");
    }

    @Test
    void noEngineAndOnlyEngineChecksIsUnavailable() {
        Function<EngineAddress, dev.kiban.engine.Engine> none = a -> {
            throw new EngineUnavailableException("no Docker engine answers at " + a + ": connection refused");
        };
        Run r = run(none, FakePrograms.answering(List.of("sshd"), 0, SSHD), "--only", "5");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("connection refused");
        Run all = run(none, FakePrograms.answering(List.of("sshd"), 0, SSHD));
        assertThat(all.exit()).isEqualTo(1); // the engine's high checks are ERROR; the host's still ran
        assertThat(all.out()).contains("PASS    critical kiban.ssh.password").contains("ERROR   critical 5.5");
    }

    @Test
    void anEngineLostMidAuditLeavesTheHostChecks() {
        FakeEngine engine = new FakeEngine();
        engine.addContainer("web", "running", Map.of(), List.of());
        engine.loseAfter(2);
        Run r = run(engine, "--only", "5.5,kiban.ssh,2.15");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("ERROR   critical 5.5").contains("PASS    critical kiban.ssh.password")
                .contains("FAIL    medium   2.15"); // from the info read before the engine was lost
    }

    @Test
    void writesSarifJunitAndJsonToTheOutputFile() throws IOException {
        Path sarif = root.resolve("audit.sarif");
        Run r = run(new FakeEngine(), "--format", "sarif", "--output", sarif.toString());
        assertThat(r.exit()).isEqualTo(1); // the running system's checks are ERROR on a tree
        assertThat(r.out()).contains("report in " + sarif);
        var j = new ObjectMapper().readTree(Files.readString(sarif));
        assertThat(j.path("version").asText()).isEqualTo("2.1.0");
        assertThat(run(new FakeEngine(), "--format", "junit").out()).startsWith("<?xml").contains("<testsuites");
        assertThat(new ObjectMapper().readTree(run(new FakeEngine(), "--format", "json").out()).path("results")
                .size()).isGreaterThan(117);
    }

    @Test
    void helpTeachesTheVerdictsAndExitCodes() {
        Run r = run(new FakeEngine(), "--help");
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).contains("--only").contains("--fail-on").contains("D1").contains("EXPIRED")
                .contains("Exit codes:")
                .contains("environment unavailable");
    }
}
