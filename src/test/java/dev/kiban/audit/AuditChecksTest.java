package dev.kiban.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.engine.ContainerHardening;
import dev.kiban.spec.AuditIds;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each implemented check on recorded facts, good and bad; the design's deviations as INFO; the catalogue. */
class AuditChecksTest {

    static ContainerHardening with(ContainerHardening c, boolean privileged, List<ContainerHardening.HostMount> mounts,
                                   long memory, long nanoCpus, long pids) {
        return new ContainerHardening(c.id(), c.name(), c.image(), true, privileged, c.networkMode(), c.pidMode(),
                c.ipcMode(), c.utsMode(), c.usernsMode(), c.capAdd(), c.securityOpt(), c.appArmorProfile(), mounts,
                memory, nanoCpus, c.cpuShares(), pids, c.user(), c.healthcheck(), c.readonlyRootfs(),
                c.restartPolicy(), c.restartMaxRetries(), c.ports(), c.networks(), c.cgroupParent());
    }

    @Nested
    class Catalogue {
        @Test
        void holdsEveryKnownIdInOrderAndNothingElse() {
            assertThat(dev.kiban.audit.Catalogue.all()).extracting(AuditCheck::id)
                    .containsExactlyElementsOf(AuditIds.all().keySet());
        }

        @Test
        void aManualCheckIsNeverReportedAsPass() {
            List<AuditResult> results = new Recorded().audit();
            Set<String> manual = dev.kiban.audit.Catalogue.all().stream().filter(AuditCheck::manual)
                    .map(AuditCheck::id).collect(Collectors.toSet());
            assertThat(results).filteredOn(r -> manual.contains(r.id()))
                    .allMatch(r -> r.status() == Status.MANUAL && r.evidence().startsWith("look at: "));
            assertThat(manual).contains("1.2.1", "5.7", "7.3").doesNotContain("2.2", "5.32", "kiban.ssh.password");
        }

        @Test
        void aHostAsKibanLeavesItHasNoHighFinding() {
            List<AuditResult> results = new Recorded().audit();
            assertThat(Audit.failures(results, Severity.HIGH)).isEmpty();
            assertThat(results).noneMatch(r -> r.status() == Status.ERROR);
        }

        @Test
        void onlySelectsSectionsIdsAndPrefixesAndNamesAnUnknownWord() {
            var all = dev.kiban.audit.Catalogue.all();
            assertThat(Audit.select(all, List.of("kiban.ssh"))).extracting(AuditCheck::id)
                    .containsExactly("kiban.ssh.password", "kiban.ssh.rootlogin", "kiban.ssh.pubkey",
                            "kiban.ssh.allowusers");
            assertThat(Audit.select(all, List.of("7"))).hasSize(9);
            assertThat(Audit.select(all, List.of("2.2", "5.32"))).extracting(AuditCheck::id)
                    .containsExactly("2.2", "5.32");
            assertThatThrownBy(() -> Audit.select(all, List.of("5", "9.9", "kiban.nope")))
                    .hasMessage("9.9, kiban.nope");
        }
    }

    @Nested
    class Daemon {
        @Test
        void aDaemonListeningOnTcpIsCaughtByTheApiAndTlsChecks() {
            Recorded r = new Recorded();
            r.daemonJson = "{\"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2375\"]}";
            assertThat(r.result("kiban.api.tcp").status()).isEqualTo(Status.FAIL);
            assertThat(r.result("kiban.api.tcp").evidence()).contains("tcp://0.0.0.0:2375");
            assertThat(r.result("kiban.api.tcp").remediation()).contains("engine.hosts").contains("kiban apply");
            assertThat(r.result("2.7").status()).isEqualTo(Status.FAIL);
        }

        @Test
        void aUnitDropInOrAListenerOnTheApiPortIsCaughtToo() {
            Recorded r = new Recorded();
            r.units += "ExecStart=\nExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2375\n";
            assertThat(r.result("kiban.api.tcp").evidence()).contains("tcp://0.0.0.0:2375");
            Recorded listening = new Recorded();
            listening.ports.add(2376);
            assertThat(listening.result("kiban.api.tcp").status()).isEqualTo(Status.FAIL);
            assertThat(listening.result("kiban.api.tcp").evidence()).contains("port 2376");
        }

        @Test
        void tcpWithTlsVerifyPassesTheCisCheck() {
            Recorded r = new Recorded();
            r.daemonJson = "{\"hosts\": [\"tcp://10.0.0.1:2376\"], \"tlsverify\": true, \"tlscacert\": \"/c\", "
                    + "\"tlscert\": \"/s\", \"tlskey\": \"/k\"}";
            assertThat(r.result("2.7").status()).isEqualTo(Status.PASS);
            assertThat(r.result("kiban.api.tcp").status()).isEqualTo(Status.FAIL);
            assertThat(new Recorded().result("2.7").evidence()).isEqualTo("the daemon does not listen on TCP");
        }

