package dev.kiban.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.audit.AuditResult;
import dev.kiban.audit.Severity;
import dev.kiban.audit.Status;
import dev.kiban.os.HostPrograms;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakePrograms;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The unit checks that ask host programs, over fake ones: what each verdict rests on. */
class UnitChecksTest {
    /** Each installed program answers with its own result. */
    static FakePrograms programs(Map<String, HostPrograms.Result> answers) {
        return new FakePrograms(answers.keySet(),
                (argv, t) -> answers.get(Path.of(argv.get(0)).getFileName().toString()));
    }

    static CheckContext context(HostPrograms programs, String yaml) {
        var spec = SpecDocument.parse("kiban.yaml", "admin: {email: ops@example.org}\n" + yaml, false).require();
        return new CheckContext(spec, Path.of("/nonexistent-root"), Optional::empty, programs, "web", 80, "tool", 1);
    }

    static Check.Outcome run(Check check, HostPrograms programs, String yaml) throws Exception {
        CheckContext c = context(programs, yaml);
        // the checks of the host's own programs and services run only on /; the programs here are fakes
        boolean hostOnly = List.of("compose-v2", "fail2ban-sshd", "mail-relay").contains(check.id());
        return check.run(hostOnly ? new CheckContext(c.spec(), Path.of("/"), c.engine(), c.programs(), c.webImage(),
                c.webPort(), c.toolImage(), c.containers()) : c);
    }

    @Test
    void theHostsOwnProgramsAndServicesAreSkippedForATreeSayingWhy() throws Exception {
        var everything = FakePrograms.answering(List.of("docker", "fail2ban-client", "postconf"), 0, "anything");
        for (Check check : List.of(UnitChecks.composeV2(), UnitChecks.fail2banSshd(), UnitChecks.mailRelay(),
                UnitChecks.auditClean())) {
            Check.Outcome o = check.run(context(everything, ""));
            assertThat(o.verdict()).as(check.id()).isEqualTo(CheckResult.Verdict.SKIP);
            assertThat(o.evidence()).contains("is this host's, not the tree's under /nonexistent-root",
                    "checked when verify runs on /");
        }
        assertThat(everything.ran()).isEmpty();
    }

