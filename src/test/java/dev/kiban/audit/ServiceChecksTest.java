package dev.kiban.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The host's hardening services on recorded facts, good and bad, per family. */
class ServiceChecksTest {
    static final List<String> IDS = List.of("kiban.fail2ban", "kiban.selinux", "kiban.selinux.labels",
            "kiban.firewall", "kiban.firewall.docker-user", "kiban.updates", "kiban.journald");

    static Recorded host(Family family) {
        return new Recorded().family(family);
    }

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void aHostAsKibanLeavesItPassesEveryServiceCheck(Family family) {
        Recorded r = host(family);
        for (String id : IDS) assertThat(r.result(id).status()).as(id + ": " + r.result(id).evidence())
                .isEqualTo(Status.PASS);
    }

    @Test
    void theChecksAreInTheCatalogueWithTheirSeverities() {
        Recorded r = new Recorded();
        assertThat(r.result("kiban.fail2ban").severity()).isEqualTo(Severity.HIGH);
        assertThat(r.result("kiban.selinux").severity()).isEqualTo(Severity.HIGH);
        assertThat(r.result("kiban.selinux.labels").severity()).isEqualTo(Severity.MEDIUM);
        assertThat(r.result("kiban.firewall").severity()).isEqualTo(Severity.HIGH);
        assertThat(r.result("kiban.firewall.docker-user").severity()).isEqualTo(Severity.HIGH);
        assertThat(r.result("kiban.updates").severity()).isEqualTo(Severity.MEDIUM);
        assertThat(r.result("kiban.journald").severity()).isEqualTo(Severity.LOW);
        assertThat(Audit.select(Catalogue.all(), List.of("kiban.firewall"))).extracting(AuditCheck::id)
                .containsExactly("kiban.firewall", "kiban.firewall.docker-user");
    }

    @Nested
    class Fail2ban {
        @Test
        void aStoppedFail2banFailsNamingIt() {
            Recorded r = host(Family.DEBIAN);
            r.fail2banRunning = false;
            AuditResult f = r.result("kiban.fail2ban");
            assertThat(f.status()).isEqualTo(Status.FAIL);
            assertThat(f.evidence()).startsWith("fail2ban is not running: ").contains("Is fail2ban running?");
            assertThat(f.remediation()).contains("systemctl enable --now fail2ban");
        }

        @Test
        void aJailTheSpecEnablesThatIsNotActiveFails() {
            Recorded r = host(Family.RHEL);
            r.fail2ban = "Status\n|- Number of jail:\t1\n`- Jail list:\tsshd\n";
            AuditResult f = r.result("kiban.fail2ban");
            assertThat(f.status()).isEqualTo(Status.FAIL);
            assertThat(f.evidence()).isEqualTo("fail2ban running with jails sshd; not active: docker-api");
            assertThat(new Recorded().result("kiban.fail2ban").evidence())
                    .isEqualTo("fail2ban running with jails sshd, docker-api");
        }
    }

    @Nested
    class Selinux {
        @Test
        void permissiveOrDisabledOnRhelFails() {
            Recorded r = host(Family.RHEL);
            r.selinux = "Permissive";
            assertThat(r.result("kiban.selinux").status()).isEqualTo(Status.FAIL);
            assertThat(r.result("kiban.selinux").remediation()).contains("setenforce 1");
            r.selinux = "Disabled";
            assertThat(r.result("kiban.selinux").evidence()).startsWith("SELinux Disabled");
            assertThat(r.result("kiban.selinux").remediation()).contains("reboot");
        }

        @Test
        void debianPassesSayingAppArmorConfinesEvenWithoutSelinux() {
            Recorded r = host(Family.DEBIAN);
            r.selinux = "Disabled";
            r.labels.clear();
            assertThat(r.result("kiban.selinux").status()).isEqualTo(Status.PASS);
            assertThat(r.result("kiban.selinux").evidence()).contains("AppArmor");
            assertThat(r.result("kiban.selinux.labels").status()).isEqualTo(Status.PASS);
        }

