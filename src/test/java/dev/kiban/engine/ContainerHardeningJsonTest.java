package dev.kiban.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the audit reads of an inspect answer and of /info, as Engine API 1.47 gives them. */
class ContainerHardeningJsonTest {
    @Test
    void aPrivilegedContainerWithTheSocketAndNoLimits() throws Exception {
        var json = new ObjectMapper().readTree("""
                {"Id": "c1", "Name": "/portainer", "AppArmorProfile": "",
                 "State": {"Status": "running", "Running": true},
                 "Config": {"Image": "portainer/portainer-ce:2.21", "User": ""},
                 "HostConfig": {"Privileged": true, "NetworkMode": "host", "PidMode": "host", "IpcMode": "private",
                   "UTSMode": "", "UsernsMode": "", "CapAdd": ["NET_ADMIN"], "SecurityOpt": ["label=disable"],
                   "Memory": 0, "NanoCpus": 0, "CpuShares": 0, "PidsLimit": null, "ReadonlyRootfs": false,
                   "RestartPolicy": {"Name": "always", "MaximumRetryCount": 0},
                   "PortBindings": {"9443/tcp": [{"HostIp": "", "HostPort": "9443"}]}, "CgroupParent": ""},
                 "Mounts": [{"Type": "bind", "Source": "/var/run/docker.sock", "Destination": "/var/run/docker.sock",
                             "RW": true, "Propagation": "rprivate"},
                            {"Type": "volume", "Name": "portainer_data", "Source": "/var/lib/docker/volumes/p/_data",
                             "Destination": "/data", "RW": true, "Propagation": ""}],
                 "NetworkSettings": {"Networks": {"host": {}}}}
                """);

        ContainerHardening c = ContainerJson.hardening(json);

        assertThat(c.name()).isEqualTo("portainer");
        assertThat(c.privileged()).isTrue();
        assertThat(c.networkMode()).isEqualTo("host");
        assertThat(c.pidMode()).isEqualTo("host");
        assertThat(c.capAdd()).containsExactly("NET_ADMIN");
        assertThat(c.securityOpt()).containsExactly("label=disable");
        assertThat(c.memory()).isZero();
        assertThat(c.pidsLimit()).isZero();
        assertThat(c.healthcheck()).isFalse();
        assertThat(c.restartPolicy()).isEqualTo("always");
        assertThat(c.ports()).containsExactly(new ContainerHardening.PortBinding("", 9443, "9443/tcp"));
        assertThat(c.mounts()).containsExactly(
                new ContainerHardening.HostMount("bind", "/var/run/docker.sock", "/var/run/docker.sock", true,
                        "rprivate"),
                new ContainerHardening.HostMount("volume", "portainer_data", "/data", true, ""));
        assertThat(c.networks()).containsExactly("host");
    }

    @Test
    void aHardenedContainerWithAHealthcheck() throws Exception {
        var json = new ObjectMapper().readTree("""
                {"Id": "c2", "Name": "/web.1.x", "State": {"Running": true},
                 "Config": {"Image": "nginx@sha256:abc", "User": "101",
                            "Healthcheck": {"Test": ["CMD-SHELL", "wget -q -O- localhost"]}},
                 "HostConfig": {"Memory": 268435456, "NanoCpus": 500000000, "PidsLimit": 200, "ReadonlyRootfs": true,
                   "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 5},
                   "SecurityOpt": ["no-new-privileges:true"]},
                 "NetworkSettings": {"Networks": {"web_net": {}}}}
                """);

        ContainerHardening c = ContainerJson.hardening(json);

        assertThat(c.user()).isEqualTo("101");
        assertThat(c.healthcheck()).isTrue();
        assertThat(c.memory()).isEqualTo(256L << 20);
        assertThat(c.readonlyRootfs()).isTrue();
        assertThat(c.restartMaxRetries()).isEqualTo(5);
        assertThat(c.ports()).isEmpty();
    }

    @Test
    void aHealthcheckOfNoneIsNoHealthcheck() throws Exception {
        var json = new ObjectMapper().readTree("{\"Config\": {\"Healthcheck\": {\"Test\": [\"NONE\"]}}}");
        assertThat(ContainerJson.hardening(json).healthcheck()).isFalse();
    }

    @Test
    void theDaemonsSecurityOptionsFromInfo() throws Exception {
        var json = new ObjectMapper().readTree("""
                {"SecurityOptions": ["name=seccomp,profile=builtin", "name=selinux", "name=userns", "name=cgroupns"],
                 "LoggingDriver": "json-file", "ExperimentalBuild": false,
                 "Plugins": {"Authorization": null, "Log": ["json-file", "journald"]}}
                """);

        DaemonSecurity d = ContainerJson.daemonSecurity(json);

        assertThat(d.has("userns")).isTrue();
        assertThat(d.has("apparmor")).isFalse();
        assertThat(d.seccompProfile()).isEqualTo("builtin");
        assertThat(d.loggingDriver()).isEqualTo("json-file");
        assertThat(d.authorizationPlugins()).isEqualTo(List.of());
    }
}
