package dev.kiban.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lint rules on realistic compose files (src/test/resources/stacks), no engine needed. */
class StackLintTest {
    static final Path STACKS = Path.of("src/test/resources/stacks");
    final PlatformSpec spec = SpecDocument.builtin().require();

    List<String> lint(Path path) throws Exception {
        List<Problem> problems = new ArrayList<>();
        List<ComposeFile> files = ComposeFile.find(path, problems);
        problems.addAll(StackLint.lint(files, spec));
        return problems.stream().map(p -> p.toString().replace(STACKS + "/", "")).toList();
    }

    @Test
    void theGoodStacksPassTogetherWithinTheBudget() throws Exception {
        List<String> findings = lint(STACKS.resolve("good"));
        assertThat(findings).noneMatch(f -> f.contains(": error:"));
        // web 0.5 + 2x1.0, mail 1, db 2 = 5.5 of 8 vCPU; 0.25G + 2G + 2G + 4G = 8.25G of 16G
        assertThat(findings).isEmpty();
    }

    @Test
    void theBadStackGetsEveryFinding() throws Exception {
        assertThat(lint(STACKS.resolve("bad"))).containsExactly(
                "bad/everything/docker-compose.yml:1:1 version: warning: 'version' is obsolete in Compose v2 and "
                        + "ignored; remove it (D10)",
                "bad/everything/docker-compose.yml:1:1 deploy.resources.limits.memory: error: the stacks' memory "
                        + "limits add up to 32G, over the Docker budget of 16G: everything/api 4x(2 cpu, 8G) (R1.2)",
                "bad/everything/docker-compose.yml:4:12 services.api.image: warning: example/api is not pinned to a "
                        + "version; a redeploy may run different code",
                "bad/everything/docker-compose.yml:5:17 services.api.privileged: error: privileged gives the container "
                        + "the host; add the label kiban.waiver.privileged to accept it knowingly",
                "bad/everything/docker-compose.yml:7:9 services.api.ports[0]: error: publishes 2375, the Docker API, "
                        + "which must never be reachable (R3.4)",
                "bad/everything/docker-compose.yml:8:9 services.api.ports[1]: error: publishes 9090, outside every "
                        + "port class {web=[80, 443], smtp=[25, 587], imap=[143, 993], app=[8000-8999]} (R3.4)",
                "bad/everything/docker-compose.yml:10:9 services.api.volumes[0]: error: mounting docker.sock is root "
                        + "on the host; add the label kiban.waiver.docker-sock to accept it knowingly",
                "bad/everything/docker-compose.yml:12:7 services.api.deploy.restart_policy: warning: no "
                        + "restart_policy; the design restarts on-failure (R8.2)",
                "bad/everything/docker-compose.yml:12:7 services.api.deploy.update_config: warning: no update_config; "
                        + "advised: {parallelism: 1, delay: 10s, failure_action: rollback}, so an update replaces one "
                        + "task at a time, 10s apart, and a broken image rolls back by itself (Docker's default is "
                        + "delay 0s and failure_action pause) (R8)",
                "bad/everything/docker-compose.yml:14:9 services.api.deploy.resources.reservations: error: no resource "
                        + "reservations; every service declares cpus and memory reservations (R1.3)",
                "bad/everything/docker-compose.yml:16:5 services.worker.deploy.resources.limits: error: no resource "
                        + "limits; every service declares cpus and memory limits (R1.3)",
                "bad/everything/docker-compose.yml:16:5 services.worker.deploy.resources.reservations: error: no "
                        + "resource reservations; every service declares cpus and memory reservations (R1.3)",
                "bad/everything/docker-compose.yml:17:19 services.worker.network_mode: error: host networking bypasses "
                        + "the port policy and the firewall; add the label kiban.waiver.host-network to accept "
                        + "it knowingly (R3.4)",
                "bad/everything/docker-compose.yml:20:13 networks.lan.driver: warning: a Swarm stack cannot attach "
                        + "services to a bridge network; use overlay",
                "bad/everything/docker-compose.yml:23:19 networks.lan.ipam.config: error: subnet 10.0.1.0/24 is "
                        + "outside the service networks 172.19.0.0/16 to 172.30.0.0/16 (R3.2)",
                "bad/everything/docker-compose.yml:23:19 networks.lan.ipam.config: error: subnet 10.0.1.0/24 overlaps "
                        + "libvirt network public 10.0.1.0/24 (R3.3)",
                "bad/everything/docker-compose.yml:27:48 volumes.scratch.driver_opts.device: error: /srv/scratch is "
                        + "outside the volume tree /data/docker/volumes (R4.3)");
    }

