package dev.kiban.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.engine.ContainerHardening;
import dev.kiban.engine.EngineObjects;
import dev.kiban.spec.AuditIds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
                c.restartPolicy(), c.restartMaxRetries(), c.ports(), c.networks(), c.cgroupParent(), c.devices(),
                c.labels(), c.imageId());
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
            assertThat(manual).contains("1.2.1", "5.7", "7.2").doesNotContain("2.2", "5.32", "kiban.ssh.password",
                    "5.18", "6.1", "6.2", "7.3", "7.4", "7.5");
        }

        @Test
        void everyCheckLeftToAPersonSaysWhatToLookAt() {
            var all = dev.kiban.audit.Catalogue.all();
            for (String id : List.of("4.2", "4.3", "4.4", "4.5", "4.7", "4.8", "4.9", "4.10", "4.11", "4.12", "5.7",
                    "5.28", "7.2", "7.6", "7.7", "7.8", "7.9")) {
                AuditCheck c = Audit.find(all, id).orElseThrow();
                assertThat(c.manual()).as(id).isTrue();
                assertThat(c.look()).as(id).doesNotContain("not automated by kiban yet").isNotBlank();
            }
            assertThat(Audit.find(all, "5.7").orElseThrow().look()).contains("sshd");
            assertThat(Audit.find(all, "7.6").orElseThrow().look()).contains("unlock-key --rotate");
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
                    true, "always", 0, List.of(), c.networks(), "", List.of(), Map.of(), c.imageId()));
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
                    List.of("bridge"), "/custom", List.of(), Map.of(), c.imageId()));
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
    class Workload {
        static ContainerHardening image(ContainerHardening c, String reference, String imageId) {
            return new ContainerHardening(c.id(), c.name(), reference, true, c.privileged(), c.networkMode(),
                    c.pidMode(), c.ipcMode(), c.utsMode(), c.usernsMode(), c.capAdd(), c.securityOpt(),
                    c.appArmorProfile(), c.mounts(), c.memory(), c.nanoCpus(), c.cpuShares(), c.pidsLimit(), c.user(),
                    c.healthcheck(), c.readonlyRootfs(), c.restartPolicy(), c.restartMaxRetries(), c.ports(),
                    c.networks(), c.cgroupParent(), c.devices(), c.labels(), imageId);
        }

        static ContainerHardening devices(ContainerHardening c, List<ContainerHardening.Device> devices) {
            return new ContainerHardening(c.id(), c.name(), c.image(), true, c.privileged(), c.networkMode(),
                    c.pidMode(), c.ipcMode(), c.utsMode(), c.usernsMode(), c.capAdd(), c.securityOpt(),
                    c.appArmorProfile(), c.mounts(), c.memory(), c.nanoCpus(), c.cpuShares(), c.pidsLimit(), c.user(),
                    c.healthcheck(), c.readonlyRootfs(), c.restartPolicy(), c.restartMaxRetries(), c.ports(),
                    c.networks(), c.cgroupParent(), devices, c.labels(), c.imageId());
        }

        static EngineObjects.Image built(String id, String tag, String when) {
            return new EngineObjects.Image(id, List.of(tag), List.of(), Instant.parse(when));
        }

        @Test
        void aHostDeviceGivenToAContainerIsCaught() {
            assertThat(new Recorded().result("5.18").status()).isEqualTo(Status.PASS);
            Recorded r = new Recorded();
            r.containers.add(devices(Recorded.hardened("fuse"), List.of(new ContainerHardening.Device("/dev/fuse",
                    "/dev/fuse", "rwm"), new ContainerHardening.Device("/dev/sda", "/dev/xvda", "r"))));
            AuditResult d = r.result("5.18");
            assertThat(d.status()).isEqualTo(Status.FAIL);
            assertThat(d.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(d.evidence()).isEqualTo("1 of 2: fuse (/dev/fuse:/dev/fuse, /dev/sda:/dev/xvda)");
            assertThat(d.remediation()).contains("devices:");
        }

        @Test
        void aTagWithoutADigestIsAWarningNamingTheContainerAndTheReference() {
            AuditResult good = new Recorded().result("kiban.image.pinned");
            assertThat(good.status()).isEqualTo(Status.PASS);
            Recorded r = new Recorded();
            r.containers.add(image(Recorded.hardened("cache"), "redis:7", "sha256:redis"));
            r.containers.add(image(Recorded.hardened("tool"), "busybox", "sha256:busybox"));
            r.containers.add(image(Recorded.hardened("task"), "nginx:1.27@sha256:0f0f", "sha256:nginx"));
            r.containers.add(image(Recorded.hardened("byid"), "sha256:5e5e", "sha256:5e5e"));
            AuditResult p = r.result("kiban.image.pinned");
            assertThat(p.status()).isEqualTo(Status.WARN);
            assertThat(p.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(p.evidence()).isEqualTo("2 of 5: cache (redis:7), tool (busybox)");
            assertThat(p.remediation()).contains("@sha256:");
        }

        @Test
        void anImageBuiltLongerAgoThanTheSpecAllowsIsAWarningWithItsAge() {
            Recorded r = new Recorded();
            assertThat(r.result("kiban.image.age").status()).isEqualTo(Status.PASS);
            assertThat(r.result("kiban.image.age").evidence()).endsWith("no image older than 90 days "
                    + "(audit.maxImageAgeDays)");
            r.images.add(built("sha256:old", "registry.example.org/old:2", "2026-08-01T00:00:00Z"));
            r.images.add(built("sha256:edge", "registry.example.org/edge:1", "2026-09-06T23:59:00Z"));
            r.images.add(built("sha256:repro", "gcr.io/distroless/static:nonroot", "1970-01-01T00:00:00Z"));
            r.containers.add(image(Recorded.hardened("old"), "registry.example.org/old:2", "sha256:old"));
            r.containers.add(image(Recorded.hardened("edge"), "registry.example.org/edge:1", "sha256:edge"));
            r.containers.add(image(Recorded.hardened("static"), "gcr.io/distroless/static:nonroot", "sha256:repro"));
            r.containers.add(image(Recorded.hardened("gone"), "registry.example.org/gone:1", "sha256:gone"));
            AuditResult a = r.result("kiban.image.age");
            assertThat(a.status()).isEqualTo(Status.WARN);
            assertThat(a.severity()).isEqualTo(Severity.LOW);
            // 2026-09-06 is 90 days before 2026-12-05: not more than 90, so edge passes
            assertThat(a.evidence()).isEqualTo("2 of 5: old (registry.example.org/old:2, built 126 days ago), "
                    + "static (gcr.io/distroless/static:nonroot, no build date (a reproducible build says 1970)); "
                    + "images older than 90 days (audit.maxImageAgeDays)");
        }

        @Test
        void theAgeLimitComesFromTheSpecAndTheDayFromTheAudit() {
            Recorded r = new Recorded();
            r.spec = dev.kiban.spec.SpecDocument.parse("kiban.yaml", Recorded.SPEC + "audit: {maxImageAgeDays: 7}\n",
                    false).require();
            AuditResult a = r.result("kiban.image.age");
            assertThat(a.status()).isEqualTo(Status.WARN);
            assertThat(a.evidence()).contains("web (registry.example.org/web@sha256:abc, built 30 days ago)")
                    .endsWith("older than 7 days (audit.maxImageAgeDays)");
            AuditCheck check = Audit.find(dev.kiban.audit.Catalogue.all(), "kiban.image.age").orElseThrow();
            assertThat(Audit.run(List.of(check), new Recorded().facts(), List.of(), java.time.LocalDate.of(2027, 3, 5))
                    .get(0).evidence()).contains("built 120 days ago");
        }

        @Test
        void imagesNoContainerUsesPassUpToTheThresholdAndAreAWarningBeyond() {
            Recorded r = new Recorded();
            AuditResult none = r.result("6.1");
            assertThat(none.status()).isEqualTo(Status.PASS);
            assertThat(none.evidence()).isEqualTo("1 image, 0 used by no container (at most 10 pass)");
            for (int i = 0; i < 10; i++) r.images.add(built("sha256:u" + i, "old/app:" + i, "2026-01-01T00:00:00Z"));
            assertThat(r.result("6.1").status()).isEqualTo(Status.PASS);
            assertThat(r.result("6.1").evidence()).startsWith("11 images, 10 used by no container: old/app:0, "
                    + "old/app:1, old/app:2, old/app:3, old/app:4 and 5 more");
            r.images.add(new EngineObjects.Image("sha256:0123456789abcdef", List.of(), List.of(), Instant.EPOCH));
            AuditResult sprawl = r.result("6.1");
            assertThat(sprawl.status()).isEqualTo(Status.WARN);
            assertThat(sprawl.severity()).isEqualTo(Severity.LOW);
            assertThat(sprawl.evidence()).endsWith("and 6 more; more than 10 unused");
            assertThat(sprawl.remediation()).contains("docker image prune");
            r.imagesInUse.add("sha256:u0"); // a stopped container's image is in use
            assertThat(r.result("6.1").status()).isEqualTo(Status.PASS);
        }

        @Test
        void stoppedContainersPassUpToTheThresholdAndAreAWarningBeyond() {
            Recorded r = new Recorded();
            assertThat(r.result("6.2").status()).isEqualTo(Status.PASS);
            assertThat(r.result("6.2").evidence()).isEqualTo("2 containers not running (at most 25)");
            r.stoppedContainers = 25;
            assertThat(r.result("6.2").status()).isEqualTo(Status.PASS);
            r.stoppedContainers = 26;
            assertThat(r.result("6.2").status()).isEqualTo(Status.WARN);
            assertThat(r.result("6.2").evidence()).startsWith("26 containers not running, more than 25");
        }

        @Test
        void anOverlayWithoutEncryptionFailsAndTheRoutingMeshIsNamedAsSuch() {
            assertThat(new Recorded().result("7.3").status()).isEqualTo(Status.PASS);
            Recorded r = new Recorded();
            r.managers = 3;
            r.overlays.set(0, new EngineObjects.Overlay("ingress", true, false));
            r.overlays.add(new EngineObjects.Overlay("db_net", false, false));
            AuditResult o = r.result("7.3");
            assertThat(o.status()).isEqualTo(Status.FAIL);
            assertThat(o.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(o.evidence()).isEqualTo("2 of 3 overlay network(s) not encrypted: ingress (the routing "
                    + "mesh: published ports between nodes), db_net");
            assertThat(o.remediation()).contains("encrypted").contains("ESP");
        }

        @Test
        void anUnencryptedOverlayOnAOneNodeSwarmIsAWarningAndOffASwarmNothing() {
            Recorded r = new Recorded();
            r.overlays.add(new EngineObjects.Overlay("db_net", false, false));
            assertThat(r.result("7.3").status()).isEqualTo(Status.WARN);
            assertThat(r.result("7.3").evidence()).endsWith("one node: nothing crosses the wire yet");
            r.swarm = false;
            assertThat(r.result("7.3").status()).isEqualTo(Status.PASS);
            assertThat(r.result("7.3").evidence()).isEqualTo("not in a swarm");
        }

        @Test
        void theSecretsAreCountedAsInfo() {
            AuditResult s = new Recorded().result("7.4");
            assertThat(s.status()).isEqualTo(Status.INFO);
            assertThat(s.evidence()).isEqualTo("2 Swarm secrets");
            assertThat(s.reason()).startsWith("R8/D5:");
            Recorded worker = new Recorded();
            worker.cluster = Optional.empty();
            assertThat(worker.result("7.4").status()).isEqualTo(Status.PASS);
            assertThat(worker.result("7.4").evidence()).contains("a worker");
        }

        @Test
        void autolockOffIsInfoWithTheDesignsReasonAndOnPasses() {
            AuditResult off = new Recorded().result("7.5");
            assertThat(off.status()).isEqualTo(Status.INFO);
            assertThat(off.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(off.evidence()).isEqualTo("autolock off");
            assertThat(off.reason()).contains("unlock key");
            Recorded on = new Recorded();
            on.cluster = Optional.of(new EngineObjects.Cluster(true, 0));
            assertThat(on.result("7.5").status()).isEqualTo(Status.PASS);
            Recorded alone = new Recorded();
            alone.swarm = false;
            assertThat(alone.result("7.5").evidence()).isEqualTo("not in a swarm");
        }

        @Test
        void objectsThatCouldNotBeReadMakeOnlyTheirChecksError() {
            Recorded r = new Recorded();
            r.objectsError = "the engine did not answer: connection refused";
            for (String id : List.of("6.1", "6.2", "7.3", "7.4", "7.5", "kiban.image.age")) {
                assertThat(r.result(id).status()).as(id).isEqualTo(Status.ERROR);
                assertThat(r.result(id).evidence()).as(id).contains("connection refused");
            }
            assertThat(r.result("kiban.image.pinned").status()).isEqualTo(Status.PASS);
            assertThat(r.result("5.18").status()).isEqualTo(Status.PASS);
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
