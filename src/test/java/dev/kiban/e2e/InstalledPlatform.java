package dev.kiban.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.kiban.os.Wait;
import dev.kiban.testing.DiscordReceiver;
import dev.kiban.testing.Prerequisite;
import dev.kiban.testing.RigHosts.Exec;
import dev.kiban.testing.RigHosts.Host;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The whole platform on a real host (issue 12): a fresh Debian 13 host whose PID 1 is systemd gets the
 * kiban package from the file, a filled spec and {@code kiban apply --yes} on {@code /}; then each step
 * checks what an operator would check by hand, in order, on that one host. A second host on the same
 * network plays the outsider (SSH logins, a published port). Mail leaves through the host's postfix to
 * a test SMTP server on the rig network's gateway; Discord is the local receiver that behaves as its API.
 */
abstract class InstalledPlatform extends RigSteps {
    /** The off-site copy's target in the e2e spec: a local path on the rig host (beside the root filesystem). */
    static final String OFFSITE = "/var/tmp/kiban-offsite/docker";
    /** The Debian suite of the host, and whether it packages Compose v2 (trixie does, bookworm does not). */
    final String suite;
    final boolean composeV2;

    InstalledPlatform(String suite, boolean composeV2) {
        this.suite = suite;
        this.composeV2 = composeV2;
    }

    Host host;
    Host outsider;
    String network;
    String hostIp;
    String outsiderIp;
    GreenMail smtp;
    DiscordReceiver discord;
    /** Every file apply will write, with its bytes before apply ("absent" when there was none). */
    final Map<String, String> before = new LinkedHashMap<>();