    @Test
    void theAuditPassesWhenOnlyFindingsBelowTheThresholdFailAndNamesTheOnesAbove() {
        var low = new AuditResult("1.1.3", "auditing", "1", Severity.LOW, Status.FAIL, "", "", "", Optional.empty(),
                "");
        var high = new AuditResult("5.5", "privileged", "5", Severity.CRITICAL, Status.FAIL, "web (privileged)", "", "",
                Optional.empty(), "");
        var error = new AuditResult("kiban.ssh.password", "sshd", "kiban", Severity.CRITICAL, Status.ERROR, "", "", "",
                Optional.empty(), "");
        var pass = new AuditResult("2.2", "icc", "2", Severity.MEDIUM, Status.PASS, "", "", "", Optional.empty(), "");

        Check.Outcome clean = UnitChecks.audited(List.of(pass, low), Severity.HIGH);
        assertThat(clean.verdict()).isEqualTo(CheckResult.Verdict.PASS);
        assertThat(clean.evidence()).startsWith("total: 1/2 passed").endsWith("none failed at or above high");

        Check.Outcome bad = UnitChecks.audited(List.of(pass, low, high, error), Severity.HIGH);
        assertThat(bad.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(bad.evidence()).startsWith("2 failed at or above high: 5.5 FAIL, kiban.ssh.password ERROR");
        assertThat(UnitChecks.audited(List.of(pass, low), Severity.LOW).evidence()).contains("1.1.3 FAIL");
    }

    @Test
    void aUnitOfAPartOfTheSpecTurnedOffIsDrift(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path root = dev.kiban.testing.TestRoots.withOperator(dir.resolve("root"), "ID=debian\n");
        String yaml = "admin: {email: ops@example.org}\nsecurity: {ssh: {allowUsers: [deploy]}}\n";
        var on = SpecDocument.parse("kiban.yaml", yaml + "dashboard: {enabled: true}\n", false).require()
                .resolved(dev.kiban.spec.PlatformSpec.Family.DEBIAN, "192.168.10.5");
        var off = SpecDocument.parse("kiban.yaml", yaml, false).require()
                .resolved(dev.kiban.spec.PlatformSpec.Family.DEBIAN, "192.168.10.5");
        var applied = new dev.kiban.host.HostApply(root, (a, r) -> Optional.empty(), new java.io.PrintWriter(
                java.io.Writer.nullWriter()), FakePrograms.none(), Map.of())
                .apply(dev.kiban.host.HostPlanner.plan(on, root));
        assertThat(applied.ok()).as(applied.failures().toString()).isTrue();
        CheckContext c = new CheckContext(on, root, Optional::empty, FakePrograms.none(), "web", 80, "tool", 1);
        assertThat(UnitChecks.noDrift().run(c).verdict()).isEqualTo(CheckResult.Verdict.PASS);

        Check.Outcome drift = UnitChecks.noDrift().run(new CheckContext(off, root, Optional::empty,
                FakePrograms.none(), "web", 80, "tool", 1));
        assertThat(drift.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(drift.evidence()).contains("/etc/systemd/system/kiban-dashboard.service (dashboard.enabled is "
                + "false)");
    }

    static HostPrograms.Result ok(String output) {
        return new HostPrograms.Result(0, output);
    }

    @Test
    void composeV2PassesOnThePluginAndNamesAnOldComposeOtherwise() throws Exception {
        var plugin = programs(Map.of("docker", ok("Docker Compose version v2.29.1\n")));
        assertThat(run(UnitChecks.composeV2(), plugin, ""))
                .isEqualTo(Check.Outcome.pass("Docker Compose version v2.29.1"));
        var v1 = programs(Map.of("docker", new HostPrograms.Result(1, "docker: 'compose' is not a docker command."),
                "docker-compose", ok("1.29.2\n")));
        assertThat(run(UnitChecks.composeV2(), v1, "").evidence()).contains("docker-compose 1.29.2 is installed");
        assertThat(run(UnitChecks.composeV2(), FakePrograms.none(), "").verdict()).isEqualTo(CheckResult.Verdict.FAIL);
    }

    @Test
    void fail2banPassesOnTheSshdJailAndFailsWithWhatTheClientSaid() throws Exception {
        var jail = programs(Map.of("fail2ban-client", ok("""
                Status for the jail: sshd
                |- Filter
                |  |- Currently failed: 0
                |  `- Total failed: 3
                `- Actions
                   |- Currently banned: 1
                """)));
        assertThat(run(UnitChecks.fail2banSshd(), jail, "")).isEqualTo(
                Check.Outcome.pass("|  `- Total failed: 3; |- Currently banned: 1"));
        var down = programs(Map.of("fail2ban-client", new HostPrograms.Result(255,
                "Failed to access socket path: /var/run/fail2ban/fail2ban.sock. Is fail2ban running?")));
        assertThat(run(UnitChecks.fail2banSshd(), down, "").evidence()).contains("Is fail2ban running?");
        assertThat(run(UnitChecks.fail2banSshd(), FakePrograms.none(), "").evidence()).contains("not installed");
    }

    @Test
    void selinuxIsAskedOnlyOnRhel() throws Exception {
        assertThat(run(UnitChecks.selinuxEnforcing(), FakePrograms.none(), "host: {family: debian}\n").verdict())
                .isEqualTo(CheckResult.Verdict.SKIP);
        var permissive = programs(Map.of("getenforce", ok("Permissive\n")));
        assertThat(run(UnitChecks.selinuxEnforcing(), permissive, "host: {family: rhel}\n"))
                .isEqualTo(Check.Outcome.fail("getenforce: Permissive"));
        var enforcing = programs(Map.of("getenforce", ok("Enforcing\n")));
        assertThat(run(UnitChecks.selinuxEnforcing(), enforcing, "host: {family: rhel}\n").verdict())
                .isEqualTo(CheckResult.Verdict.PASS);
    }

    @Test
    void logwatchFailsOnItsExitAndCountsTheReport() throws Exception {
        var broken = programs(Map.of("logwatch", new HostPrograms.Result(2, "Can't locate Date/Manip.pm in @INC")));
        assertThat(run(UnitChecks.logwatchReport(), broken, "").evidence())
                .isEqualTo("logwatch exited 2: Can't locate Date/Manip.pm in @INC");
        var report = programs(Map.of("logwatch", ok("### Logwatch ###\nsshd: 3 logins\n### End ###\n")));
        assertThat(run(UnitChecks.logwatchReport(), report, "").evidence()).endsWith("report of 3 lines");
    }

    /** postconf answering with these values for inet_interfaces and relayhost. */
    static FakePrograms postconf(String interfaces, String relayhost) {
        return new FakePrograms(java.util.List.of("postconf"), (argv, t) -> switch (argv.get(2)) {
            case "inet_interfaces" -> ok(interfaces + "\n");
            case "relayhost" -> ok(relayhost + "\n");
            default -> throw new AssertionError("unexpected " + argv);
        });
    }

    static final String RELAY_SPEC = "monitor: {channels: {mail: {smtpHost: mail.example.org, smtpPort: 587}}}\n";

    /** A port on loopback nothing listens on. */
    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void mailRelayFailsWithoutPostfixAndOnTheWrongSettings() throws Exception {
        int port = closedPort();
        assertThat(run(UnitChecks.mailRelay(port), FakePrograms.none(), ""))
                .isEqualTo(Check.Outcome.fail("postfix is not installed; 'kiban apply' installs it"));
        var everywhere = postconf("all", "");
        assertThat(run(UnitChecks.mailRelay(port), everywhere, "").evidence())
                .startsWith("postfix listens on inet_interfaces = all, not loopback-only");
        assertThat(everywhere.ran()).hasSize(1);
        var direct = postconf("loopback-only", "");
        assertThat(run(UnitChecks.mailRelay(port), direct, RELAY_SPEC).evidence())
                .startsWith("postfix relays directly, monitor.channels.mail says through [mail.example.org]:587");
        var elsewhere = postconf("127.0.0.1, [::1]", "[other.example.org]:25");
        assertThat(run(UnitChecks.mailRelay(port), elsewhere, "").evidence())
                .startsWith("postfix relays through [other.example.org]:25, monitor.channels.mail says directly");
        assertThat(run(UnitChecks.mailRelay(port), postconf("loopback-only", "[mail.example.org]:587"), RELAY_SPEC))
                .isEqualTo(Check.Outcome.fail("nothing answers on 127.0.0.1:" + port
                        + ": is postfix running? (systemctl status postfix)"));
        assertThat(UnitChecks.mailRelay().id()).isEqualTo("mail-relay");
        assertThat(UnitChecks.SMTP_PORT).isEqualTo(25);
    }

    @Test
    void mailRelayPassesOnTheBannerAndSendsNothing() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            var received = new java.util.concurrent.CompletableFuture<Integer>();
            Thread mta = new Thread(() -> {
                try (Socket client = server.accept()) {
                    OutputStream out = client.getOutputStream();
                    out.write("220 host.example.org ESMTP Postfix\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    received.complete(client.getInputStream().read());
                } catch (Exception e) {
                    received.completeExceptionally(e);
                }
            });
            mta.start();
            int port = server.getLocalPort();
            assertThat(run(UnitChecks.mailRelay(port), postconf("loopback-only", "[mail.example.org]:587"),
                    RELAY_SPEC)).isEqualTo(Check.Outcome.pass("postfix loopback-only, relay [mail.example.org]:587, "
                    + "220 banner from 127.0.0.1:" + port + ", nothing deferred"));
            assertThat(received.get(5, java.util.concurrent.TimeUnit.SECONDS)).as("nothing sent").isEqualTo(-1);
            mta.join(5000);
        }
    }

    @Test
    void mailRelayCallsOtherBannersNoSmtp() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread other = new Thread(() -> {
                try (Socket client = server.accept()) {
                    client.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    // the check has gone
                }
            });
            other.start();
            assertThat(run(UnitChecks.mailRelay(server.getLocalPort()), postconf("localhost", ""), "").evidence())
                    .endsWith("answered 'SSH-2.0-OpenSSH_9.2', not an SMTP 220 banner");
            other.join(5000);
        }
    }

    @Test
    void mailTheRelayRefusesIsReportedWithPostfixsReasonNotLeftQueuedSilently() {
        String queue = """
                {"queue_name": "active", "queue_id": "A1", "arrival_time": 1700000300, "recipients": [{"address": \
                "ops@example.test"}]}
                {"queue_name": "deferred", "queue_id": "B2", "arrival_time": 1700000000, "recipients": [{"address": \
                "ops@example.test", "delay_reason": "connect to 10.0.0.1[10.0.0.1]:587: Connection refused"}]}
                {"queue_name": "deferred", "queue_id": "C3", "arrival_time": 1700000100, "recipients": [{"address": \
                "ops@example.test", "delay_reason": "SASL authentication failed; server mail.example.org said: \
                535 5.7.8 Error: authentication failed\\u001b[2J"}]}
                not json from an older postqueue
                """;
        assertThat(UnitChecks.deferred(queue)).hasValue("2 messages are deferred in postfix's queue, the newest "
                + "because: SASL authentication failed; server mail.example.org said: 535 5.7.8 Error: "
                + "authentication failed?[2J (postqueue -p lists them; fix the relay, then postqueue -f)");
        assertThat(UnitChecks.deferred("")).isEmpty();
        assertThat(UnitChecks.deferred(queue.lines().limit(1).reduce("", (a, b) -> a + b + "\n"))).isEmpty();
    }

    @Test
    void loopbackOnlyTakesPostfixsSpellings() {
        assertThat(UnitChecks.loopbackOnly("loopback-only")).isTrue();
        assertThat(UnitChecks.loopbackOnly("127.0.0.1, [::1]")).isTrue();
        assertThat(UnitChecks.loopbackOnly("localhost")).isTrue();
        assertThat(UnitChecks.loopbackOnly("all")).isFalse();
        assertThat(UnitChecks.loopbackOnly("127.0.0.1, 192.0.2.1")).isFalse();
        assertThat(UnitChecks.loopbackOnly("")).isFalse();
    }
}
