package dev.kiban.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.cli.KibanProcess;
import dev.kiban.testing.LiveEngine;
import dev.kiban.testing.TestRoots;
import dev.kiban.testing.TestSwarm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * kiban verify on the CI machine, check by check: on a root where kiban apply has run and an engine
 * kiban made a swarm manager, each verdict is what this Debian machine should give, and the JUnit
 * report says the same.
 */
@ExtendWith(LiveEngine.class)
@ExtendWith(TestSwarm.class)
class VerifyIT {
    @TempDir
    static Path dir;
    static Path spec;
    static Path root;

    @BeforeAll
    static void anAppliedRootAndASwarm() throws Exception {
        spec = TestSwarm.spec(dir, "");
        root = TestRoots.withOperator(dir.resolve("root"), "ID=debian\n");
        KibanProcess.Result apply = KibanProcess.run("-c", spec.toString(), "apply", "--root", root.toString(),
                "--yes");
        assertThat(apply.exit()).as(apply.err()).isZero();
        TestSwarm.init(spec, root);
    }

    @Test
    void everyCheckGivesThisMachinesVerdict() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("some-data"));
        java.nio.file.Files.writeString(dir.resolve("some-data/file"), "data");
        KibanProcess.Result backup = KibanProcess.run("-c", spec.toString(), "backup", "run", "--allow-root-filesystem",
                "--source", "compose",
                "--path", dir.resolve("some-data").toString(),
                "-r", dir.resolve("repo").toString(), "--log", root.resolve("var/log/kiban/backup.log").toString());
        assertThat(backup.exit()).as(backup.err()).isZero();
        Path report = dir.resolve("verify.xml");
        KibanProcess.Result r = KibanProcess.run("-c", spec.toString(), "verify", "--root", root.toString(),
                "--format", "junit", "--output",
                report.toString(), "--web-image", "kiban-test/web:latest", "--web-port", "8080", "--tool-image",
                LiveEngine.BASE_IMAGE, "--containers", "10");
        Map<String, String> verdicts = new HashMap<>();
        r.out().lines().filter(l -> l.matches("(PASS|FAIL|SKIP) .*"))
                .forEach(l -> verdicts.put(l.split("\\s+")[2], l.split("\\s+")[0]));

        assertThat(verdicts).containsEntry("engine-active", "PASS").containsEntry("swarm-active", "PASS")
                .containsEntry("data-mounted", "PASS")
                .containsEntry("backup-job", "PASS").containsEntry("selinux-enforcing", "SKIP")
                .containsEntry("logwatch-report", "PASS")
                .containsEntry("host-no-drift", "PASS").containsEntry("web-http-200", "PASS")
                .containsEntry("oom-kill", "PASS")
                .containsEntry("many-containers", "PASS").containsEntry("backup-restore", "PASS")
                .containsEntry("alert-delivery", "PASS")
                .containsEntry("swarm-nodes-ready", "PASS").containsEntry("swarm-quorum", "PASS")
                .containsEntry("swarm-nodes-as-spec", "PASS")
                // one node: no second node for the overlay probe to reach
                .containsEntry("swarm-overlay", "SKIP");
        // The host's own programs and services say nothing about a --root tree: skipped, saying why (the
        // real-host rig checks them on /, e2e.InstalledPlatformIT)
        for (String hostOnly : List.of("compose-v2", "fail2ban-sshd", "mail-relay", "audit", "routine")) {
            assertThat(verdicts.get(hostOnly)).as(hostOnly).isEqualTo("SKIP");
        }
        assertThat(r.out()).contains("fail2ban-sshd      fail2ban sshd jail enabled — the running fail2ban is this "
                + "host's, not the tree's under " + root);
        assertThat(r.out()).contains("swarm-active").contains("address pool [10.20.0.0/16] /24")
                .contains("selinux-enforcing  SELinux enforcing — the host is debian")
                .containsPattern("backup-job .*timer installed; last run .* OK")
                .containsPattern("backup-restore .*restored identical")
                .containsPattern("alert-delivery .*reported through the event stream, the outbox and a webhook");
        assertThat(r.exit()).as(r.out()).isZero();

        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        NodeList suites = doc.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(2);
        Element unit = (Element) suites.item(0);
        assertThat(unit.getAttribute("tests")).isEqualTo("16");
        assertThat(unit.getAttribute("skipped")).as("selinux-enforcing on Debian, and the five above").isEqualTo("6");
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(22);
        assertThat(LiveEngine.docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(CheckContext.LABEL, "true")).exec())
                .as("verify removes its containers").isEmpty();
    }
}
