package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.spec.HostPath;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The renderers' second line of defence: a spec built in code, past {@code spec validate}, with one
 * hostile value. Each renderer must refuse it with a {@link SpecException} naming the key and never
 * the value; and the host commands are argv lists with no shell.
 */
class RendererDefenceTest {
    static final PlatformSpec GOOD = HostConfigurationTest.spec(Family.RHEL);

    static PlatformSpec with(PlatformSpec.Security security) {
        PlatformSpec s = GOOD;
        return new PlatformSpec(s.apiVersion(), s.kind(), s.admin(), s.host(), s.budget(), s.engine(), s.networks(),
                s.ports(), s.storage(),
                s.backup(), s.monitor(), security, s.swarm(), s.audit(), s.migrate(),
                s.maintenance(), s.dashboard());
    }

    static PlatformSpec with(PlatformSpec.Storage storage) {
        PlatformSpec s = GOOD;
        return new PlatformSpec(s.apiVersion(), s.kind(), s.admin(), s.host(), s.budget(), s.engine(), s.networks(),
                s.ports(), storage,
                s.backup(), s.monitor(), s.security(), s.swarm(), s.audit(), s.migrate(),
                s.maintenance(), s.dashboard());
    }

    static PlatformSpec with(PlatformSpec.Backup backup) {
        PlatformSpec s = GOOD;
        return new PlatformSpec(s.apiVersion(), s.kind(), s.admin(), s.host(), s.budget(), s.engine(), s.networks(),
                s.ports(), s.storage(),
                backup, s.monitor(), s.security(), s.swarm(), s.audit(), s.migrate(),
                s.maintenance(), s.dashboard());
    }

    static PlatformSpec withAdmin(String email) {
        PlatformSpec s = GOOD;
        return new PlatformSpec(s.apiVersion(), s.kind(), new PlatformSpec.Admin(email), s.host(), s.budget(),
                s.engine(), s.networks(),
                s.ports(), s.storage(), s.backup(), s.monitor(), s.security(), s.swarm(), s.audit(), s.migrate(),
                s.maintenance(), s.dashboard());
    }

    static PlatformSpec withSysctl(Map<String, String> sysctl) {
        PlatformSpec s = GOOD;
        var e = s.engine();
        var engine = new PlatformSpec.Engine(e.hosts(), e.dataRoot(), e.storageDriver(), e.logging(), e.liveRestore(),
                e.userlandProxy(),
                e.noNewPrivileges(), e.seccompProfile(), e.selinuxEnabled(), e.usernsRemap(),
                        e.maxConcurrentDownloads(),
                e.maxConcurrentUploads(), e.ulimits(), sysctl);
        return new PlatformSpec(s.apiVersion(), s.kind(), s.admin(), s.host(), s.budget(), engine, s.networks(),
                s.ports(), s.storage(),
                s.backup(), s.monitor(), s.security(), s.swarm(), s.audit(), s.migrate(),
                s.maintenance(), s.dashboard());
    }

    static PlatformSpec withState(String state) {
        PlatformSpec s = GOOD;
        var m = s.monitor();
        var monitor = new PlatformSpec.Monitor(m.interval(), m.journalRetention(), new HostPath(state), m.metrics(),
                m.rules(), m.channels(),
                m.report(), m.history());
        return new PlatformSpec(s.apiVersion(), s.kind(), s.admin(), s.host(), s.budget(), s.engine(), s.networks(),
                s.ports(), s.storage(),
                s.backup(), monitor, s.security(), s.swarm(), s.audit(), s.migrate(),
                s.maintenance(), s.dashboard());
    }

    static PlatformSpec.Security zone(String zone) {
        var sec = GOOD.security();
        return new PlatformSpec.Security(sec.ssh(), sec.fail2ban(), sec.selinux(), sec.updates(),
                new PlatformSpec.Firewall(zone));
    }