        @Test
        void aVolumeTreeWithoutTheContainerLabelFails() {
            Recorded r = host(Family.RHEL);
            r.labels.put("/data/docker/volumes", "system_u:object_r:default_t:s0");
            AuditResult l = r.result("kiban.selinux.labels");
            assertThat(l.status()).isEqualTo(Status.FAIL);
            assertThat(l.evidence()).isEqualTo("/data/docker/volumes system_u:object_r:default_t:s0, not "
                    + "container_file_t: containers are refused its bind mounts (D8)");
            assertThat(l.remediation()).contains("semanage fcontext -a -t container_file_t").contains("restorecon");
            r.labels.clear();
            assertThat(r.result("kiban.selinux.labels").evidence()).isEqualTo("/data/docker/volumes does not exist");
            r.labels.put("/data/docker/volumes", "");
            assertThat(r.result("kiban.selinux.labels").evidence()).contains("has no SELinux label");
        }
    }

    @Nested
    class Firewall {
        @Test
        void firewalldStoppedOrWithoutKibansZoneFails() {
            Recorded r = host(Family.RHEL);
            r.firewallRunning = false;
            assertThat(r.result("kiban.firewall").status()).isEqualTo(Status.FAIL);
            assertThat(r.result("kiban.firewall").evidence()).startsWith("firewalld is not running");
            Recorded other = host(Family.RHEL);
            other.firewallLoaded = List.of("trusted");
            assertThat(other.result("kiban.firewall").status()).isEqualTo(Status.FAIL);
            assertThat(other.result("kiban.firewall").evidence()).contains("kiban's zone public is not in use")
                    .contains("trusted");
        }

        @Test
        void nftablesWithoutKibansTableFails() {
            Recorded r = host(Family.DEBIAN);
            r.firewallLoaded = List.of("ip filter", "ip nat");
            AuditResult f = r.result("kiban.firewall");
            assertThat(f.status()).isEqualTo(Status.FAIL);
            assertThat(f.evidence()).startsWith("nftables has no table inet kiban");
            assertThat(f.remediation()).contains("kiban-firewall.service");
        }

        @Test
        void dockerUserWithoutTheChainOrKibansRulesFails() {
            Recorded none = host(Family.DEBIAN);
            none.dockerUser = "";
            assertThat(none.result("kiban.firewall.docker-user").evidence()).startsWith("no DOCKER-USER chain");
            Recorded docker = host(Family.DEBIAN);
            docker.dockerUser = "-N DOCKER-USER\n-A DOCKER-USER -j RETURN\n";
            AuditResult d = docker.result("kiban.firewall.docker-user");
            assertThat(d.status()).isEqualTo(Status.FAIL);
            assertThat(d.evidence()).startsWith("DOCKER-USER lacks 6 of kiban's rules: ");
            Recorded api = host(Family.DEBIAN);
            api.dockerUser = Recorded.DOCKER_USER.replace("-A DOCKER-USER -p tcp -m conntrack --ctorigdstport 2375 "
                    + "-j DROP\n", "");
            assertThat(api.result("kiban.firewall.docker-user").evidence()).isEqualTo("DOCKER-USER lacks 1 of kiban's "
                    + "rules: -A DOCKER-USER -p tcp -m conntrack --ctorigdstport 2375 -j DROP");
        }

        @Test
        void anAcceptEverythingBeforeKibansDropFails() {
            Recorded r = host(Family.RHEL);
            r.dockerUser = Recorded.DOCKER_USER.replace("-A DOCKER-USER -i lo -j RETURN\n",
                    "-A DOCKER-USER -i lo -j RETURN\n-A DOCKER-USER -j ACCEPT\n");
            AuditResult d = r.result("kiban.firewall.docker-user");
            assertThat(d.status()).isEqualTo(Status.FAIL);
            assertThat(d.evidence()).contains("lets everything through").contains("-A DOCKER-USER -j ACCEPT");
        }
    }

