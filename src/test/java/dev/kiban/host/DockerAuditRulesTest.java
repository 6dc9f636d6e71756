package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.AuditedPaths;
import dev.kiban.spec.PlatformSpec.Family;
import java.util.List;
import org.junit.jupiter.api.Test;

/** auditd's rules for Docker's files (CIS 1.1.3-1.1.18): per family, installed, loaded when they change. */
class DockerAuditRulesTest {
    static List<String> rules(Family family) {
        return DockerAuditRules.render(HostConfigurationTest.spec(family)).content().lines()
                .filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void watchesEveryPathWithTheUnitsInRhelsDirectory() {
        Artifact a = DockerAuditRules.render(HostConfigurationTest.spec(Family.RHEL));
        assertThat(a.path()).isEqualTo("/etc/audit/rules.d/kiban-docker.rules").isEqualTo(AuditedPaths.RULES_FILE);
        assertThat(a.reader()).isEqualTo(Artifact.Reader.AUDITD);
        assertThat(a.content()).startsWith("# Managed by kiban (CIS Docker 1.1.3-1.1.18)");
        // the daemon where Docker's packages put it and where Debian's do: which one a host has is the package's choice
        assertThat(rules(Family.RHEL)).hasSize(16).contains("-w /usr/bin/dockerd -k docker",
                "-w /usr/sbin/dockerd -k docker",
                "-w /usr/lib/systemd/system/docker.service -k docker",
                "-w /usr/lib/systemd/system/docker.socket -k docker", "-w /etc/sysconfig/docker -k docker",
                "-w /run/containerd -k docker", "-w /usr/bin/runc -k docker")
                .doesNotContain("-w /run/containerd/containerd.sock -k docker")
                .allMatch(l -> l.matches("-w /\\S+ -k docker"));
    }

    @Test
    void theWatchUnderRunIsLastAndApplyChecksTheSyntax() {
        List<String> rhel = rules(Family.RHEL);
        // the socket is covered by the watch on its directory, which auditctl accepts at boot before containerd
        // makes it (a watch of the socket's own would be refused then, and every rule after it lost)
        assertThat(rhel).contains("-w /run/containerd -k docker")
                .noneMatch(l -> l.startsWith("-w /run/") && l.indexOf('/', "-w /run/".length()) > 0);
        Artifact a = DockerAuditRules.render(HostConfigurationTest.spec(Family.DEBIAN));
        assertThat(ReaderChecks.auditRules(a)).isEmpty();
        Artifact bad = new Artifact(a.path(), a.content() + "-e 2\n", a.mode(), a.owner(), a.why(), a.reader());
        assertThat(ReaderChecks.auditRules(bad)).contains("not a '-w PATH -k KEY' line: -e 2");
    }

    @Test
    void theSpecsDataRootIsWatchedBesideVarLibDocker() {
        var spec = HostConfigurationTest.spec(Family.DEBIAN);
        spec = dev.kiban.spec.SpecDocument.parse("kiban.yaml", "admin: {email: ops@example.org}\n"
                + "monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}\n"
                + "engine: {dataRoot: /srv/docker}\n", false).require().resolved(Family.DEBIAN, "192.168.10.5");
        assertThat(DockerAuditRules.render(spec).content()).contains("-w /var/lib/docker -k docker\n",
                "-w /srv/docker -k docker\n");
    }

    @Test
    void debianHasItsUnitsInLibAndNoSysconfig() {
        assertThat(rules(Family.DEBIAN)).hasSize(15).contains("-w /lib/systemd/system/docker.service -k docker",
                "-w /etc/default/docker -k docker").noneMatch(l -> l.contains("sysconfig"))
                .noneMatch(l -> l.contains("/usr/lib/systemd"));
    }

    @Test
    void auditIsInstalledAndTheRulesLoadedWhenTheFileChanges() {
        for (Family family : List.of(Family.RHEL, Family.DEBIAN)) {
            HostConfiguration config = HostConfiguration.render(HostConfigurationTest.spec(family));
            List<PlannedCommand> c = config.commands();
            PlannedCommand install = c.stream().filter(p -> p.why().startsWith("install the tools")).findFirst()
                    .orElseThrow();
            assertThat(install.argv()).contains(family == Family.RHEL ? "audit" : "auditd");
            assertThat(install.after()).contains(DockerAuditRules.PATH);
            PlannedCommand load = c.stream().filter(p -> p.program().equals("augenrules")).findFirst().orElseThrow();
            assertThat(load.argv()).containsExactly("augenrules", "--load");
            assertThat(load.after()).containsExactly(DockerAuditRules.PATH);
            int enable = c.indexOf(c.stream().filter(p -> p.argv().equals(List.of("systemctl", "enable", "--now",
                    "auditd"))).findFirst().orElseThrow());
            assertThat(c.indexOf(install)).isLessThan(enable);
            assertThat(enable).isLessThan(c.indexOf(load));
        }
    }
}