    @Test
    void theCpuBudgetCountsReplicasAndTheOvercommit() throws Exception {
        PlatformSpec tight = SpecDocument.parse("k", "budget: {overcommit: 1}\n", false).require();
        List<Problem> problems = new ArrayList<>();
        List<ComposeFile> files = ComposeFile.find(STACKS.resolve("good"), problems);
        assertThat(StackLint.lint(files, tight)).extracting(Problem::message).containsExactly(
                "the stacks' CPU limits add up to 5.5 vCPU, over the Docker budget of 4 (4 cores x 1 overcommit): "
                        + "db/db 1x(2 cpu, 4G), mail/mail 1x(1 cpu, 2G), web/proxy 1x(0.5 cpu, 256M), web/app 2x(1 "
                        + "cpu, 1G) (R1.2)");
    }

    @Test
    void waiversAcceptAKnownException() throws Exception {
        String yaml = """
                services:
                  traefik:
                    image: traefik:3.1
                    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]
                    deploy:
                      labels: {kiban.waiver.docker-sock: "reads container labels"}
                      restart_policy: {condition: on-failure}
                      update_config: {parallelism: 1, delay: 10s, failure_action: rollback}
                      resources:
                        limits: {cpus: "0.5", memory: 128M}
                        reservations: {cpus: "0.1", memory: 64M}
                """;
        var tree = dev.kiban.spec.SpecReader.read("proxy.yml", yaml, new ArrayList<>());
        assertThat(StackLint.lint(List.of(new ComposeFile("proxy", "proxy.yml", tree)), spec)).isEmpty();
    }

    /** A service that passes every other rule, with {@code body} added to it from line 9 on. */
    static String service(String body) {
        return """
                services:
                  s:
                    image: app:1.0
                    deploy:
                      restart_policy: {condition: on-failure}
                      update_config: {parallelism: 1, delay: 10s, failure_action: rollback}
                      resources:
                        {limits: {cpus: "0.5", memory: 128M}, reservations: {cpus: "0.1", memory: 64M}}
                """ + body.indent(4);
    }

    List<String> lintYaml(String yaml) {
        List<Problem> problems = new ArrayList<>();
        var tree = dev.kiban.spec.SpecReader.read("c.yml", yaml, problems);
        if (tree != null) problems.addAll(StackLint.lint(List.of(new ComposeFile("c", "c.yml", tree)), spec));
        return problems.stream().map(Problem::toString).toList();
    }

    List<String> lintService(String body) {
        return lintYaml(service(body));
    }

    @Nested
    class Privileged {
        @Test
        void aBooleanTrueIsTheFinding() {
            assertThat(lintService("privileged: True")).containsExactly("c.yml:9:17 services.s.privileged: error: "
                    + "privileged gives the container the host; add the label kiban.waiver.privileged to accept it "
                    + "knowingly");
            assertThat(lintService("privileged: false")).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"true\"", "yes", "1", "on", "'false'", "${PRIVILEGED}"})
        void anythingButABooleanIsAnError(String value) {
            assertThat(lintService("privileged: " + value)).singleElement().asString()
                    .startsWith("c.yml:9:17 services.s.privileged: error: privileged is ")
                    .contains("not a YAML boolean; Docker may read it as true");
        }