    @BeforeAll
    void aFreshHostAndAnOutsider() throws Exception {
        Path deb = Path.of(System.getenv().getOrDefault("KIBAN_DEB", "target/kiban.deb"));
        Prerequisite.require(Files.isRegularFile(deb), "no package at " + deb + ": build it with mvn package");
        network = RIG.network("e2e-" + suite);
        String gateway = RIG.gateway(network);
        smtp = new GreenMail(new ServerSetup(0, gateway, ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        discord = new DiscordReceiver(gateway);
        host = RIG.start(suite + "-host", suite, "bare", network, "/data", "/mnt/backup");
        outsider = RIG.start(suite + "-outsider", suite, "bare", network);
        hostIp = host.ip(network);
        outsiderIp = outsider.ip(network);
        host.copyIn(deb, "/var/tmp/kiban.deb");
    }

    @AfterAll
    void stopServers() {
        if (smtp != null) smtp.stop();
        if (discord != null) discord.close();
    }

    @Test
    @Order(1)
    void thePackageInstallsWithAptFromTheFile() {
        Exec install = host.exec(Duration.ofMinutes(5), "apt-get", "install", "-y", "/var/tmp/kiban.deb");
        assertThat(install.ok()).as(install.both()).isTrue();
        assertThat(host.exec("test", "-x", "/usr/bin/kiban").ok()).as("the launcher on the PATH").isTrue();
        assertThat(host.execOk("kiban", "--version")).startsWith("kiban ").doesNotContain("development build");
    }

    @Test
    @Order(2)
    void theSpecIsInitialisedAndFilled() {
        host.execOk("mkdir", "-p", "/etc/kiban");
        assertThat(host.execOk("kiban", "spec", "init", SPEC)).contains("wrote " + SPEC);
        host.write("/etc/kiban/discord-webhook", discord.webhookUrl() + "\n");
        String hardNofile = host.execOk("sh", "-c", "ulimit -Hn").strip();
        host.execOk("chmod", "600", "/etc/kiban/discord-webhook");
        String spec = host.read(SPEC)
                .replace("<admin e-mail address>", "ops@example.test")
                .replace("<Discord webhook URL>", "file:/etc/kiban/discord-webhook")
                .replace("<ssh user>", "deploy")
                .replace("smtpHost: localhost", "smtpHost: " + RIG.gateway(network))
                .replace("smtpPort: 25", "smtpPort: " + smtp.getSmtp().getPort())
                .replace("interval: 30s", "interval: 5s")
                // the off-site copy on its timer, to a local path on the rig host (issue 16, item 5)
                .replaceFirst("offsiteCopy: null", "offsiteCopy: {to: " + OFFSITE + "}")
                // the sandbox caps open files at a hard limit a rig host cannot raise (no CAP_SYS_RESOURCE):
                // containers with the design's 64000 would not start; a real host has no such cap
                .replace("nofile: {soft: 64000, hard: 64000}", "nofile: {soft: " + hardNofile + ", hard: "
                        + hardNofile + "}");
        host.write(SPEC, spec);
        operatorWithKey(host);
        Exec valid = kiban(host, "spec", "validate", "--strict");
        assertThat(valid.ok()).as(valid.both()).isTrue();
    }

    @Test
    @Order(3)
    void applyOnTheRootSucceeds() throws Exception {
        Exec plan = kiban(host, "plan", "--json");
        assertThat(plan.ok()).as(plan.both()).isTrue();
        for (JsonNode file : JSON.readTree(plan.out()).path("files")) {
            String path = file.path("path").asText();
            Exec sum = host.exec("sha256sum", path);
            before.put(path, sum.ok() ? sum.out().split(" ")[0] : "absent");
        }
        assertThat(before).containsKeys("/etc/docker/daemon.json", "/etc/ssh/sshd_config.d/10-kiban.conf");
        // a webhook the agent would refuse (plain http to another host: the token in the clear) stops apply
        // before anything changes, instead of an agent in a restart loop that never alerts
        Exec refused = kiban(host, "apply", "--yes");
        assertThat(refused.exit()).as(refused.both()).isEqualTo(1);
        assertThat(refused.both()).contains("REFUSED: the monitoring agent could not start with this spec: "
                + "monitor.channels.discord.webhook: not a valid https URL").doesNotContain(DiscordReceiver.TOKEN);
        assertThat(host.exec("test", "-e", "/etc/docker/daemon.json").ok()).isFalse();
        // Discord itself is tested in MonitorIT; here the agent only needs a channel it can make: a
        // loopback receiver (plain http is allowed there), which nothing answers
        host.write("/etc/kiban/discord-webhook", "http://127.0.0.1:9/api/webhooks/1/not-listening\n");
        Exec apply = kiban(host, "apply", "--yes");
        assertThat(apply.ok()).as(apply.both()).isTrue();
        assertThat(apply.out()).contains("applied as generation 1");
        Exec failed = host.exec("systemctl", "--failed", "--no-legend", "--plain");
        assertThat(failed.out()).as("failed units after apply").isBlank();
    }

    @Test
    @Order(4)
    void theEngineIsThePackagesWithKibansDaemonJsonAndComposeV2() {
        assertThat(host.execOk("dpkg", "-S", "/usr/sbin/dockerd")).startsWith("docker.io:");
        String info = host.execOk("docker", "info", "--format",
                "{{.Driver}} {{.LoggingDriver}} {{.LiveRestoreEnabled}} {{.DockerRootDir}}");
        assertThat(info.strip()).isEqualTo("overlay2 json-file false /var/lib/docker");
        if (composeV2) {
            assertThat(host.execOk("docker", "compose", "version")).containsPattern("version v?2\\.");
        } else {
            assertThat(host.exec("docker", "compose", "version").ok()).isFalse();
            assertThat(kiban(host, "plan").out()).contains("note: this release packages Compose v1 only");
        }
    }

    @Test
    @Order(5)
    void kernelParametersAreLive() {
        assertThat(host.execOk("sysctl", "-n", "vm.swappiness").strip()).isEqualTo("10");
        assertThat(host.execOk("sysctl", "-n", "net.ipv4.ip_forward").strip()).isEqualTo("1");
        assertThat(host.execOk("sysctl", "-n", "fs.inotify.max_user_watches").strip()).isEqualTo("524288");
    }

    @Test
    @Order(6)
    void sshdsEffectiveSettingsAreHardenedAndAPasswordLoginIsRejected() {
        String effective = host.execOk("sshd", "-T");
        assertThat(effective).contains("passwordauthentication no", "permitrootlogin no", "pubkeyauthentication yes",
                "allowusers deploy");
        Exec password = outsider.exec("timeout", "20", "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive",
                "-o", "ConnectTimeout=5", "deploy@" + hostIp, "true");
        assertThat(password.exit()).isEqualTo(255);
        assertThat(password.err()).contains("Permission denied (publickey)");
        Exec key = host.exec("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-i", "/root/deploy-key",
                "deploy@127.0.0.1", "id", "-un");
        assertThat(key.out().strip()).as(key.both()).isEqualTo("deploy");
    }

    @Test
    @Order(7)
    void failedLoginsGetTheOutsiderBannedWhereTheBanTakesEffectAndMailed() throws Exception {
        assertThat(host.execOk("fail2ban-client", "status")).contains("sshd", "docker-api");
        // invalid users, one after another; once banned, a connection hangs: 'timeout' ends it
        for (int i = 0; i < 10 && !host.exec("fail2ban-client", "status", "sshd").out().contains(outsiderIp); i++) {
            outsider.exec("timeout", "8", "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                    "-o", "ConnectTimeout=3", "nosuchuser" + i + "@" + hostIp, "true");
        }
        Wait.until(() -> host.exec("fail2ban-client", "status", "sshd").out().contains(outsiderIp),
                Duration.ofSeconds(40), "fail2ban bans " + outsiderIp);
        String rules = host.execOk("nft", "list", "ruleset") + host.exec("iptables-save").out();
        assertThat(rules).as("the ban is in the firewall").contains(outsiderIp);
        Exec again = outsider.exec("timeout", "8", "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "ConnectTimeout=3", "deploy@" + hostIp, "true");
        assertThat(again.err()).as("a banned address cannot even reach sshd").doesNotContain("Permission denied");
        awaitMail(s -> s.contains("sshd") && s.toLowerCase().contains("banned"), "the ban mail");
    }

    @Test
    @Order(8)
    void theFirewallIsLoadedAndAPublishedPortIsFilteredAsTheSpecSays() throws Exception {
        assertThat(host.execOk("iptables", "-S", "DOCKER-USER")).contains("-N DOCKER-USER");
        host.loadImage("kiban-test/web:latest");
        host.execOk("docker", "run", "-d", "--name", "public-web", "-p", "80:8080", "kiban-test/web:latest");
        host.execOk("docker", "run", "-d", "--name", "private-web", "-p", "8081:8080", "kiban-test/web:latest");
        // the banned outsider cannot check: a fresh outsider address would be needed, so unban it first
        host.exec("fail2ban-client", "unban", "--all");
        Wait.until(() -> outsider.exec("curl", "-s", "-m", "3", "http://" + hostIp + ":80/").out()
                        .contains("kiban test web"), Duration.ofSeconds(30), "the public port answers from outside");
        Exec closed = outsider.exec("curl", "-s", "-m", "3", "http://" + hostIp + ":8081/");
        assertThat(closed.ok()).as("8081 is in no public class: " + closed.both()).isFalse();
        assertThat(host.execOk("curl", "-s", "-m", "3", "http://127.0.0.1:8081/")).contains("kiban test web");
    }

    @Test
    @Order(9)
    void timersAreScheduledAndTheBackupServiceWritesASnapshotAndAnOkLine() {
        String timers = host.execOk("systemctl", "list-timers", "--all", "--no-pager", "kiban-backup.timer",
                "kiban-report.timer");
        assertThat(timers).contains("kiban-backup.timer", "kiban-report.timer").doesNotContain("n/a n/a");
        Exec backup = host.exec(Duration.ofMinutes(10), "systemctl", "start", "kiban-backup.service");
        assertThat(backup.ok()).as(backup.both() + host.exec("journalctl", "-u", "kiban-backup", "--no-pager").out())
                .isTrue();
        assertThat(kiban(host, "backup", "list").out()).containsPattern("(?m)^\\d{8}T\\d{6}Z-\\w+ .* sources ");
        assertThat(host.read("/var/log/kiban/backup.log")).contains(" OK ");
        // /mnt/backup is a volume of its own (a mount); /var/tmp is on the host's root filesystem: refused, nothing
        // made there, its FAILED line in a log of its own (the platform's log keeps its OK line for verify)
        Exec onRoot = kiban(host, "backup", "run", "--source", "compose", "-r", "/var/tmp/kiban-on-root/docker",
                "--log", "/var/tmp/kiban-on-root.log");
        assertThat(onRoot.exit()).as(onRoot.both()).isEqualTo(1);
        assertThat(onRoot.both()).contains("is on the root filesystem", "--allow-root-filesystem");
        assertThat(host.exec("test", "-e", "/var/tmp/kiban-on-root").ok()).isFalse();
        assertThat(host.read("/var/tmp/kiban-on-root.log")).contains(" FAILED ");
        // the off-site copy's timer follows the backup's; its first run, by hand, copies what the backup wrote
        assertThat(host.execOk("systemctl", "list-timers", "--all", "--no-pager", "kiban-backup-copy.timer"))
                .contains("kiban-backup-copy.timer").doesNotContain("n/a n/a");
        assertThat(host.read("/etc/systemd/system/kiban-backup-copy.service")).contains("After=kiban-backup.service",
                "backup copy --to " + OFFSITE + "\n");
        host.execOk("mkdir", "-p", "/var/tmp/kiban-offsite");
        Exec copy = host.exec(Duration.ofMinutes(10), "systemctl", "start", "kiban-backup-copy.service");
        assertThat(copy.ok()).as(copy.both() + journal("kiban-backup-copy")).isTrue();
        assertThat(host.read("/var/log/kiban/backup-copy.log")).contains(" OK backup-copy: ");
        assertThat(host.execOk("sh", "-c", "ls " + OFFSITE + "/snapshots | wc -l").strip()).isNotEqualTo("0");
    }

    @Test
    @Order(9)
    void theWeeklyRoutinesTimersAreScheduledAndEachFirstRunLeavesALineStatusShows() {
        String timers = host.execOk("systemctl", "list-timers", "--all", "--no-pager", "kiban-image-prune.timer",
                "kiban-backup-verify.timer", "kiban-engine-update.timer");
        assertThat(timers).contains("kiban-image-prune.timer", "kiban-backup-verify.timer",
                "kiban-engine-update.timer").doesNotContain("n/a n/a");
        for (String job : List.of("image-prune", "backup-verify")) {
            Exec run = host.exec(Duration.ofMinutes(10), "systemctl", "start", "kiban-" + job + ".service");
            assertThat(run.ok()).as(run.both() + journal("kiban-" + job)).isTrue();
            assertThat(host.read("/var/log/kiban/" + job + ".log")).as(job).contains(" OK " + job + ": ");
        }
        // the window reaches the Debian mirror, which a rig host may not: whatever the outcome, it is recorded
        Exec update = host.exec(Duration.ofMinutes(10), "systemctl", "start", "kiban-engine-update.service");
        String line = host.read("/var/log/kiban/engine-update.log");
        assertThat(line).as(update.both() + journal("kiban-engine-update"))
                .contains(update.ok() ? " OK engine-update: " : " FAILED engine-update: ");
        assertThat(journal("kiban-engine-update")).containsAnyOf("engine packages unchanged", "engine packages changed",
                "restarted docker themselves", "engine packages: ");
        assertThat(kiban(host, "status").out()).contains("Last runs", "image-prune", "backup-verify", "backup-copy");
        assertThat(kiban(host, "report", "daily").out()).contains("== Weekly routine (last runs)", "image-prune    ok",
                "backup-copy");
    }

    @Test
    @Order(10)
    void anOffsiteCopyOverSftpToTheHardenedSshdOpensWithTheSameSnapshotsAndAWrongKeyIsRefused() {
        // the sshd kiban hardened is the SFTP server (issue 16, item 5): the spec's ssh user, its key from Order 2
        String effective = host.execOk("sshd", "-T");
        assertThat(effective).as("the distribution's SFTP subsystem, untouched by the hardening")
                .containsPattern("(?m)^subsystem sftp /").contains("\nchrootdirectory none\n", "\nforcecommand none\n");
        String port = effective.lines().filter(l -> l.startsWith("port ")).findFirst().orElseThrow().substring(5);
        host.write("/root/sftp-known-hosts", host.execOk("ssh-keyscan", "-p", port, "127.0.0.1"));
        String source = "/mnt/backup/docker";
        String sourceBefore = files(source);
        String to = "sftp://deploy@127.0.0.1:" + port + "/home/deploy/kiban-copy";
        Exec copy = kiban(host, "backup", "copy", "--to", to, "--identity", "/root/deploy-key", "--known-hosts",
                "/root/sftp-known-hosts");
        assertThat(copy.ok()).as(copy.both()).isTrue();
        // the rig's number, in the Failsafe report
        System.out.println("sftp copy on " + suite + ": " + copy.out().lines().filter(l -> l.contains("MB/s"))
                .findFirst().orElse(copy.out()).strip());
        assertThat(copy.out()).contains("configuration: copied (a new copy)", "each file read back and compared");
        assertThat(host.execOk("stat", "-c", "%U", "/home/deploy/kiban-copy/config.json").strip())
                .as("written by the SFTP user").isEqualTo("deploy");
        // the copy, opened as a local path on this host with the same key file: the same snapshots, every chunk read
        Exec verify = kiban(host, "backup", "verify", "--read-data", "-r", "/home/deploy/kiban-copy");
        assertThat(verify.ok()).as(verify.both()).isTrue();
        assertThat(snapshotIds(kiban(host, "backup", "list", "-r", "/home/deploy/kiban-copy")))
                .isNotEmpty().isEqualTo(snapshotIds(kiban(host, "backup", "list")));
        // a key the server does not know: refused as the environment's problem (exit 3), said plainly, nothing sent
        host.execOk("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "/root/other-key");
        Exec wrong = kiban(host, "backup", "copy", "--to", to + "-wrong", "--identity", "/root/other-key",
                "--known-hosts", "/root/sftp-known-hosts");
        assertThat(wrong.exit()).as(wrong.both()).isEqualTo(3);
        assertThat(wrong.err()).contains("refused the login of deploy", "authorized_keys")
                .doesNotContain(host.read("/root/other-key").lines().filter(l -> !l.startsWith("-----"))
                        .reduce((a, b) -> b).orElseThrow());
        assertThat(host.exec("test", "-e", "/home/deploy/kiban-copy-wrong").ok()).isFalse();
        assertThat(files(source)).as("the source repository").isEqualTo(sourceBefore);
    }

    /** Every entry under {@code dir} with its type, and each file's size, sorted. */
    private String files(String dir) {
        return host.execOk("find", dir, "(", "-type", "f", "-printf", "%P f %s\n", ")", "-o", "-printf", "%P %y\n")
                .lines().sorted().reduce("", (a, b) -> a + b + "\n");
    }

    /** The snapshot ids of a backup list. */
    private static List<String> snapshotIds(Exec list) {
        assertThat(list.ok()).as(list.both()).isTrue();
        return list.out().lines().map(l -> l.split(" ")[0]).toList();
    }

    @Test
    @Order(11)
    void theMonitorAgentIsActiveAndServesMetrics() throws Exception {
        Wait.until(() -> host.exec("systemctl", "is-active", "kiban-monitor").out().strip().equals("active"),
                Duration.ofSeconds(30), "kiban-monitor is active");
        try {
            Wait.until(() -> host.exec("curl", "-s", "-m", "3", "http://127.0.0.1:9464/metrics").out()
                    .contains("kiban_container_up"), Duration.ofSeconds(30), "/metrics answers");
        } catch (Wait.TimedOut e) {
            throw new AssertionError(e.getMessage() + ": " + host.exec("curl", "-sS", "-m", "3",
                    "http://127.0.0.1:9464/metrics").both() + "\n" + journal("kiban-monitor"), e);
        }
    }

    @Test
    @Order(12)
    void systemdAnalyzeVerifyIsCleanForEveryUnitKibanWrites() {
        List<String> units = Arrays.stream(host.execOk("sh", "-c", "ls /etc/systemd/system/kiban-*").split("\n"))
                .filter(s -> !s.isBlank()).toList();
        assertThat(units).contains("/etc/systemd/system/kiban-backup-copy.timer",
                "/etc/systemd/system/kiban-backup-copy.service", "/etc/systemd/system/kiban-engine-update.timer");
        List<String> argv = new ArrayList<>(List.of("systemd-analyze", "verify"));
        argv.addAll(units);
        Exec verify = host.exec(argv.toArray(String[]::new));
        assertThat(verify.ok()).as(verify.both()).isTrue();
        assertThat(verify.both().strip()).isEmpty();
    }

    @Test
    @Order(13)
    void aLogwatchReportAndAKibanMailAlertArriveThroughTheHostsMta() throws Exception {
        // today's range: the host is minutes old, and logwatch mails no report for an empty day
        Exec logwatch = host.exec("logwatch", "--output", "mail", "--range", "today");
        assertThat(logwatch.ok()).as(logwatch.both()).isTrue();
        Exec alert = kiban(host, "alert", "test", "--channel", "mail");
        assertThat(alert.ok()).as(alert.both()).isTrue();
        awaitMail(s -> s.startsWith("Logwatch for"), "the logwatch report");
        awaitMail(s -> s.contains("kiban"), "the kiban test alert");
    }

    /** Waits for a message whose subject matches; on time-out says what did arrive and what postfix holds. */
    private void awaitMail(java.util.function.Predicate<String> subject, String what) throws Exception {
        try {
            Wait.until(() -> subjects().stream().anyMatch(subject), Duration.ofSeconds(60), what + " arrives");
        } catch (Wait.TimedOut e) {
            throw new AssertionError(e.getMessage() + "; arrived: " + subjects() + "; postfix queue: "
                    + host.exec("postqueue", "-p").both() + "\n" + host.exec("journalctl", "-u", "postfix@-",
                    "--no-pager", "-n", "20").both(), e);
        }
    }

    @Test
    @Order(14)
    void verifyPassesEverythingButSelinux() throws Exception {
        host.loadImage("kiban-test/base:latest");
        Exec swarm = kiban(host, "swarm", "init", "--yes");
        assertThat(swarm.ok()).as(swarm.both()).isTrue();
        host.execOk("docker", "rm", "-f", "public-web", "private-web");
        Exec verify = kiban(host, "verify", "--web-image", "kiban-test/web:latest", "--web-port", "8080",
                "--tool-image", "kiban-test/base:latest");
        System.out.println(verify.out()); // the evidence, in the Failsafe report
        // a single node: the overlay probe has no second node to reach, and says so
        assertThat(verify.out()).containsPattern("SKIP integration swarm-overlay .* a single node");
        // the engine's window reaches the Debian mirror, which a rig host may not (Order 9): then, and only for it,
        // verify's routine check says its last run failed
        boolean windowFailed = host.read("/var/log/kiban/engine-update.log").contains(" FAILED ");
        List<String> routine = verify.out().lines().filter(l -> l.matches("^\\w+ +unit +routine .*")).toList();
        assertThat(routine).as(verify.out()).singleElement().asString().startsWith(windowFailed ? "FAIL" : "PASS");
        if (windowFailed) {
            assertThat(routine.get(0)).contains("engine-update failed at").doesNotContain("image-prune",
                    "backup-verify", "backup-copy");
        }
        List<String> notPass = verify.out().lines().filter(l -> l.matches("^(FAIL|SKIP) .*"))
                .filter(l -> !l.startsWith("SKIP integration swarm-overlay"))
                .filter(l -> !l.matches("^FAIL unit +routine .*")).toList();
        if (composeV2) {
            assertThat(notPass).as(verify.both()).singleElement().asString()
                    .startsWith("SKIP unit        selinux-enforcing");
            assertThat(verify.exit()).as(verify.both()).isEqualTo(windowFailed ? 1 : 0);
        } else {
            // the one FAIL is true of the host: its release has no Compose v2, and kiban says where it comes from
            assertThat(notPass).as(verify.both()).hasSize(2);
            assertThat(notPass.get(0)).startsWith("FAIL unit        compose-v2").contains("docker-compose-plugin");
            assertThat(notPass.get(1)).startsWith("SKIP unit        selinux-enforcing");
            assertThat(verify.exit()).as(verify.both()).isEqualTo(1);
        }
    }

    @Test
    @Order(15)
    void theAuditFindsNothingHighAfterApplyAndCatchesEachMisconfigurationByItsId() throws Exception {
        Exec clean = kiban(host, "audit", "--format", "json");
        Map<String, String> verdicts = auditVerdicts(clean);
        long failing = verdicts.values().stream().filter(v -> v.equals("FAIL")).count();
        // the count, in the Failsafe report: what stays failing below 'high' on a host kiban applied
        System.out.println("audit after apply on " + suite + ": " + failing + " FAIL below high, "
                + verdicts.values().stream().filter(v -> v.equals("PASS")).count() + " PASS of " + verdicts.size()
                + "; FAIL/WARN: " + verdicts.entrySet().stream().filter(e -> e.getValue().matches("FAIL|WARN"))
                .map(e -> e.getKey() + " " + e.getValue()).toList() + clean.err());
        assertThat(clean.exit()).as(clean.both()).isZero();
        assertThat(verdicts).containsEntry("kiban.api.tcp", "PASS").containsEntry("kiban.socket.mode", "PASS")
                .containsEntry("kiban.ssh.password", "PASS").containsEntry("kiban.fail2ban", "PASS")
                .containsEntry("kiban.firewall.docker-user", "PASS").containsEntry("2.15", "INFO")
                .containsEntry("5.1", "INFO");

        // each misconfiguration on its own, caught by the check made for it, then undone
        caught("a world-writable Docker socket", () -> host.execOk("chmod", "0666", "/var/run/docker.sock"),
                () -> host.execOk("chmod", "0660", "/var/run/docker.sock"), "kiban.socket.mode", "3.16");
        caught("an sshd drop-in that sorts first and re-enables passwords",
                () -> host.write("/etc/ssh/sshd_config.d/00-passwords.conf", "PasswordAuthentication yes\n"),
                () -> host.execOk("rm", "/etc/ssh/sshd_config.d/00-passwords.conf"), "kiban.ssh.password");
        caught("a stopped fail2ban", () -> host.execOk("systemctl", "stop", "fail2ban"),
                () -> host.execOk("systemctl", "start", "fail2ban"), "kiban.fail2ban");
        // --privileged cannot start on these machines (the rig host lacks CAP_SYS_RESOURCE): the admin
        // capabilities, no seccomp and the socket instead; 5.5 is covered on recorded facts (AuditChecksTest)
        caught("a container with the Docker socket, admin capabilities and no seccomp",
                () -> host.execOk("docker", "run", "-d", "--name", "socket-holder", "--cap-add", "SYS_ADMIN",
                        "--cap-add", "NET_ADMIN", "--security-opt", "seccomp=unconfined", "-v",
                        "/var/run/docker.sock:/var/run/docker.sock", "kiban-test/base:latest", "sleep", "100000"),
                () -> host.execOk("docker", "rm", "-f", "socket-holder"), "5.32", "5.4", "5.22");
        caught("a container without limits", () -> host.execOk("docker", "run", "-d", "--name", "unlimited",
                        "kiban-test/base:latest", "sleep", "100000"),
                () -> host.execOk("docker", "rm", "-f", "unlimited"), "5.11", "5.29");
        caught("the Docker API on TCP", () -> {
            host.write("/etc/default/docker", "DOCKER_OPTS=\"-H tcp://127.0.0.1:2375\"\n");
            host.execOk("systemctl", "restart", "docker");
        }, () -> {
            host.execOk("rm", "/etc/default/docker");
            host.execOk("systemctl", "restart", "docker");
        }, "kiban.api.tcp");

        Exec after = kiban(host, "audit", "--format", "json");
        assertThat(after.exit()).as("every misconfiguration undone, yet failing: " + failures(after) + after.err())
                .isZero();
    }

    /** The audit's FAIL results, one line each (the whole JSON report is too long for a CI log's excerpt). */
    private static List<String> failures(Exec audit) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode r : JSON.readTree(audit.out()).path("results")) {
            if (r.path("status").asText().equals("FAIL")) {
                out.add(r.path("id").asText() + " " + r.path("severity").asText() + ": " + r.path("evidence").asText());
            }
        }
        return out;
    }

    /** The audit's verdict per id from its JSON report. */
    private static Map<String, String> auditVerdicts(Exec audit) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        JSON.readTree(audit.out()).path("results").forEach(r -> out.put(r.path("id").asText(),
                r.path("status").asText()));
        assertThat(out).as(audit.both()).isNotEmpty();
        return out;
    }

    /**
     * Introduces a misconfiguration, expects each id to FAIL and the exit code to follow the severities (1 when
     * a high or critical check fails), undoes it.
     */
    private void caught(String what, Runnable introduce, Runnable undo, String... ids) throws Exception {
        introduce.run();
        try {
            Exec audit = kiban(host, "audit", "--format", "json");
            Map<String, String> verdicts = auditVerdicts(audit);
            for (String id : ids) assertThat(verdicts.get(id)).as(what + ": " + id).isEqualTo("FAIL");
            boolean high = false;
            for (JsonNode r : JSON.readTree(audit.out()).path("results")) {
                high |= r.path("status").asText().equals("FAIL") && List.of("high", "critical")
                        .contains(r.path("severity").asText());
            }
            assertThat(audit.exit()).as(what + (high ? " fails" : " does not fail") + " the audit at high")
                    .isEqualTo(high ? 1 : 0);
        } finally {
            undo.run();
        }
    }

    @Test
    @Order(16)
    void aRelayThatRefusesTheLoginIsReportedByVerifyNotQueuedSilently() throws Exception {
        // a relay over implicit TLS that knows the user, and the spec giving it a wrong password; on port 465,
        // which is what tells kiban (and postfix's wrapper mode) that TLS comes first
        GreenMail relay = new GreenMail(new ServerSetup(465, RIG.gateway(network), ServerSetup.PROTOCOL_SMTPS));
        relay.start();
        String gateway = RIG.gateway(network);
        // listening before postfix's first try: a refused connection would be the reason it defers with
        Wait.until(() -> {
            try (var probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress(gateway, 465), 1000);
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        }, Duration.ofSeconds(20), "the relay listens on " + gateway + ":465");
        try {
            relay.setUser("kiban@example.test", "kiban", "the-right-one");
            host.write("/etc/kiban/smtp-password", "a-wrong-one\n");
            host.execOk("chmod", "600", "/etc/kiban/smtp-password");
            String spec = host.read(SPEC).replaceFirst("smtpPort: \\d+", "smtpPort: 465")
                    .replace("username: null", "username: kiban")
                    .replace("password: null", "password: file:/etc/kiban/smtp-password");
            host.write(SPEC, spec);
            Exec apply = kiban(host, "apply", "--yes");
            assertThat(apply.ok()).as(apply.both()).isTrue();
            assertThat(host.execOk("postconf", "-h", "smtp_sasl_auth_enable").strip()).isEqualTo("yes");
            host.execWithInput("Subject: through the relay\n\nhello\n".getBytes(StandardCharsets.UTF_8),
                    "/usr/sbin/sendmail", "root");
            // until postfix has met the relay and been refused the login; a try that did not reach it (seen once
            // on a busy machine: connection refused) is retried at once rather than minutes later
            try {
                Wait.until(() -> {
                    String queue = host.exec("postqueue", "-j").out();
                    if (queue.contains("\"deferred\"") && queue.toLowerCase().contains("authentication")) return true;
                    host.exec("postqueue", "-f");
                    return false;
                }, Duration.ofSeconds(90), "postfix defers the message: the relay refused the login");
            } catch (Wait.TimedOut e) {
                throw new AssertionError(e.getMessage() + ": " + host.exec("postqueue", "-j").both() + "\nhost routes: "
                        + host.exec("ip", "-4", "-o", "route").both() + "\nthis machine: " + machine("ip", "-4", "-o",
                        "addr") + machine("ss", "-ltn") + machine("docker", "network", "ls") + machine("iptables-save"),
                        e);
            }
            Exec verify = kiban(host, "verify", "--only", "unit");
            assertThat(verify.exit()).as(verify.both()).isEqualTo(1);
            assertThat(verify.out().lines().filter(l -> l.contains("mail-relay")).findFirst().orElse(""))
                    .startsWith("FAIL").contains("deferred in postfix's queue").containsIgnoringCase("authentication")
                    .doesNotContain("a-wrong-one");
            assertThat(relay.getReceivedMessages()).isEmpty();
        } finally {
            relay.stop();
            host.exec("postsuper", "-d", "ALL");
        }
    }

    @Test
    @Order(17)
    void aDashboardTurnedOnServesAndTurnedOffIsStoppedDisabledAndItsUnitGone() throws Exception {
        String spec = host.read(SPEC);
        // the packaged spec's own section, as an operator would turn it on
        String dashboardOn = spec.replaceFirst("(?m)^(dashboard:[^\n]*\n  enabled: )false", "$1true");
        assertThat(dashboardOn).isNotEqualTo(spec);
        try {
            host.write(SPEC, dashboardOn);
            Exec on = kiban(host, "apply", "--yes");
            assertThat(on.ok()).as(on.both()).isTrue();
            assertThat(host.execOk("systemctl", "is-enabled", "kiban-dashboard.service").strip()).isEqualTo("enabled");
            // a JVM's start: the page answers within seconds
            Wait.until(() -> host.exec("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-m", "3",
                    "http://127.0.0.1:9440/").out().equals("200"), Duration.ofSeconds(60),
                    "the dashboard answers on 127.0.0.1:9440");

            host.write(SPEC, spec);
            Exec off = kiban(host, "apply", "--yes");
            assertThat(off.ok()).as(off.both()).isTrue();
            assertThat(off.out()).contains("running systemctl disable --now kiban-dashboard.service",
                    "removed /etc/systemd/system/kiban-dashboard.service", "running systemctl daemon-reload");
            assertThat(host.exec("test", "-e", "/etc/systemd/system/kiban-dashboard.service").ok()).isFalse();
            assertThat(host.exec("test", "-e", "/etc/systemd/system/multi-user.target.wants/kiban-dashboard.service")
                    .ok()).as("disabled: no link left in the target's wants").isFalse();
            assertThat(host.exec("systemctl", "is-active", "kiban-dashboard.service").out().strip())
                    .isIn("inactive", "unknown");
            assertThat(host.exec("curl", "-sS", "-o", "/dev/null", "-m", "3", "http://127.0.0.1:9440/").ok())
                    .as("nothing listens on the dashboard's port").isFalse();
            Exec again = kiban(host, "plan", "--detailed-exitcode");
            assertThat(again.exit()).as("nothing left to change: " + again.both()).isZero();
            assertThat(again.out()).contains("0 to create, 0 to change, ").doesNotContain("kiban-dashboard");
        } finally {
            host.write(SPEC, spec);
        }
    }

    @Test
    @Order(18)
    void rollbackReturnsEveryFileToItsBytesBeforeApply() {
        Exec rollback = kiban(host, "rollback", "--to", "0", "--yes");
        assertThat(rollback.ok()).as(rollback.both()).isTrue();
        Map<String, String> after = new LinkedHashMap<>();
        for (String path : before.keySet()) {
            Exec sum = host.exec("sha256sum", path);
            after.put(path, sum.ok() ? sum.out().split(" ")[0] : "absent");
        }
        assertThat(after).isEqualTo(before);
    }

    @Test
    @Order(19)
    void removingReinstallingAndPurgingThePackageLeaveTheSpecAndTheRepository() {
        String spec = host.execOk("sha256sum", SPEC);
        String repository = host.execOk("sh", "-c", "cd /mnt/backup/docker && find . -type f | sort | xargs sha256sum");
        assertThat(repository).contains("./snapshots/");
        Exec remove = host.exec(Duration.ofMinutes(5), "apt-get", "remove", "-y", "kiban");
        assertThat(remove.ok()).as(remove.both()).isTrue();
        assertThat(host.exec("test", "-e", "/usr/bin/kiban").ok()).isFalse();
        // an install over the existing spec keeps it: the package does not own /etc/kiban/kiban.yaml
        Exec again = host.exec(Duration.ofMinutes(5), "apt-get", "install", "-y", "/var/tmp/kiban.deb");
        assertThat(again.ok()).as(again.both()).isTrue();
        assertThat(host.execOk("kiban", "-c", SPEC, "spec", "validate")).contains("valid");
        Exec purge = host.exec(Duration.ofMinutes(5), "apt-get", "purge", "-y", "kiban");
        assertThat(purge.ok()).as(purge.both()).isTrue();
        assertThat(host.execOk("sha256sum", SPEC)).isEqualTo(spec);
        assertThat(host.execOk("sh", "-c", "cd /mnt/backup/docker && find . -type f | sort | xargs sha256sum"))
                .isEqualTo(repository);
    }

    /** What a command of this machine prints, for a failure's message. */
    private static String machine(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return "\n$ " + String.join(" ", argv) + "\n" + out;
        } catch (java.io.IOException e) {
            return "\n$ " + String.join(" ", argv) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private String journal(String unit) {
        return host.exec("journalctl", "-u", unit, "--no-pager", "-n", "30").both();
    }

    private List<String> subjects() {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            try {
                out.add(m.getSubject());
            } catch (jakarta.mail.MessagingException e) {
                out.add("?");
            }
        }
        return out;
    }
}