    @Nested
    class Updates {
        @Test
        void aDisabledTimerFails() {
            Recorded r = host(Family.RHEL);
            r.timers = new LinkedHashMap<>(Map.of("dnf-automatic.timer", "disabled"));
            assertThat(r.result("kiban.updates").status()).isEqualTo(Status.FAIL);
            assertThat(r.result("kiban.updates").evidence()).isEqualTo("dnf-automatic.timer is disabled");
            Recorded d = host(Family.DEBIAN);
            d.timers = new LinkedHashMap<>(Map.of("apt-daily.timer", "enabled", "apt-daily-upgrade.timer", "masked"));
            assertThat(d.result("kiban.updates").evidence()).isEqualTo("apt-daily-upgrade.timer is masked");
        }

        @Test
        void aLaterAptFileTurningUnattendedUpgradesOffFails() {
            Recorded r = host(Family.DEBIAN);
            r.aptFiles.add("APT { Periodic { Unattended-Upgrade \"0\"; }; };\n");
            AuditResult u = r.result("kiban.updates");
            assertThat(u.status()).isEqualTo(Status.FAIL);
            assertThat(u.evidence()).isEqualTo("APT::Periodic::Unattended-Upgrade is \"0\"");
            Recorded none = host(Family.DEBIAN);
            none.aptFiles = new ArrayList<>();
            assertThat(none.result("kiban.updates").evidence())
                    .contains("APT::Periodic::Unattended-Upgrade is not set");
        }

        @Test
        void updatesOffInTheSpecPassSayingSo() {
            Recorded r = host(Family.DEBIAN);
            r.spec = dev.kiban.spec.SpecDocument.parse("kiban.yaml", Recorded.SPEC.replace("security: {",
                    "security: {updates: {apply: false}, "), false).require().resolved(Family.DEBIAN, "192.168.10.5");
            r.aptFiles = new ArrayList<>();
            assertThat(r.result("kiban.updates").status()).isEqualTo(Status.PASS);
            assertThat(r.result("kiban.updates").evidence()).contains("security.updates.apply is false");
        }
    }

    @Nested
    class Journald {
        @Test
        void aLaterDropInShorteningTheRetentionFails() {
            Recorded r = host(Family.DEBIAN);
            r.journaldFiles.add("[Journal]\nMaxRetentionSec=1week\n");
            AuditResult j = r.result("kiban.journald");
            assertThat(j.status()).isEqualTo(Status.FAIL);
            assertThat(j.evidence()).isEqualTo("MaxRetentionSec=1week, the spec keeps 30day");
        }

        @Test
        void volatileStorageFailsAndAnEquivalentSpanPasses() {
            Recorded r = host(Family.RHEL);
            r.journaldFiles.add("[Journal]\nStorage=volatile\n");
            assertThat(r.result("kiban.journald").evidence()).startsWith("Storage=volatile, not persistent");
            Recorded same = host(Family.RHEL);
            same.journaldFiles = new ArrayList<>(List.of("[Journal]\nStorage=persistent\nMaxRetentionSec=4w 2d\n"));
            assertThat(same.result("kiban.journald").status()).isEqualTo(Status.PASS);
            Recorded unset = host(Family.RHEL);
            unset.journaldFiles = new ArrayList<>(List.of("[Journal]\nStorage=persistent\n"));
            assertThat(unset.result("kiban.journald").evidence()).contains("not set: no limit");
        }
    }

    @Test
    void whatAsksTheRunningSystemIsAnErrorUnderARootAndTheFilesStillCount() {
        Recorded r = host(Family.RHEL);
        r.runningError = "fail2ban-client asks the running system, which is not the tree given with --root";
        for (String id : List.of("kiban.fail2ban", "kiban.selinux", "kiban.firewall", "kiban.firewall.docker-user")) {
            assertThat(r.result(id).status()).as(id).isEqualTo(Status.ERROR);
            assertThat(r.result(id).evidence()).as(id).contains("--root");
        }
        for (String id : List.of("kiban.updates", "kiban.journald", "kiban.selinux.labels")) {
            assertThat(r.result(id).status()).as(id).isEqualTo(Status.PASS);
        }
        assertThat(host(Family.DEBIAN).result("kiban.selinux").status()).isEqualTo(Status.PASS);
    }
}
