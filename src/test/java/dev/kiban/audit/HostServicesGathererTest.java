package dev.kiban.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.os.HostPrograms;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakePrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The services' edge: the programs' answers parsed, the files merged under a root, nothing running asked there. */
class HostServicesGathererTest {
    static final Path SYSTEM = Path.of("/");

    @TempDir
    Path root;
    @TempDir
    Path outside;

    static PlatformSpec spec(Family family) {
        return SpecDocument.parse("kiban.yaml", Recorded.SPEC, false).require().resolved(family, "192.168.10.5");
    }

    Path write(String path, String text) throws IOException {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    /** Programs answering by their arguments: the first entry whose key the command line contains. */
    static FakePrograms answering(List<String> installed, Map<String, HostPrograms.Result> byArgument) {
        return new FakePrograms(installed, (argv, t) -> byArgument.entrySet().stream()
                .filter(e -> String.join(" ", argv).contains(e.getKey())).map(Map.Entry::getValue).findFirst()
                .orElse(new HostPrograms.Result(1, "unexpected " + argv)));
    }

    @Test
    void parsesFail2bansJailList() {
        assertThat(AuditGatherer.parseJails(Recorded.FAIL2BAN_STATUS)).containsExactly("sshd", "docker-api");
        assertThat(AuditGatherer.parseJails("Status\n|- Number of jail:\t0\n`- Jail list:\t\n")).isEmpty();
        assertThat(AuditGatherer.parseJails("ERROR   Failed to access socket path")).isEmpty();
    }

    @Test
    void parsesIptablesRulesLeavingWarningsOut() {
        String out = "# Warning: iptables-legacy tables present, use iptables-legacy to see them\n"
                + "-N DOCKER-USER\n-A DOCKER-USER  -i lo   -j RETURN\n\n";
        assertThat(AuditGatherer.parseRules(out)).containsExactly("-N DOCKER-USER", "-A DOCKER-USER -i lo -j RETURN");
    }

    @Test
    void parsesFirewalldZonesAndNftTables() {
        assertThat(AuditGatherer.parseActiveZones("docker\n  interfaces: docker0\npublic (default)\n"
                + "  interfaces: eth0\n")).containsExactly("docker", "public");
        assertThat(AuditGatherer.parseTables("table ip filter\ntable inet kiban\n")).containsExactly("ip filter",
                "inet kiban");
    }

    @Test
    void mergesJournaldAsSystemdDoesLaterWinsAndAnEmptyValueResets() {
        Map<String, String> j = ConfigFiles.journald(List.of(
                "[Journal]\nStorage=volatile\nMaxRetentionSec=1month\n[Other]\nStorage=none\n",
                "# comment\n[Journal]\n; also a comment\nStorage = persistent\n",
                "[Journal]\nMaxRetentionSec=\n"));
        assertThat(j).containsEntry("Storage", "persistent").doesNotContainKey("MaxRetentionSec");
    }

    @Test
    void readsSystemdTimeSpans() {
        assertThat(ConfigFiles.seconds("30day")).hasValue(2_592_000);
        assertThat(ConfigFiles.seconds("4w 2d")).hasValue(2_592_000);
        assertThat(ConfigFiles.seconds("3600")).hasValue(3600);
        assertThat(ConfigFiles.seconds("1h30min")).hasValue(5400);
        assertThat(ConfigFiles.seconds("infinity")).hasValue(Long.MAX_VALUE);
        assertThat(ConfigFiles.seconds("30 fortnights")).isEmpty();
        assertThat(ConfigFiles.seconds("")).isEmpty();
    }

    @Test
    void mergesAptConfigurationInBothFormsLaterWinning() {
        Map<String, String> apt = ConfigFiles.apt(List.of(
                "// kiban\nAPT::Periodic::Update-Package-Lists \"1\";\nAPT::Periodic::Unattended-Upgrade \"1\";\n",
                "Unattended-Upgrade::Origins-Pattern {\n    \"origin=Debian\";\n};\n"
                        + "/* APT::Periodic::Enable \"0\"; */\n"
                        + "# APT::Periodic::Update-Package-Lists \"0\";\n",
                "APT {\n  Periodic {\n    unattended-upgrade \"0\";  // off again\n  };\n};\n"));
        assertThat(apt).containsEntry("apt::periodic::update-package-lists", "1")
                .containsEntry("apt::periodic::unattended-upgrade", "0").doesNotContainKey("apt::periodic::enable");
        assertThat(apt.keySet()).noneMatch(k -> k.contains("origin=Debian"));
    }

    @Test
    void aptsPartsAreReadInOrderThenAptConfAndBackupsLeftOut() throws IOException {
        write("/etc/apt/apt.conf.d/20auto-upgrades", Recorded.APT_PERIODIC);
        write("/etc/apt/apt.conf.d/10periodic", "APT::Periodic::Unattended-Upgrade \"0\";\n");
        write("/etc/apt/apt.conf.d/99off.dpkg-old", "APT::Periodic::Unattended-Upgrade \"0\";\n");
        Fact<Map<String, String>> apt = AuditGatherer.apt(root);
        assertThat(apt.get()).containsEntry("apt::periodic::unattended-upgrade", "1");
        write("/etc/apt/apt.conf", "APT::Periodic::Unattended-Upgrade \"7\";\n");
        assertThat(AuditGatherer.apt(root).get()).containsEntry("apt::periodic::unattended-upgrade", "7");
    }

    @Test
    void journaldsDropInsAcrossDirectoriesEtcHidingUsrLibAndDevNullMasking() throws IOException {
        write("/etc/systemd/journald.conf", "[Journal]\n#Storage=auto\n");
        write("/usr/lib/systemd/journald.conf.d/10-vendor.conf", "[Journal]\nStorage=volatile\n");
        write("/usr/lib/systemd/journald.conf.d/50-kiban.conf", "[Journal]\nStorage=none\n");
        write("/etc/systemd/journald.conf.d/50-kiban.conf", Recorded.JOURNALD);
        write("/usr/lib/systemd/journald.conf.d/60-size.conf", "[Journal]\nMaxRetentionSec=1d\n");
        Files.createSymbolicLink(root.resolve("etc/systemd/journald.conf.d/60-size.conf"), Path.of("/dev/null"));
        assertThat(AuditGatherer.journald(root).get()).containsEntry("Storage", "persistent")
                .containsEntry("MaxRetentionSec", "30day");
    }

    @Test
    void aDropInThatIsALinkIsNotFollowedAndWhatItHoldsNeverShown() throws IOException {
        Path secret = Files.writeString(outside.resolve("shadow"), "root:$6$hunter2hash:19000:0:99999:7:::\n");
        Path dropin = write("/etc/systemd/journald.conf.d/50-kiban.conf", "");
        Files.delete(dropin);
        Files.createSymbolicLink(dropin, secret);
        Fact<Map<String, String>> j = AuditGatherer.journald(root);
        assertThat(j.present()).isFalse();
        assertThat(j.error()).isEqualTo("/etc/systemd/journald.conf.d/50-kiban.conf is not a regular file (a link "
                + "is not followed)");
        Path apt = write("/etc/apt/apt.conf.d/20auto-upgrades", "");
        Files.delete(apt);
        Files.createSymbolicLink(apt, secret);
        assertThat(AuditGatherer.apt(root).error()).contains("not a regular file").doesNotContain("hunter2");
    }

    @Test
    void underARootWhatAsksTheRunningSystemIsUnreadableAndTheFilesAreRead() throws IOException {
        write("/etc/systemd/journald.conf.d/50-kiban.conf", Recorded.JOURNALD);
        FakePrograms programs = answering(List.of("systemctl", "fail2ban-client", "iptables", "nft", "getenforce"),
                Map.of("is-enabled", new HostPrograms.Result(0, "enabled\n")));
        HostServices s = AuditGatherer.services(spec(Family.DEBIAN), programs, root).get();
        for (Fact<?> running : List.of(s.fail2ban(), s.firewall(), s.dockerUser())) {
            assertThat(running.error()).contains("not the tree given with --root");
        }
        assertThat(s.journald().get()).containsEntry("Storage", "persistent");
        assertThat(s.timers().get()).containsEntry("apt-daily-upgrade.timer", "enabled");
        assertThat(programs.ran()).allMatch(argv -> argv.get(0).equals("/usr/bin/systemctl")
                && argv.get(1).equals("--root=" + root.toAbsolutePath()) && argv.get(2).equals("is-enabled"));
        HostServices rhel = AuditGatherer.services(spec(Family.RHEL), programs, root).get();
        assertThat(rhel.selinux().error()).contains("no /sys/fs/selinux/enforce under the root");
        write("/sys/fs/selinux/enforce", "0");
        assertThat(AuditGatherer.services(spec(Family.RHEL), programs, root).get().selinux().get())
                .isEqualTo("Permissive");
        assertThat(programs.ran()).noneMatch(argv -> argv.get(0).endsWith("getenforce"));
    }

    @Test
    void readsTheVolumeTreesLabelWithStatNotFollowingALink() throws IOException {
        Files.createDirectories(root.resolve("data/docker/volumes"));
        FakePrograms programs = answering(List.of("stat"), Map.of("%C",
                new HostPrograms.Result(0, "system_u:object_r:container_file_t:s0\n")));
        HostServices s = AuditGatherer.services(spec(Family.RHEL), programs, root).get();
        assertThat(s.labels().get()).containsEntry("/data/docker/volumes", "system_u:object_r:container_file_t:s0");
        assertThat(programs.ran()).contains(List.of("/usr/bin/stat", "-c", "%C",
                root.resolve("data/docker/volumes").toString()));
        Files.delete(root.resolve("data/docker/volumes"));
        Files.createSymbolicLink(root.resolve("data/docker/volumes"), outside);
        assertThat(AuditGatherer.labels(programs, root, "/data/docker/volumes").get())
                .containsEntry("/data/docker/volumes", "(not a directory)");
    }

    @Test
    void onTheSystemItAsksFail2banFirewalldAndIptables() {
        FakePrograms programs = answering(List.of("fail2ban-client", "firewall-cmd", "iptables"), Map.of(
                "fail2ban-client status", new HostPrograms.Result(0, Recorded.FAIL2BAN_STATUS),
                "--state", new HostPrograms.Result(0, "running\n"),
                "--get-default-zone", new HostPrograms.Result(0, "public\n"),
                "--get-active-zones", new HostPrograms.Result(0, "docker\n  interfaces: docker0\n"),
                "-S DOCKER-USER", new HostPrograms.Result(0, Recorded.DOCKER_USER)));
        assertThat(AuditGatherer.fail2ban(programs, SYSTEM).get().jails()).containsExactly("sshd", "docker-api");
        assertThat(AuditGatherer.firewalld(programs, SYSTEM).get().loaded()).containsExactly("public", "docker");
        assertThat(AuditGatherer.dockerUser(programs, SYSTEM).get()).hasSize(12).first().isEqualTo("-N DOCKER-USER");
        assertThat(programs.ran()).contains(List.of("/usr/bin/iptables", "-S", "DOCKER-USER"),
                List.of("/usr/bin/fail2ban-client", "status"));
    }

    @Test
    void aStoppedOrMissingServiceIsAFactNotAnError() {
        FakePrograms stopped = answering(List.of("fail2ban-client", "firewall-cmd", "iptables", "nft"), Map.of(
                "fail2ban-client", new HostPrograms.Result(255, "ERROR   Failed to access socket path: "
                        + "/var/run/fail2ban/fail2ban.sock. Is fail2ban running?"),
                "--state", new HostPrograms.Result(252, "not running\n"),
                "DOCKER-USER", new HostPrograms.Result(1, "iptables: No chain/target/match by that name.\n"),
                "nft", new HostPrograms.Result(1, "Operation not permitted\n")));
        HostServices.Fail2ban f2b = AuditGatherer.fail2ban(stopped, SYSTEM).get();
        assertThat(f2b.running()).isFalse();
        assertThat(f2b.state()).contains("Is fail2ban running?");
        assertThat(AuditGatherer.firewalld(stopped, SYSTEM).get().running()).isFalse();
        assertThat(AuditGatherer.nftables(stopped, SYSTEM).get().state()).contains("Operation not permitted");
        assertThat(AuditGatherer.dockerUser(stopped, SYSTEM).get()).isEmpty();
        FakePrograms none = FakePrograms.none();
        assertThat(AuditGatherer.fail2ban(none, SYSTEM).get().state()).isEqualTo("fail2ban is not installed");
        assertThat(AuditGatherer.firewalld(none, SYSTEM).get().state()).isEqualTo("firewalld is not installed");
        assertThat(AuditGatherer.dockerUser(none, SYSTEM).error()).isEqualTo("iptables is not installed");
    }
}