        @Test
        void aMergedPrivilegedIsCaughtAtTheAnchor() {
            String yaml = """
                    x-base: &base
                      image: app:1.0
                      privileged: true
                    """ + service("<<: *base");
            assertThat(lintYaml(yaml)).containsExactly("c.yml:3:15 services.s.privileged: error: privileged gives the "
                    + "container the host; add the label kiban.waiver.privileged to accept it knowingly");
        }
    }

    @Nested
    class Sockets {
        @ParameterizedTest
        @ValueSource(strings = {"/var/run/docker.sock", "/var/run/./docker.sock", "//run/docker.sock",
                "/run/docker.sock/", "/var/run/../run/docker.sock", "/run/user/1000/docker.sock",
                "/run/containerd/containerd.sock", "/var/run//docker.sock"})
        void theDockerSocketByAnySpelling(String path) {
            assertThat(lintService("volumes: [\"" + path + ":/var/run/docker.sock:ro\"]")).singleElement().asString()
                    .startsWith("c.yml:9:15 services.s.volumes[0]: error: mounting ")
                    .contains(".sock is root on the host; add the label kiban.waiver.docker-sock");
        }

        @Test
        void longSyntaxAndANamedVolumeThatBindsIt() {
            String yaml = service("""
                    volumes:
                      - type: bind
                        source: /var/run/docker.sock
                        target: /sock
                      - sock:/sock2
                    """) + """
                    volumes:
                      sock:
                        driver_opts: {type: none, o: bind, device: //var/run/docker.sock}
                    """;
            assertThat(lintYaml(yaml)).contains(
                    "c.yml:11:17 services.s.volumes[0].source: error: mounting docker.sock is root on the host; "
                            + "add the label kiban.waiver.docker-sock to accept it knowingly",
                    "c.yml:13:9 services.s.volumes[1]: error: the volume sock binds /run/docker.sock: "
                            + "mounting docker.sock is root on the host; add the label kiban.waiver.docker-sock to "
                            + "accept it knowingly");
        }

        @Test
        void directoriesHoldingTheSocketNeedBothWaivers() {
            assertThat(lintService("volumes: [\"/var/run:/host/run\"]")).containsExactly(
                    "c.yml:9:15 services.s.volumes[0]: error: binding /run exposes docker.sock inside it, which is "
                            + "root on the host; add the label kiban.waiver.docker-sock to accept it knowingly",
                    "c.yml:9:15 services.s.volumes[0]: error: binding the host's /run hands the container the host's "
                            + "system files; add the label kiban.waiver.host-mount to accept it knowingly");
            assertThat(lintService("volumes: [\"/run/containerd/io:/x\"]")).singleElement().asString()
                    .contains("exposes the container runtime's socket in /run/containerd");
        }
    }

    @Nested
    class HostMounts {
        @ParameterizedTest
        @ValueSource(strings = {"/", "/proc", "/sys/fs/cgroup", "/etc", "/etc/shadow", "/dev", "/dev/mem", "/boot",
                "/root", "~/.ssh", "/var/lib/docker", "/var/lib/containerd/x", "/var/lib", "/etc/kiban/",
                "../../../../../../../../etc"})
        void hostSystemPathsAreFindings(String path) {
            assertThat(lintService("volumes: [\"" + path + ":/host\"]"))
                    .anyMatch(f -> f.startsWith("c.yml:9:15 services.s.volumes[0]: error: binding the host's ")
                            && f.endsWith("add the label kiban.waiver.host-mount to accept it knowingly"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/etc/localtime:/etc/localtime:ro", "./conf:/etc/app", "conf:/etc/app",
                "/data/docker/volumes/app:/data", "/tmp"})
        void ordinaryMountsPass(String volume) {
            assertThat(lintService("volumes: [\"" + volume + "\"]")).isEmpty();
        }

        @Test
        void sharedPropagationAndVariables() {
            assertThat(lintService("volumes: [\"/data/docker/volumes/x:/x:rshared\"]")).singleElement().asString()
                    .contains("shared mount propagation lets mounts made in the container appear on the host");
            assertThat(lintService("volumes: [\"${SOCK:-/var/run/docker.sock}:/x\"]")).singleElement().asString()
                    .contains("services.s.volumes[0]: error: the volume is taken from a variable at deploy time");
        }

        @Test
        void homesAndVariablesInNamesAndOptions() {
            var findings = lintService("volumes: [\"~root/.ssh:/k\", \"~deploy/.ssh:/d\"]");
            assertThat(findings).hasSize(2);
            assertThat(findings.get(0).toString()).contains("binding the host's /root/.ssh (inside /root)");
            assertThat(findings.get(1).toString())
                    .contains("binding the host's /home/deploy/.ssh hands the container a user's SSH keys");
            String yaml = service("volumes: [\"data:/d\"]\nnetworks: [out]") + """
                    volumes:
                      data:
                        driver_opts: {type: none, o: "${OPTS}", device: /proc}
                    networks:
                      out: {external: true, name: "${NET}"}
                    """;
            assertThat(lintYaml(yaml)).containsExactly(
                    "c.yml:9:15 services.s.volumes[0]: error: the volume data binds /proc: binding the host's /proc "
                            + "hands "
                            + "the container the host's system files; add the label kiban.waiver.host-mount to accept "
                            + "it "
                            + "knowingly",
                    "c.yml:10:16 services.s.networks[0]: error: the network is taken from a variable at deploy time, "
                            + "which lint cannot check; write the value out",
                    "c.yml:13:53 volumes.data.driver_opts.device: error: /proc is outside the volume tree "
                            + "/data/docker/volumes (R4.3)");
        }

        @Test
        void aConfigReadFromAHostSystemFile() {
            String yaml = service("configs: [c]") + "configs:\n  c:\n    file: /etc/shadow\n";
            assertThat(lintYaml(yaml)).singleElement().asString().startsWith("c.yml:12:11 configs.c.file: error: "
                    + "the docker CLI reads this file as root at deploy time: binding the host's /etc/shadow");
        }
    }

    @Nested
    class NamespacesCapabilitiesAndOptions {
        @ParameterizedTest
        @ValueSource(strings = {"pid", "ipc", "uts", "userns_mode", "cgroup"})
        void hostNamespaces(String key) {
            assertThat(lintService(key + ": host")).singleElement().asString()
                    .startsWith("c.yml:9:").contains("services.s." + key + ": error: " + key + ": host ")
                    .endsWith("add the label kiban.waiver.host-namespace to accept it knowingly");
        }

        @Test
        void theHostNetworkBySwarmsNetworks() {
            String yaml = service("networks: [outside]") + "networks:\n  outside: {external: true, name: host}\n";
            assertThat(lintYaml(yaml)).singleElement().asString()
                    .startsWith("c.yml:9:16 services.s.networks[0]: error: host networking");
            assertThat(lintService("networks: {host: {}}")).singleElement().asString()
                    .contains("kiban.waiver.host-network");
        }

        @ParameterizedTest
        @ValueSource(strings = {"ALL", "SYS_ADMIN", "cap_sys_admin", "Net_Admin", "SYS_PTRACE", "sys_module",
                "DAC_READ_SEARCH", "BPF", "SYS_NICE", "MADE_UP"})
        void capabilitiesBeyondTheDefaults(String cap) {
            assertThat(lintService("cap_add: [" + cap + "]")).singleElement().asString()
                    .startsWith("c.yml:9:15 services.s.cap_add[0]: error: cap_add ")
                    .endsWith("add the label kiban.waiver.capabilities to accept it knowingly");
            assertThat(lintService("cap_add: [NET_BIND_SERVICE, cap_chown]\ncap_drop: [ALL]")).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"seccomp:unconfined", "seccomp=unconfined", "apparmor:unconfined",
                "apparmor=unconfined", "label:disable", "label=disable", "no-new-privileges:false",
                "no-new-privileges=false", "label=type:spc_t", "systempaths=unconfined", "SECCOMP=Unconfined"})
        void securityOptionsThatTurnConfinementOff(String opt) {
            assertThat(lintService("security_opt: [\"" + opt + "\"]")).singleElement().asString()
                    .startsWith("c.yml:9:20 services.s.security_opt[0]: error: security_opt ")
                    .endsWith("add the label kiban.waiver.security-opt to accept it knowingly");
            assertThat(lintService("security_opt: [\"no-new-privileges:true\", \"label=level:s0:c100\"]")).isEmpty();
        }

        @Test
        void devicesAndSysctls() {
            String devices = "devices: [\"/dev/sda:/dev/xvda:rwm\"]\ndevice_cgroup_rules: [\"c 1:3 mr\"]";
            assertThat(lintService(devices)).containsExactly(
                    "c.yml:9:15 services.s.devices[0]: error: devices passes the host's /dev/sda into the container; "
                            + "add the label kiban.waiver.devices to accept it knowingly",
                    "c.yml:10:27 services.s.device_cgroup_rules[0]: error: device_cgroup_rules lets the container use "
                            + "host devices it creates; add the label kiban.waiver.devices to accept it knowingly");
            assertThat(lintService("sysctls: {net.core.somaxconn: 1024, kernel.shmmax: 1, fs.mqueue.msg_max: 10}"))
                    .isEmpty();
            assertThat(lintService("sysctls: [vm.swappiness=1]")).singleElement().asString()
                    .contains("services.s.sysctls.vm.swappiness: error: sysctl vm.swappiness is not namespaced");
            String hostNet = "network_mode: host\nsysctls: {net.ipv4.ip_forward: 1}\n"
                    + "labels: [kiban.waiver.host-network=lb]";
            assertThat(lintService(hostNet)).singleElement().asString()
                    .contains("with host networking changes the host's network stack");
        }
    }

    @Nested
    class Waivers {
        @Test
        void aWaiverAsAListOrAMappingWithAReason() {
            assertThat(lintService("privileged: true\nlabels: [\"kiban.waiver.privileged=runs the VPN\"]")).isEmpty();
            assertThat(lintService("cap_add: [NET_ADMIN]\nlabels: {kiban.waiver.capabilities: wireguard}")).isEmpty();
        }

        @Test
        void aWaiverWithoutAReasonWaivesNothing() {
            assertThat(lintService("privileged: true\nlabels: [kiban.waiver.privileged]")).containsExactly(
                    "c.yml:9:17 services.s.privileged: error: privileged gives the container the host; "
                            + "add the label kiban.waiver.privileged to accept it knowingly",
                    "c.yml:10:14 services.s.labels: error: the waiver kiban.waiver.privileged needs the reason as its "
                            + "value, e.g. kiban.waiver.privileged=\"reads container labels\"; without one it waives "
                            + "nothing");
            assertThat(lintService("privileged: true\nlabels: {kiban.waiver.privileged: \" \"}")).hasSize(2);
        }

        @Test
        void anUnknownWaiverIsReported() {
            assertThat(lintService("labels: {kiban.waiver.everything: because}")).singleElement().asString()
                    .startsWith("c.yml:9:14 services.s.labels: warning: kiban.waiver.everything is not a waiver "
                            + "kiban knows");
        }

        @Test
        void aWaiverCoversOnlyItsClass() {
            assertThat(lintService("volumes: [\"/:/host\"]\nlabels: {kiban.waiver.docker-sock: monitoring}"))
                    .singleElement().asString().contains("kiban.waiver.host-mount");
        }
    }

    @Test
    void anOrdinaryComposeFileWithAnchorsLintsClean() {
        String yaml = """
                x-defaults: &defaults
                  restart_policy: {condition: on-failure}
                  update_config: {parallelism: 1, delay: 10s, failure_action: rollback}
                  resources:
                    limits: &limits {cpus: "0.5", memory: 128M}
                    reservations: {cpus: "0.1", memory: 64M}
                services:
                  web:
                    image: nginx:1.27
                    deploy: *defaults
                  worker:
                    image: app:1.0
                    deploy:
                      <<: *defaults
                      replicas: 2
                """;
        assertThat(lintYaml(yaml)).isEmpty();
    }
}