        @Test
        void aWorldWritableSocketFails() {
            Recorded r = new Recorded();
            r.files.put("/var/run/docker.sock", new FileFact("/var/run/docker.sock", true, "root", "docker", 0666));
            assertThat(r.result("kiban.socket.mode").status()).isEqualTo(Status.FAIL);
            assertThat(r.result("kiban.socket.mode").evidence()).contains("root:docker 0666");
            assertThat(r.result("3.16").status()).isEqualTo(Status.FAIL);
            assertThat(new Recorded().result("kiban.socket.mode").status()).isEqualTo(Status.PASS);
        }

        @Test
        void aSocketOwnedByAUserFails() {
            Recorded r = new Recorded();
            r.files.put("/var/run/docker.sock", new FileFact("/var/run/docker.sock", true, "bob", "bob", 0660));
            assertThat(r.result("kiban.socket.owner").status()).isEqualTo(Status.FAIL);
            assertThat(r.result("3.15").status()).isEqualTo(Status.FAIL);
        }

        @Test
        void filesOwnedOrWritableBeyondTheBenchmarkFail() {
            Recorded r = new Recorded();
            r.files.put("/etc/docker/daemon.json", new FileFact("/etc/docker/daemon.json", true, "deploy", "root",
                    0666));
            assertThat(r.result("3.17").status()).isEqualTo(Status.FAIL);
            assertThat(r.result("3.18").remediation()).isEqualTo("chmod 644 /etc/docker/daemon.json");
            assertThat(r.result("3.1").status()).isEqualTo(Status.PASS); // absent: nothing to protect
        }

        @Test
        void tlsAndRegistryCertificatesAreOwnedByRootAndNotWritable() {
            Recorded none = new Recorded();
            for (String id : List.of("3.7", "3.8", "3.9", "3.14")) {
                assertThat(none.result(id).status()).as(id).isEqualTo(Status.PASS);
            }
            Recorded r = new Recorded();
            r.daemonJson = "{\"tlscacert\": \"/etc/docker/ca.pem\", \"tlskey\": \"/etc/docker/key.pem\"}";
            r.files.put("/etc/docker/ca.pem", new FileFact("/etc/docker/ca.pem", true, "root", "root", 0444));
            r.files.put("/etc/docker/key.pem", new FileFact("/etc/docker/key.pem", true, "deploy", "root", 0640));
            r.files.put("/etc/docker/certs.d/r:5000/ca.crt", new FileFact("/etc/docker/certs.d/r:5000/ca.crt", true,
                    "root", "root", 0644));
            assertThat(r.result("3.9").status()).isEqualTo(Status.PASS);
            assertThat(r.result("3.10").status()).isEqualTo(Status.PASS);
            assertThat(r.result("3.11").status()).isEqualTo(Status.PASS); // no tlscert
            assertThat(r.result("3.13").evidence()).isEqualTo("/etc/docker/key.pem deploy:root 0640");
            assertThat(r.result("3.14").remediation()).isEqualTo("chmod 400 /etc/docker/key.pem");
            assertThat(r.result("3.7").status()).isEqualTo(Status.PASS);
            assertThat(r.result("3.8").status()).isEqualTo(Status.FAIL);
        }

        @Test
        void daemonJsonSettingsAgainstTheBenchmark() {
            Recorded good = new Recorded();
            for (String id : List.of("2.2", "2.3", "2.4", "2.5", "2.8", "2.14", "2.16", "2.17", "2.18")) {
                assertThat(good.result(id).status()).as(id).isEqualTo(Status.PASS);
            }
            Recorded bad = new Recorded();
            bad.daemonJson = "{\"log-level\": \"debug\", \"iptables\": false, \"insecure-registries\": [\"r:5000\"],"
                    + " \"userland-proxy\": true}";
            bad.securityOptions.clear();
            for (String id : List.of("2.2", "2.3", "2.4", "2.5", "2.8", "2.14", "2.16", "2.17")) {
                assertThat(bad.result(id).status()).as(id).isEqualTo(Status.FAIL);
            }
            assertThat(bad.result("2.14").remediation()).isEqualTo(
                    "set engine.noNewPrivileges to true in the spec and run 'kiban apply'");
        }
    }

    @Nested
    class DesignDeviations {
        @Test
        void liveRestoreOffUnderSwarmIsInfoWithD1() {
            AuditResult r = new Recorded().result("2.15");
            assertThat(r.status()).isEqualTo(Status.INFO);
            assertThat(r.reason()).startsWith("D1:");
            Recorded alone = new Recorded();
            alone.swarm = false;
            assertThat(alone.result("2.15").status()).isEqualTo(Status.FAIL);
        }