    static PlatformSpec.Security ssh(String keysFile, List<String> users) {
        var sec = GOOD.security();
        var s = sec.ssh();
        return new PlatformSpec.Security(new PlatformSpec.Ssh(s.port(), s.permitRootLogin(), s.passwordAuthentication(),
                s.pubkeyAuthentication(), keysFile, users), sec.fail2ban(), sec.selinux(), sec.updates(),
                        sec.firewall());
    }

    static PlatformSpec.Storage volumes(String volumes, String localBackups) {
        var st = GOOD.storage();
        return new PlatformSpec.Storage(st.data(), new HostPath(volumes), st.images(), new HostPath(localBackups),
                st.compose(),
                st.commonEnv());
    }

    static PlatformSpec.Backup repository(String repository) {
        var b = GOOD.backup();
        return new PlatformSpec.Backup(b.schedule(), new HostPath(repository), b.sources(), b.retention(),
                b.encryptionKey(), b.log(), b.repositoryDisk());
    }

    static void refuses(Supplier<?> render, String key, String value) {
        assertThatThrownBy(render::get).isInstanceOf(SpecException.class).hasMessageStartingWith(key + ":")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value));
    }

    @Test
    void theVolumeTreeIsLabelledWithArgvListsOnePerPath() {
        List<PlannedCommand> commands = HostConfiguration.render(GOOD).commands();
        assertThat(commands).extracting(PlannedCommand::argv).contains(
                List.of("semanage", "fcontext", "-a", "-t", "container_file_t", "/data/docker/volumes(/.*)?"),
                List.of("restorecon", "-R", "/data/docker/volumes"));
        assertThat(commands).as("no shell anywhere").allSatisfy(c -> {
            assertThat(c.argv().get(0)).isNotIn("sh", "/bin/sh", "bash", "/bin/bash");
            assertThat(c.argv()).doesNotContain("-c");
        });
    }

    @Test
    void theSemanagePatternTakesThePathLiterally() {
        assertThat(HostConfiguration.fcontextPattern("/data/my.vols+1")).isEqualTo("/data/my\\.vols\\+1(/.*)?");
        assertThat(HostConfiguration.relabel(new HostPath("/data/v")).get(0).argv()).last().isEqualTo("/data/v(/.*)?");
    }

    @Test
    void relabellingRefusesAPathThatBypassedValidation() {
        refuses(() -> HostConfiguration.relabel(new HostPath("/data/v'; reboot; echo '")), "storage.volumes", "reboot");
        refuses(() -> HostConfiguration.relabel(new HostPath("/")), "storage.volumes", "\u0000");
        refuses(() -> HostConfiguration.relabel(new HostPath("/var")), "storage.volumes", "\u0000");
    }

    @Test
    void theBackupUnitRunsThenPrunesWithoutAShell() {
        String unit = BackupSchedule.render(GOOD).get(0).content();
        assertThat(unit).doesNotContain("/bin/sh").doesNotContain("&&").contains("Type=oneshot");
        List<String> exec = unit.lines().filter(l -> l.startsWith("ExecStart")).toList();
        assertThat(exec).containsExactly("ExecStart=/usr/bin/kiban -c /etc/kiban/kiban.yaml backup run",
                "ExecStart=/usr/bin/kiban -c /etc/kiban/kiban.yaml backup prune");
    }

    @Test
    void theBackupUnitRefusesARepositoryThatWouldAddALine() {
        refuses(() -> BackupSchedule.render(with(repository("/mnt/b\nExecStartPre=/bin/id"))), "backup.repository",
                "ExecStartPre");
        refuses(() -> BackupSchedule.render(with(repository("/mnt/%n"))), "backup.repository", "%n");
        refuses(() -> BackupSchedule.render(with(repository("/mnt/a b"))), "backup.repository", "a b");
    }

    @Test
    void theMonitorUnitRefusesAStatePathThatWouldAddALine() {
        refuses(() -> MonitorService.render(withState("/var/lib/kiban\nExecStartPre=/bin/id")), "monitor.state",
                "ExecStartPre");
    }

    @Test
    void theZoneFileRefusesAZoneThatIsNotAName() {
        refuses(() -> FirewallRules.render(with(zone("../../x"))), "security.firewall.zone", "../");
        refuses(() -> FirewallRules.render(with(zone("abcdefghijklmnopqr"))), "security.firewall.zone",
                "abcdefghijklmnopqr");
        refuses(() -> FirewallRules.render(with(zone("a</short>"))), "security.firewall.zone", "</short>");
        assertThat(FirewallRules.render(with(zone("abcdefghijklmnopq")))).extracting(Artifact::path)
                .contains("/etc/firewalld/zones/abcdefghijklmnopq.xml");
    }

    @Test
    void sshdRefusesTokensThatWouldAddDirectives() {
        refuses(() -> SshdHardening.render(with(ssh(".ssh/authorized_keys\nMatch all\nPasswordAuthentication yes",
                List.of("deploy")))),
                "security.ssh.authorizedKeysFile", "Match");
        refuses(() -> SshdHardening.render(with(ssh(".ssh/authorized_keys /tmp/k", List.of("deploy")))),
                "security.ssh.authorizedKeysFile", "/tmp/k");
        refuses(() -> SshdHardening.render(with(ssh(".ssh/authorized_keys", List.of("deploy root")))),
                "security.ssh.allowUsers", "root");
        refuses(() -> SshdHardening.render(with(ssh(".ssh/authorized_keys", List.of("deploy\nMatch all")))),
                "security.ssh.allowUsers", "Match");
        assertThat(SshdHardening.render(with(ssh("%h/.ssh/authorized_keys", List.of("deploy", "ops.team")))).content())
                .contains("AuthorizedKeysFile %h/.ssh/authorized_keys\n", "AllowUsers deploy ops.team\n");
    }

    @Test
    void theLayoutRefusesSystemDirectories() {
        refuses(() -> DirectoryLayout.render(with(volumes("/data/docker/volumes", "/etc"))), "storage.localBackups",
                "\u0000");
        refuses(() -> DirectoryLayout.render(with(volumes("/usr", "/data/docker/backups"))), "storage.volumes",
                "\u0000");
        refuses(() -> DirectoryLayout.render(with(repository("/"))), "backup.repository", "\u0000");
    }

    @Test
    void mailAddressesAndSysctlLinesStayOneLine() {
        refuses(() -> Fail2banJails.render(withAdmin("ops@example.org\naction = x")), "admin.email", "action");
        refuses(() -> LogwatchReport.render(withAdmin("ops@example.org\nMailTo = x")), "admin.email", "MailTo");
        refuses(() -> SecurityUpdates.render(withAdmin("ops\"@example.org")), "admin.email", "ops\"");
        refuses(() -> KernelParameters.render(withSysctl(Map.of("net.ipv4.ip_forward\nkernel.core_pattern", "1"))),
                "engine.sysctl", "core_pattern");
        refuses(() -> KernelParameters.render(withSysctl(Map.of("net.ipv4.ip_forward",
                "1\nkernel.core_pattern = |/x"))),
                "engine.sysctl.net.ipv4.ip_forward", "core_pattern");
    }

    @Test
    void daemonJsonRefusesASystemDirectoryAsDataRoot() {
        assertThat(DaemonJson.dataRoot(new HostPath("/var/lib/docker"))).isEqualTo("/var/lib/docker");
        refuses(() -> DaemonJson.dataRoot(new HostPath("/etc")), "engine.dataRoot", "/etc");
        refuses(() -> DaemonJson.dataRoot(new HostPath("/var/lib/docker\nx")), "engine.dataRoot", "\nx");
    }

    @Test
    void authorizedKeysTokensAreExpandedForTheLockOutCheck() {
        assertThat(SshAccess.expand("%h/.ssh/%u.keys", "deploy", "1000",
                "/home/deploy")).isEqualTo("/home/deploy/.ssh/deploy.keys");
        assertThat(SshAccess.expand("/etc/ssh/keys/%U%%", "deploy", "1000",
                "/home/deploy")).isEqualTo("/etc/ssh/keys/1000%");
    }
}
