package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.cli.HostileCorpus.Outcome;
import dev.kiban.cli.HostileCorpus.Sentinel;
import dev.kiban.testing.TestRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile spec values (issue 10, items 5 and 10): each case is a spec with one value that would reach
 * a shell, a unit file, a config file or a path. {@code spec validate}, {@code plan --root} and
 * {@code apply --root --yes} must all refuse it with exit 2 at FILE:LINE:COL naming the key, before
 * anything is written: the root keeps exactly the files the test put there and the sentinel tree
 * beside it is unchanged. YAML escapes ({@code \n}, {@code \0}, ...) carry the control characters.
 */
class HostileSpecTest {
    private static final String ADMIN = "admin: {email: ops@example.org}\n";
    private static final String MONITOR = "monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}\n";
    private static final String SECURITY = "security: {ssh: {allowUsers: [deploy]}}\n";

    @TempDir
    Path dir;
    Path root;
    Sentinel sentinel;

    @BeforeEach
    void rootAndSentinel() throws IOException {
        root = TestRoots.withOperator(dir.resolve("root"), "ID=rocky\nID_LIKE=\"rhel centos fedora\"\n");
        sentinel = Sentinel.plant(dir.resolve("sentinel"));
    }

    /**
     * The spec {@code hostile} (with the filled-in admin, monitor and security sections it does not
     * write itself) is refused by validate, plan and apply at {@code key}, with none of {@code secrets}
     * printed and nothing written.
     */
    private void refused(String hostile, String key, String... secrets) throws IOException {
        String yaml = (hostile.contains("admin:") ? "" : ADMIN) + (hostile.contains("monitor:") ? "" : MONITOR)
                + (hostile.contains("security:") ? "" : SECURITY) + hostile;
        Path spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, yaml);
        Files.setPosixFilePermissions(spec, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        List<String> before = listing(root);
        Pattern located = Pattern.compile("kiban\\.yaml:[1-9]\\d*:[1-9]\\d* " + Pattern.quote(key) + "[:.\\[ ]");

        Outcome validate = HostileCorpus.run("spec", "validate", spec.toString());
        HostileCorpus.expect(validate, 2, key, secrets);
        assertThat(validate.out()).as("validate names FILE:LINE:COL and the key").containsPattern(located);

        Outcome plan = HostileCorpus.run("-c", spec.toString(), "plan", "--root", root.toString());
        HostileCorpus.expect(plan, 2, key, secrets);
        Outcome apply = HostileCorpus.run("-c", spec.toString(), "apply", "--root", root.toString(), "--yes");
        HostileCorpus.expect(apply, 2, key, secrets);
        assertThat(apply.all()).doesNotContain("created ").doesNotContain("applied as generation");

        assertThat(listing(root)).as("the root holds only what the test put there").isEqualTo(before);
        sentinel.assertUnchanged();
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    // --- storage.volumes: spliced into semanage and restorecon -------------------------------------

    @Test
    void volumesWithAQuoteThatWouldCloseTheSemanagePattern() throws IOException {
        refused("storage: {volumes: \"/data/docker/v'; touch /tmp/pwned; echo '\"}\n", "storage.volumes");
    }

    @Test
    void volumesWithANewline() throws IOException {
        refused("storage: {volumes: \"/data/docker/v\\nExecStartPre=/bin/id\"}\n", "storage.volumes");
    }

    @Test
    void volumesWithACarriageReturn() throws IOException {
        refused("storage: {volumes: \"/data/docker/v\\rx\"}\n", "storage.volumes");
    }

    @Test
    void volumesWithANul() throws IOException {
        refused("storage: {volumes: \"/data/docker/v\\0x\"}\n", "storage.volumes");
    }

    @Test
    void volumesWithATab() throws IOException {
        refused("storage: {volumes: \"/data/docker/v\\tx\"}\n", "storage.volumes");
    }

    @Test
    void volumesWithDelete() throws IOException {
        refused("storage: {volumes: \"/data/docker/v\\x7fx\"}\n", "storage.volumes");
    }

    @Test
    void volumesWithCommandSubstitution() throws IOException {
        refused("storage: {volumes: \"/data/$(reboot)\"}\n", "storage.volumes");
    }

    @Test
    void volumesWithABacktick() throws IOException {
        refused("storage: {volumes: \"/data/`reboot`\"}\n", "storage.volumes");
    }

    @Test
    void volumesWithASemicolon() throws IOException {
        refused("storage: {volumes: \"/data/v;reboot\"}\n", "storage.volumes");
    }

    @Test
    void volumesWithASystemdSpecifier() throws IOException {
        refused("storage: {volumes: \"/data/%h\"}\n", "storage.volumes");
    }

    @Test
    void volumesWithDotDot() throws IOException {
        refused("storage: {volumes: /data/docker/../../etc}\n", "storage.volumes");
    }

    @Test
    void volumesRelative() throws IOException {
        refused("storage: {volumes: data/docker/volumes}\n", "storage.volumes");
    }

    @Test
    void volumesWithTrailingSpaces() throws IOException {
        refused("storage: {volumes: \"/data/docker/volumes  \"}\n", "storage.volumes");
    }

    @Test
    void volumesWithASpaceInside() throws IOException {
        refused("storage: {volumes: \"/data/docker /etc\"}\n", "storage.volumes");
    }

    @Test
    void volumesVeryLong() throws IOException {
        refused("storage: {volumes: /data/" + "a".repeat(5000) + "}\n", "storage.volumes");
    }

    @Test
    void volumesWithAPartLongerThanAFileName() throws IOException {
        refused("storage: {volumes: /data/" + "a".repeat(300) + "}\n", "storage.volumes");
    }

    @Test
    void volumesWithACyrillicLookAlike() throws IOException {
        refused("storage: {volumes: /data/dock\u0435r/volumes}\n", "storage.volumes");
    }

    @Test
    void volumesWithAFullwidthSlash() throws IOException {
        refused("storage: {volumes: /data\uff0fetc}\n", "storage.volumes");
    }

    @Test
    void volumesWithALineSeparator() throws IOException {
        refused("storage: {volumes: \"/data/v\\u2028x\"}\n", "storage.volumes");
    }

    @Test
    void volumesWithABidiOverride() throws IOException {
        refused("storage: {volumes: \"/data/v\\u202etxt.exe\"}\n", "storage.volumes");
    }

    @Test
    void allowUsersWithAZeroWidthSpace() throws IOException {
        refused("security: {ssh: {allowUsers: [\"deploy\\u200b\"]}}\n", "security.ssh.allowUsers[0]");
    }

    @Test
    void volumesHoldingSystemDirectoriesWouldBeRelabelledRecursively() throws IOException {
        refused("storage: {volumes: /}\n", "storage.volumes");
    }

    // --- every system directory for the keys kiban creates, chmods or relabels --------------------

    static Stream<Arguments> systemDirectories() {
        List<String> dirs = List.of("/", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/boot", "/dev", "/proc",
                "/sys", "/run", "/var", "/var/lib", "/var/log", "/home", "/root", "/tmp", "/usr/local", "/etc/ssh",
                "/var/lib/kiban");
        List<String[]> keys = List.of(new String[] {"storage", "localBackups"}, new String[] {"storage", "volumes"},
                new String[] {"storage", "compose"}, new String[] {"backup", "repository"});
        return keys.stream().flatMap(k -> dirs.stream().map(d -> Arguments.of(k[0], k[1], d)));
    }

    @ParameterizedTest(name = "{0}.{1}: {2}")
    @MethodSource("systemDirectories")
    void aSystemDirectoryIsNeverPartOfTheLayout(String section, String key, String directory) throws IOException {
        refused(section + ": {" + key + ": " + directory + "}\n", section + "." + key);
    }

    private static final String NODES = "swarm: {nodeNetworks: [192.168.10.0/24], nodes: [";

    @Test
    void aSwarmNodeOutsideTheNodeNetworks() throws IOException {
        refused(NODES + "{name: ws1, address: 192.168.10.11, role: manager}, "
                + "{name: ws2, address: 192.168.99.12, role: worker}]}\n", "swarm.nodes[1].address");
    }

    @Test
    void twoSwarmNodesOfOneHostname() throws IOException {
        refused(NODES + "{name: ws1, address: 192.168.10.11, role: manager}, "
                + "{name: ws1, address: 192.168.10.12, role: worker}]}\n", "swarm.nodes[1].name");
    }

    @Test
    void aSwarmNodeNameThatIsNoHostname() throws IOException {
        refused(NODES + "{name: \"ws1; reboot\", address: 192.168.10.11, role: manager}]}\n", "swarm.nodes[0].name");
    }

    @Test
    void aSwarmPoolOverlappingANodeNetwork() throws IOException {
        refused("swarm: {nodeNetworks: [10.20.3.0/24], defaultAddrPool: [10.20.0.0/16]}\n",
                "swarm.defaultAddrPool[0]");
    }

    @Test
    void aJoinTokenWrittenIntoTheSpec() throws IOException {
        String token = "SWMTKN-1-" + "a".repeat(50) + "-" + "b".repeat(25);
        refused("swarm: {joinToken: " + token + "}\n", "swarm.joinToken", token);
    }

    @Test
    void aSwarmOfNoManager() throws IOException {
        refused(NODES + "{name: ws1, address: 192.168.10.11, role: worker}]}\n", "swarm.nodes");
    }

    @Test
    void localBackupsAtEtcWouldBeChmodded0700() throws IOException {
        refused("storage: {localBackups: /etc}\n", "storage.localBackups");
    }

    @Test
    void commonEnvDirectlyInEtcWouldChmodEtc() throws IOException {
        refused("storage: {commonEnv: /etc/.env}\n", "storage.commonEnv");
    }

    @Test
    void dataRootAtEtc() throws IOException {
        refused("engine: {dataRoot: /etc}\n", "engine.dataRoot");
    }

    @Test
    void monitorStateAtTheRoot() throws IOException {
        refused("monitor: {state: /, channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}\n", "monitor.state");
    }

    @Test
    void joinTokenFileOverEtcPasswd() throws IOException {
        refused("swarm: {joinTokenFile: /etc/passwd}\n", "swarm.joinTokenFile");
    }

    @Test
    void backupLogInCronD() throws IOException {
        refused("backup: {log: /etc/cron.d/kiban}\n", "backup.log");
    }

    /** An engine address with a login: refused at the key, the password never repeated. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp://user:hunter2pw@host:2375", "tcp://user:hunter2pw@host:2375/x",
        "ssh://user:hunter2pw@host", "unix://user:hunter2pw@host", "tcp://user:hunter2pw@ho st:1"})
    void engineHostWithALoginIsNotEchoed(String address) throws IOException {
        refused("engine: {hosts: [\"" + address + "\"]}\n", "engine.hosts[0]", "hunter2pw");
    }

    @Test
    void joinTokenFileOverTheSpecFileInEtcKiban() throws IOException {
        refused("swarm: {joinTokenFile: /etc/kiban/kiban.yaml}\n", "swarm.joinTokenFile");
    }

    /** The spec named with -c (here under the test's directory) is the spec file too. */
    @Test
    void joinTokenFileOverTheSpecFileGivenWithDashC() throws IOException {
        refused("swarm: {joinTokenFile: " + dir.resolve("kiban.yaml").toAbsolutePath() + "}\n",
                "swarm.joinTokenFile");
        assertThat(HostileCorpus.run("spec", "validate", dir.resolve("kiban.yaml").toString()).out())
                .contains("swarm.joinTokenFile: error: is the spec file itself");
    }

    @Test
    void backupLogOverTheSpecFile() throws IOException {
        refused("backup: {log: /etc/kiban/kiban.yaml}\n", "backup.log");
    }

    @Test
    void joinTokenFileInKibansState() throws IOException {
        refused("swarm: {joinTokenFile: /var/lib/kiban/lock}\n", "swarm.joinTokenFile");
    }

    @Test
    void backupLogInKibansState() throws IOException {
        refused("backup: {log: /var/lib/kiban/backup.log}\n", "backup.log");
    }

    @Test
    void backupLogAtASystemDirectory() throws IOException {
        refused("backup: {log: /root}\n", "backup.log");
    }

    // --- firewall.zone: a file name under /etc/firewalld/zones -------------------------------------

    @Test
    void zoneClimbingOutOfTheRoot() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy]}, firewall: {zone: ../../x}}\n", "security.firewall.zone");
    }

    @Test
    void zoneLongerThanFirewalldAllows() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy]}, firewall: {zone: abcdefghijklmnopqr}}\n",
                "security.firewall.zone");
    }

    @Test
    void zoneWithASlash() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy]}, firewall: {zone: a/b}}\n", "security.firewall.zone");
    }

    @Test
    void zoneWithXml() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy]}, firewall: {zone: \"a</short><rule>\"}}\n",
                "security.firewall.zone");
    }

    @Test
    void zoneWithALeadingDash() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy]}, firewall: {zone: -public}}\n", "security.firewall.zone");
    }

    @Test
    void zoneWithACyrillicLookAlike() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy]}, firewall: {zone: publi\u0441}}\n", "security.firewall.zone");
    }

    @Test
    void zoneWithANewline() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy]}, firewall: {zone: \"public\\nx\"}}\n",
                "security.firewall.zone");
    }

    // --- backup.repository: RequiresMountsFor= in kiban-backup.service -----------------------------

    @Test
    void repositoryInjectingExecStartPre() throws IOException {
        refused("backup: {repository: \"/mnt/backup/docker\\nExecStartPre=/bin/sh -c 'id > /tmp/pwned'\"}\n",
                "backup.repository");
    }

    @Test
    void repositoryWithASpaceAddingASecondMount() throws IOException {
        refused("backup: {repository: \"/mnt/backup /etc\"}\n", "backup.repository");
    }

    @Test
    void repositoryWithASpecifier() throws IOException {
        refused("backup: {repository: \"/mnt/%n\"}\n", "backup.repository");
    }

    @Test
    void repositoryWithABackslash() throws IOException {
        refused("backup: {repository: \"/mnt/back\\\\x20up\"}\n", "backup.repository");
    }

    // --- backup.repositoryDisk: a name looked up under /dev/disk/by-uuid and by-label ---------------

    @Test
    void repositoryDiskLabelClimbingOutOfByLabel() throws IOException {
        refused("backup: {repositoryDisk: {label: \"../../sda1\"}}\n", "backup.repositoryDisk.label");
    }

    @Test
    void repositoryDiskUuidWithASlash() throws IOException {
        refused("backup: {repositoryDisk: {uuid: \"1b2c/../../mapper/root\"}}\n", "backup.repositoryDisk.uuid");
    }

    @Test
    void repositoryDiskLabelWithANewline() throws IOException {
        refused("backup: {repositoryDisk: {label: \"backup\\nExecStartPre=/bin/id\"}}\n", "backup.repositoryDisk");
    }

    @Test
    void repositoryDiskNamedTwice() throws IOException {
        refused("backup: {repositoryDisk: {uuid: 1b2c3d4e, label: kiban-backup}}\n", "backup.repositoryDisk");
    }

    @Test
    void repositoryDiskNamedNot() throws IOException {
        refused("backup: {repositoryDisk: {}}\n", "backup.repositoryDisk");
    }

    @Test
    void repositoryDiskWithAnUnknownKey() throws IOException {
        refused("backup: {repositoryDisk: {device: /dev/sda1}}\n", "backup.repositoryDisk");
    }

    // --- sshd: AuthorizedKeysFile and AllowUsers --------------------------------------------------

    @Test
    void authorizedKeysFileInjectingMatchAll() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy], authorizedKeysFile: \".ssh/authorized_keys\\nMatch "
                + "all\\nPasswordAuthentication yes\"}}\n",
                "security.ssh.authorizedKeysFile");
    }

    @Test
    void authorizedKeysFileWithASecondFile() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy], authorizedKeysFile: \".ssh/authorized_keys /tmp/keys\"}}\n",
                "security.ssh.authorizedKeysFile");
    }

    @Test
    void authorizedKeysFileClimbingOut() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy], authorizedKeysFile: ../../tmp/keys}}\n",
                "security.ssh.authorizedKeysFile");
    }

    @Test
    void authorizedKeysFileWithQuotes() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy], authorizedKeysFile: '\".ssh/keys\"'}}\n",
                "security.ssh.authorizedKeysFile");
    }

    @Test
    void authorizedKeysFileWithAnUnknownToken() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy], authorizedKeysFile: \"%d/keys\"}}\n",
                "security.ssh.authorizedKeysFile");
    }

    @Test
    void allowUsersWithASpace() throws IOException {
        refused("security: {ssh: {allowUsers: [\"deploy root\"]}}\n", "security.ssh.allowUsers[0]");
    }

    @Test
    void allowUsersWithANewline() throws IOException {
        refused("security: {ssh: {allowUsers: [\"deploy\\nPasswordAuthentication yes\"]}}\n",
                "security.ssh.allowUsers[0]");
    }

    @Test
    void allowUsersWithALeadingDash() throws IOException {
        refused("security: {ssh: {allowUsers: [-deploy]}}\n", "security.ssh.allowUsers[0]");
    }

    @Test
    void allowUsersWithACyrillicLookAlike() throws IOException {
        refused("security: {ssh: {allowUsers: [d\u0435ploy]}}\n", "security.ssh.allowUsers[0]");
    }

    @Test
    void allowUsersPlaceholderWithANewline() throws IOException {
        refused("security: {ssh: {allowUsers: [\"<x\\nMatch all>\"]}}\n", "security.ssh.allowUsers[0]");
    }

    // --- e-mail addresses: fail2ban, logwatch, dnf-automatic, apt, SMTP ----------------------------

    @Test
    void adminEmailWithANewline() throws IOException {
        refused("admin: {email: \"ops@example.org\\naction = %(action_mwl)s\"}\n", "admin.email");
    }

    @Test
    void adminEmailWithASpace() throws IOException {
        refused("admin: {email: \"ops @example.org\"}\n", "admin.email");
    }

    @Test
    void adminEmailWithAQuoteForApt() throws IOException {
        refused("admin: {email: 'ops\";Unattended-Upgrade::Remove-Unused-Dependencies \"true@example.org'}\n",
                "admin.email");
    }

    @Test
    void adminEmailWithALeadingDashForSendmail() throws IOException {
        refused("admin: {email: \"-oQ.x@example.org\"}\n", "admin.email");
    }

    @Test
    void adminEmailWithShellSigns() throws IOException {
        refused("admin: {email: \"ops$(id)@example.org\"}\n", "admin.email");
    }

    @Test
    void mailToWithANewline() throws IOException {
        refused("monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}, mail: {to: "
                + "[\"ops@example.org\\r\\nBcc: x@evil.example\"]}}}\n",
                "monitor.channels.mail.to[0]");
    }

    @Test
    void mailFromInjectingAnSmtpCommand() throws IOException {
        refused("monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}, mail: {from: \"a@b.example>\\r\\nRCPT "
                + "TO:<x@evil.example\"}}}\n",
                "monitor.channels.mail.from");
    }

    @Test
    void updatesEmailFromInjectingADnfLine() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy]}, updates: {emailFrom: \"root@localhost\\nemail_host = "
                + "evil.example\"}}\n",
                "security.updates.emailFrom");
    }

    @Test
    void updatesEmailHostWithASpace() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy]}, updates: {emailHost: \"mail example\"}}\n",
                "security.updates.emailHost");
    }

    // --- URLs and secrets: never echoed ------------------------------------------------------------

    @Test
    void webhookUrlWithANewline() throws IOException {
        refused("monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}, webhook: {url: "
                + "\"https://hooks.example/T0k3nSecret\\nHost: evil\"}}}\n",
                "monitor.channels.webhook.url", "T0k3nSecret");
    }

    @Test
    void webhookUrlWithASpace() throws IOException {
        refused("monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}, webhook: {url: "
                + "\"https://hooks.example/T0k3n Secret\"}}}\n",
                "monitor.channels.webhook.url", "T0k3n");
    }

    @Test
    void webhookUrlNotHttp() throws IOException {
        refused("monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}, webhook: {url: "
                + "\"ftp://hooks.example/shadowT0k3n\"}}}\n",
                "monitor.channels.webhook.url", "shadowT0k3n");
    }

    @Test
    void discordWebhookNotAUrl() throws IOException {
        refused("monitor: {channels: {discord: {webhook: \"javascript:alert('T0k3n')\"}}}\n",
                "monitor.channels.discord.webhook", "T0k3n");
    }

    @Test
    void smtpLoginInCleartextToARemoteHost() throws IOException {
        refused("monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}, mail: {smtpHost: mail.example.org, "
                + "smtpPort: 587, "
                + "username: alerts, password: \"Hunter2-S3cret\"}}}\n", "monitor.channels.mail", "Hunter2-S3cret");
    }

    @Test
    void smtpPasswordWithANewlineIsNeverEchoed() throws IOException {
        refused("monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}, mail: {smtpHost: localhost, "
                + "username: alerts, password: \"Hunter2-S3cret\\r\\nQUIT\"}}}\n", "monitor.channels.mail.password",
                        "Hunter2-S3cret");
    }

    // --- the mail relay: postfix's relayhost, sasl_passwd and postconf -e arguments --------------------
    private static final String RELAY = "monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}, mail: {";

    @Test
    void relayHostWithANewlineThatWouldAddAPostfixKey() throws IOException {
        refused(RELAY + "smtpHost: \"mail.example.org\\nrelayhost = [evil.example]\"}}}\n",
                "monitor.channels.mail.smtpHost");
    }

    @Test
    void relayHostWithABracketThatWouldCloseRelayhost() throws IOException {
        refused(RELAY + "smtpHost: \"mail.example.org]:25,[evil.example\"}}}\n", "monitor.channels.mail.smtpHost");
    }

    @Test
    void relayHostWithASpaceThatWouldSplitTheLoginLine() throws IOException {
        refused(RELAY + "smtpHost: \"mail.example.org other\"}}}\n", "monitor.channels.mail.smtpHost");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "-25"})
    void relayPortOutOfRange(String port) throws IOException {
        refused(RELAY + "smtpHost: mail.example.org, smtpPort: " + port + "}}}\n", "monitor.channels.mail.smtpPort");
    }

    @Test
    void relayUserWithAColonThatWouldMoveThePasswordBoundary() throws IOException {
        refused(RELAY + "smtpHost: mail.example.org, smtpPort: 587, starttls: true, username: \"alerts:x\", "
                + "password: \"Hunter2-S3cret\"}}}\n", "monitor.channels.mail.username", "Hunter2-S3cret");
    }

    @Test
    void relayPasswordWithANewlineThatWouldAddASecondLogin() throws IOException {
        refused(RELAY + "smtpHost: mail.example.org, smtpPort: 587, starttls: true, username: alerts, "
                + "password: \"Hunter2-S3cret\\n[evil.example]:25 a:b\"}}}\n", "monitor.channels.mail.password",
                "Hunter2-S3cret");
    }

    /** A valid relay login: plan --root shows that the password file changes, never what it holds. */
    @Test
    void aRelayPasswordIsNeverInThePlan() throws IOException {
        Path spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, ADMIN + SECURITY + RELAY + "smtpHost: mail.example.org, smtpPort: 587, "
                + "starttls: true, username: alerts, password: \"Hunter2-S3cret\"}}}\n");
        for (String json : List.of("--text", "--json")) {
            Outcome plan = json.equals("--json")
                    ? HostileCorpus.run("-c", spec.toString(), "plan", "--root", root.toString(), "--json")
                    : HostileCorpus.run("-c", spec.toString(), "plan", "--root", root.toString());
            HostileCorpus.expect(plan, 0, "/etc/postfix/sasl_passwd", "Hunter2-S3cret");
            assertThat(plan.all()).contains("(contents hidden: holds a secret)");
        }
        sentinel.assertUnchanged();
    }

    // --- monitor.metrics.listen: ADDRESS[:PORT] ----------------------------------------------------

    @ParameterizedTest(name = "listen: {0}")
    @ValueSource(strings = {"auto", "\"local host\"", "metrics.example.org", "\"127.0.0.1:70000\"", "\"127.0.0.1:\"",
            "\"[::1\""})
    void metricsListenIsAnAddress(String listen) throws IOException {
        refused("monitor: {metrics: {listen: " + listen + "}, channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}\n",
                "monitor.metrics.listen");
    }

    // --- malformed values: a spec error naming the key, never a Java exception ---------------------

    @Test
    void engineHostWithASpace() throws IOException {
        refused("engine: {hosts: [\"tcp://a b:2375\"]}\n", "engine.hosts[0]");
    }

    @Test
    void engineHostWithAPortOutOfRange() throws IOException {
        refused("engine: {hosts: [\"tcp://127.0.0.1:70000\"]}\n", "engine.hosts[0]");
    }

    @Test
    void engineHostUnixSocketWithANewline() throws IOException {
        refused("engine: {hosts: [\"unix:///run/docker.sock\\n\"]}\n", "engine.hosts[0]");
    }

    @Test
    void engineAddressFlagWithASpaceIsAUsageError() throws IOException {
        Files.writeString(dir.resolve("kiban.yaml"), ADMIN + MONITOR + SECURITY);
        Outcome o = HostileCorpus.run("-c", dir.resolve("kiban.yaml").toString(), "status", "-H", "tcp://a b:2375");
        HostileCorpus.expect(o, 2, "--host: not a Docker engine address");
        sentinel.assertUnchanged();
    }

    @Test
    void engineAddressFromTheEnvironmentWithAPortOutOfRange() throws IOException {
        Outcome o = HostileCorpus.run(java.util.Map.of("DOCKER_HOST", "tcp://127.0.0.1:70000"), a -> {
            throw new AssertionError("a malformed address must not reach the engine");
        }, "", "-c", "builtin", "status");
        HostileCorpus.expect(o, 2, "DOCKER_HOST: not a Docker engine address");
    }

    @Test
    void sizeOverflow() throws IOException {
        refused("host: {memory: 99999999999999999T}\n", "host.memory");
    }

    @Test
    void sizesThatOverflowWhenAdded() throws IOException {
        refused("budget: {hostReserve: {memory: 1024P}, docker: {memory: 1024P}, spare: {memory: 1024P}}\n", "budget");
    }

    @Test
    void durationOverflow() throws IOException {
        refused("monitor: {interval: 99999999999999999999d, channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}\n",
                "monitor.interval");
    }

    @Test
    void durationOverflowInWeeks() throws IOException {
        refused("monitor: {journalRetention: 9999999999999999w, channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}\n",
                "monitor.journalRetention");
    }

    @Test
    void cidrPrefixOutOfRange() throws IOException {
        refused("networks: {docker: {bridge: 172.17.0.0/33}}\n", "networks.docker.bridge");
    }

    @Test
    void cidrOctetOutOfRange() throws IOException {
        refused("networks: {docker: {bridge: 300.17.0.0/16}}\n", "networks.docker.bridge");
    }

    @Test
    void portOutOfRange() throws IOException {
        refused("ports: {public: [{port: \"70000\", class: web}]}\n", "ports.public[0].port");
    }

    @Test
    void portTooLongForANumber() throws IOException {
        refused("swarm: {dataPathPort: 99999999999999999999}\n", "swarm.dataPathPort");
    }

    @Test
    void scheduleNumberTooLong() throws IOException {
        refused("backup: {schedule: \"0 99999999999 * * *\"}\n", "backup.schedule");
    }

    @Test
    void percentNotANumber() throws IOException {
        refused("monitor: {rules: [{name: cpu-high, metric: cpu, above: NaN, channels: [discord]}], "
                + "channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}\n", "monitor.rules[0].above");
    }

    // --- the other values that land in files ------------------------------------------------------

    @Test
    void sysctlKeyWithANewline() throws IOException {
        refused("engine: {sysctl: {\"net.ipv4.ip_forward\\nkernel.core_pattern\": \"1\"}}\n", "engine.sysctl");
    }

    @Test
    void sysctlValueInjectingASecondParameter() throws IOException {
        refused("engine: {sysctl: {net.ipv4.ip_forward: \"1\\nkernel.core_pattern = |/tmp/x\"}}\n",
                "engine.sysctl.net.ipv4.ip_forward");
    }

    @Test
    void sysctlKeyWithALeadingDash() throws IOException {
        refused("engine: {sysctl: {-kernel.core_pattern: \"1\"}}\n", "engine.sysctl");
    }

    @Test
    void fail2banActionInterpolation() throws IOException {
        refused("security: {ssh: {allowUsers: [deploy]}, fail2ban: {action: \"action_mwl)s %(x\"}}\n",
                "security.fail2ban.action");
    }

    @Test
    void loggingLabelWithAComma() throws IOException {
        refused("engine: {logging: {labels: [\"a,b\"]}}\n", "engine.logging.labels[0]");
    }

    @Test
    void seccompProfileWithASpace() throws IOException {
        refused("engine: {seccompProfile: \"/etc/docker/sec comp.json\"}\n", "engine.seccompProfile");
    }

    @Test
    void usernsRemapWithASpace() throws IOException {
        refused("engine: {usernsRemap: \"dockremap other\"}\n", "engine.usernsRemap");
    }

    @Test
    void logwatchServiceWithASecondLine() throws IOException {
        refused("monitor: {report: {services: [\"docker\\nService = All\"]}, channels: {discord: {webhook: "
                + "env:DISCORD_WEBHOOK}}}\n",
                "monitor.report.services[0]");
    }

    @Test
    void logwatchRangeWithASemicolon() throws IOException {
        refused("monitor: {report: {range: \"yesterday; rm\"}, channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}\n",
                "monitor.report.range");
    }

    @Test
    void ruleNameWithAQuote() throws IOException {
        refused("monitor: {rules: [{name: 'cpu\"}', metric: cpu, above: 80%, channels: [discord]}], "
                + "channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}\n", "monitor.rules[0].name");
    }

    // --- the audit's keys ------------------------------------------------------------------------------

    @Test
    void imageAgeWithAShellTail() throws IOException {
        refused("audit: {maxImageAgeDays: \"90; reboot\"}\n", "audit.maxImageAgeDays");
    }

    @Test
    void imageAgeOfZeroDays() throws IOException {
        refused("audit: {maxImageAgeDays: 0}\n", "audit.maxImageAgeDays");
    }

    @Test
    void imageAgeBeyondAnInteger() throws IOException {
        refused("audit: {maxImageAgeDays: 99999999999999999999}\n", "audit.maxImageAgeDays");
    }

    // --- the weekly routine's keys ------------------------------------------------------------------------

    @Test
    void imageCleanUpAgeWithAShellTail() throws IOException {
        refused("maintenance: {images: {olderThan: \"30d; docker system prune -a --volumes -f\"}}\n",
                "maintenance.images.olderThan");
    }

    @Test
    void imageCleanUpOfEverythingAtOnce() throws IOException {
        refused("maintenance: {images: {olderThan: 0s}}\n", "maintenance.images.olderThan");
    }

    @Test
    void anEngineWindowThatBreaksOutOfItsTimer() throws IOException {
        refused("maintenance: {engineUpdate: {schedule: \"Mon 05:00\\nExecStartPre=/bin/id\"}}\n",
                "maintenance.engineUpdate.schedule");
    }

    @Test
    void routineLogsInASystemTreeOrKibansState() throws IOException {
        refused("maintenance: {logs: /etc}\n", "maintenance.logs");
        refused("maintenance: {logs: /var/lib/kiban}\n", "maintenance.logs");
    }

    @Test
    void anOffSiteCopyTargetThatBreaksOutOfItsArgv() throws IOException {
        refused("maintenance: {offsiteCopy: {to: \"/mnt/offsite\\nExecStartPre=/bin/id\"}}\n",
                "maintenance.offsiteCopy.to");
        refused("maintenance: {offsiteCopy: {to: \"/mnt/offsite --dry-run\"}}\n", "maintenance.offsiteCopy.to");
        refused("maintenance: {offsiteCopy: {to: \"sftp://u@h/srv/$(reboot)\"}}\n", "maintenance.offsiteCopy.to");
        refused("maintenance: {offsiteCopy: {to: \"sftp://u@h/srv/../../etc\"}}\n", "maintenance.offsiteCopy.to");
        refused("maintenance: {offsiteCopy: {to: \"s3://bucket/a;reboot\"}}\n", "maintenance.offsiteCopy.to");
    }

    @Test
    void anOffSiteCopyOptionWithASpecifierOrAShellTail() throws IOException {
        refused("maintenance: {offsiteCopy: {to: \"s3://bucket/p\", endpoint: \"https://h/%h\"}}\n",
                "maintenance.offsiteCopy.endpoint");
        refused("maintenance: {offsiteCopy: {to: \"sftp://u@h/p\", identity: \"/etc/kiban/id key\"}}\n",
                "maintenance.offsiteCopy.identity");
    }

    @Test
    void aDashboardOpenToAllOrBreakingOutOfItsUnit() throws IOException {
        refused("dashboard: {enabled: true, bind: \"0.0.0.0:9440\"}\n", "dashboard.bind");
        refused("dashboard: {enabled: true, bind: \"192.0.2.10:9440\"}\n", "dashboard.bind");
        refused("dashboard: {enabled: true, bind: \"127.0.0.1:9440\\nExecStartPre=/bin/id\"}\n", "dashboard.bind");
        refused("dashboard: {enabled: true, bind: \"127.0.0.1:99999\"}\n", "dashboard.bind");
        refused("dashboard: {enabled: true, tokenFile: \"/etc/kiban/token --bind 0.0.0.0:80\"}\n",
                "dashboard.tokenFile");
        refused("dashboard: {enabled: true, tls: {certificate: \"/etc/kiban/c.pem\\nUser=root\", "
                + "key: /etc/kiban/k.pem}}\n", "dashboard.tls.certificate");
    }
}