        @Test
        void noUsernsRemapUnderSwarmIsInfoWithD13() {
            AuditResult r = new Recorded().result("2.9");
            assertThat(r.status()).isEqualTo(Status.INFO);
            assertThat(r.reason()).startsWith("D13:");
            Recorded alone = new Recorded();
            alone.swarm = false;
            assertThat(alone.result("2.9").status()).isEqualTo(Status.FAIL);
            alone.securityOptions.add("name=userns");
            assertThat(alone.result("2.9").status()).isEqualTo(Status.PASS);
        }

        @Test
        void swarmModeOnIsInfo() {
            assertThat(new Recorded().result("5.1").status()).isEqualTo(Status.INFO);
            assertThat(new Recorded().result("kiban.swarm").status()).isEqualTo(Status.INFO);
        }

        @Test
        void aRestartPolicyOtherThanOnFailure5IsInfoUnderSwarm() {
            Recorded r = new Recorded();
            ContainerHardening c = Recorded.hardened("db");
            r.containers.add(new ContainerHardening(c.id(), c.name(), c.image(), true, false, c.networkMode(), "", "",
                    "", "", List.of(), c.securityOpt(), "", List.of(), c.memory(), c.nanoCpus(), 0, 100, "999", true,
                    true, "always", 0, List.of(), c.networks(), ""));
            assertThat(r.result("5.15").status()).isEqualTo(Status.INFO);
            r.swarm = false;
            assertThat(r.result("5.15").status()).isEqualTo(Status.FAIL);
            assertThat(r.result("5.15").evidence()).contains("db (always)");
        }
    }

    @Nested
    class Containers {
        @Test
        void aPrivilegedContainerWithTheSocketMountedIsCaught() {
            Recorded r = new Recorded();
            r.containers.add(with(Recorded.hardened("portainer"), true, List.of(new ContainerHardening.HostMount("bind",
                    "/var/run/docker.sock", "/var/run/docker.sock", true, "rprivate")), 1 << 30, 1_000_000_000L, 100));
            assertThat(r.result("5.5").status()).isEqualTo(Status.FAIL);
            assertThat(r.result("5.5").evidence()).isEqualTo("1 of 2: portainer (privileged)");
            assertThat(r.result("5.32").status()).isEqualTo(Status.FAIL);
            assertThat(r.result("5.32").evidence()).contains("portainer (/var/run/docker.sock)");
            assertThat(Audit.failures(r.audit(), Severity.CRITICAL)).extracting(AuditResult::id)
                    .containsExactly("5.5", "5.32");
        }

        @Test
        void aContainerWithoutLimitsIsCaught() {
            Recorded r = new Recorded();
            r.containers.add(with(Recorded.hardened("batch"), false, List.of(), 0, 0, 0));
            for (String id : List.of("5.11", "5.12", "5.29")) {
                assertThat(r.result(id).status()).as(id).isEqualTo(Status.FAIL);
                assertThat(r.result(id).evidence()).as(id).isEqualTo("1 of 2: batch");
            }
        }

        @Test
        void hostNamespacesCapabilitiesAndSensitiveMountsAreCaught() {
            Recorded r = new Recorded();
            ContainerHardening c = Recorded.hardened("agent");
            r.containers.add(new ContainerHardening(c.id(), c.name(), c.image(), true, false, "host", "host", "host",
                    "host", "host", List.of("SYS_ADMIN"), List.of("seccomp=unconfined", "label=disable"), "",
                    List.of(new ContainerHardening.HostMount("bind", "/etc", "/host/etc", true, "rshared")), 1, 1, 0,
                    1, "root", false, false, "no", 0, List.of(new ContainerHardening.PortBinding("", 80, "80/tcp")),
                    List.of("bridge"), "/custom"));
            for (String id : List.of("4.1", "4.6", "5.3", "5.4", "5.6", "5.8", "5.10", "5.13", "5.14", "5.16", "5.17",
                    "5.20", "5.21", "5.22", "5.27", "5.30", "5.31")) {
                assertThat(r.result(id).status()).as(id).isEqualTo(Status.FAIL);
                assertThat(r.result(id).evidence()).as(id).contains("agent");
            }
            assertThat(r.result("5.25").status()).isEqualTo(Status.WARN);
            assertThat(r.result("5.4").evidence()).contains("cap_add SYS_ADMIN");
        }

        @Test
        void noRunningContainersPasses() {
            Recorded r = new Recorded();
            r.containers.clear();
            assertThat(r.result("5.5").evidence()).isEqualTo("no running containers");
        }
    }

    @Nested
    class Sshd {
        @Test
        void theSpecsSettingsPass() {
            Recorded r = new Recorded();
            for (String id : List.of("kiban.ssh.password", "kiban.ssh.rootlogin", "kiban.ssh.pubkey",
                    "kiban.ssh.allowusers")) {
                assertThat(r.result(id).status()).as(id).isEqualTo(Status.PASS);
            }
        }

        @Test
        void aDropInReEnablingPasswordsIsCaughtFromTheEffectiveSettings() {
            Recorded r = new Recorded();
            r.sshd = Recorded.GOOD_SSHD.replace("passwordauthentication no", "passwordauthentication yes");
            AuditResult p = r.result("kiban.ssh.password");
            assertThat(p.status()).isEqualTo(Status.FAIL);
            assertThat(p.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(p.evidence()).isEqualTo("passwordauthentication yes, the spec says no (a drop-in read earlier "
                    + "wins in sshd)");
            assertThat(p.remediation()).contains("security.ssh.passwordAuthentication");
        }

        @Test
        void rootLoginAndOtherUsersAreCaught() {
            Recorded r = new Recorded();
            r.sshd = Recorded.GOOD_SSHD.replace("permitrootlogin no", "permitrootlogin prohibit-password")
                    .replace("allowusers deploy", "allowusers deploy\nallowusers mallory");
            assertThat(r.result("kiban.ssh.rootlogin").status()).isEqualTo(Status.FAIL);
            assertThat(r.result("kiban.ssh.allowusers").evidence()).isEqualTo(
                    "allowusers deploy mallory, the spec says deploy");
        }
    }

    @Nested
    class HostLayout {
        @Test
        void theDataRootOnItsOwnFilesystemPasses() {
            assertThat(new Recorded().result("1.1.1").evidence())
                    .isEqualTo("/var/lib/docker is on its own filesystem, mounted at /var/lib/docker");
            Recorded var = new Recorded();
            var.mounts = new java.util.ArrayList<>(List.of("/", "/var"));
            assertThat(var.result("1.1.1").status()).isEqualTo(Status.PASS);
            Recorded root = new Recorded();
            root.mounts = new java.util.ArrayList<>(List.of("/", "/var/lib/docker2", "/boot"));
            assertThat(root.result("1.1.1").status()).isEqualTo(Status.FAIL);
        }

        @Test
        void dockerGroupMembersBeyondTheAdministratorsAreAWarning() {
            assertThat(new Recorded().result("1.1.2").status()).isEqualTo(Status.PASS);
            Recorded r = new Recorded();
            r.dockerGroup.add("ci");
            assertThat(r.result("1.1.2").status()).isEqualTo(Status.WARN);
            assertThat(r.result("1.1.2").evidence()).contains("security.ssh.allowUsers: ci");
        }
    }

    @Nested
    class AuditRules {
        @Test
        void aWatchedPathPassesInEitherRuleForm() {
            Recorded r = new Recorded();
            r.auditRules = "-w /usr/bin/dockerd -k docker\n"
                    + "-a always,exit -F path=/usr/bin/runc -F perm=x -k docker\n"
                    + "-w /lib/systemd/system/docker.service -k docker\n";
            for (String id : List.of("1.1.3", "1.1.18", "1.1.7")) {
                assertThat(r.result(id).status()).as(id).isEqualTo(Status.PASS);
            }
        }

        @Test
        void anUnwatchedPathThatExistsFailsWithTheRuleToAdd() {
            Recorded r = new Recorded();
            r.auditRules = "# -w /etc/docker -k docker\n";
            AuditResult etc = r.result("1.1.6");
            assertThat(etc.status()).isEqualTo(Status.FAIL);
            assertThat(etc.remediation()).startsWith("run 'kiban apply'")
                    .contains("'-w /etc/docker -k docker' to /etc/audit/rules.d/kiban-docker.rules");
            assertThat(r.result("1.1.13").evidence()).isEqualTo("/etc/sysconfig/docker absent on this host");
            r.auditRules = "";
            assertThat(r.result("1.1.11").evidence()).contains("no audit rules at all");
            assertThat(r.result("1.1.9").status()).isEqualTo(Status.FAIL); // a unit: its directory is not known
        }
    }

    @Nested
    class Errors {
        @Test
        void anEngineThatCouldNotBeReadMakesOnlyItsChecksError() {
            Recorded r = new Recorded();
            r.engineError = "the engine did not answer: connection refused";
            List<AuditResult> results = r.audit();
            assertThat(results).filteredOn(x -> x.id().equals("5.5") || x.id().equals("2.15"))
                    .allMatch(x -> x.status() == Status.ERROR && x.evidence().contains("connection refused"));
            assertThat(results).filteredOn(x -> x.id().startsWith("kiban.ssh") || x.id().equals("kiban.socket.mode")
                    || x.id().equals("2.2")).allMatch(x -> x.status() == Status.PASS);
            assertThat(Audit.nothingRan(results)).isFalse();
            assertThat(Audit.failures(results, Severity.HIGH)).isNotEmpty();
        }
    }
}
