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
    void aContainersDevicesLabelsAndImageAreRead() throws Exception {
        var json = new ObjectMapper().readTree("""
                {"Id": "c3", "Name": "/web_web.1.q2", "Image": "sha256:0123abcd",
                 "Config": {"Image": "registry.example.org/web:1.4@sha256:abc",
                            "Labels": {"com.docker.stack.namespace": "web",
                                       "com.docker.swarm.service.name": "web_web"}},
                 "HostConfig": {"Devices": [{"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse",
                                             "CgroupPermissions": "rwm"}]}}
                """);

        ContainerHardening c = ContainerJson.hardening(json);

        assertThat(c.image()).isEqualTo("registry.example.org/web:1.4@sha256:abc");
        assertThat(c.imageId()).isEqualTo("sha256:0123abcd");
        assertThat(c.devices()).containsExactly(new ContainerHardening.Device("/dev/fuse", "/dev/fuse", "rwm"));
        assertThat(c.labels()).containsEntry("com.docker.stack.namespace", "web")
                .containsEntry("com.docker.swarm.service.name", "web_web");
        assertThat(ContainerJson.hardening(new ObjectMapper().readTree("{\"HostConfig\": {\"Devices\": null}}"))
                .devices()).isEmpty();
    }

    @Test
    void theAuditsObjectsFromTheImageContainerNetworkAndSwarmLists() throws Exception {
        var mapper = new ObjectMapper();
        var images = mapper.readTree("""
                [{"Id": "sha256:aaa", "RepoTags": ["web:1.4"], "RepoDigests": ["web@sha256:abc"],
                  "Created": 1700000000},
                 {"Id": "sha256:bbb", "RepoTags": ["<none>:<none>"], "RepoDigests": ["<none>@<none>"], "Created": 0}]
                """);
        var containers = mapper.readTree("""
                [{"Id": "1", "ImageID": "sha256:aaa", "State": "running"},
                 {"Id": "2", "ImageID": "sha256:aaa", "State": "exited"},
                 {"Id": "3", "ImageID": "sha256:ccc", "State": "created"}]
                """);
        var networks = mapper.readTree("""
                [{"Name": "ingress", "Driver": "overlay", "Ingress": true, "Options": {}},
                 {"Name": "web_net", "Driver": "overlay", "Options": {"encrypted": ""}},
                 {"Name": "bridge", "Driver": "bridge", "Options": {}}]
                """);
        var swarm = mapper.readTree("{\"Spec\": {\"EncryptionConfig\": {\"AutoLockManagers\": true}}}");

        EngineObjects o = ContainerJson.objects(images, containers, networks, swarm, 3);

        assertThat(o.images()).containsExactly(
                new EngineObjects.Image("sha256:aaa", List.of("web:1.4"), List.of("web@sha256:abc"),
                        java.time.Instant.ofEpochSecond(1700000000)),
                new EngineObjects.Image("sha256:bbb", List.of(), List.of(), java.time.Instant.EPOCH));
        assertThat(o.images().get(1).shown()).isEqualTo("<untagged bbb>");
        assertThat(o.imagesInUse()).containsExactly("sha256:aaa", "sha256:ccc");
        assertThat(o.stoppedContainers()).isEqualTo(2);
        assertThat(o.overlays()).containsExactly(new EngineObjects.Overlay("ingress", true, false),
                new EngineObjects.Overlay("web_net", false, true));
        assertThat(o.cluster()).contains(new EngineObjects.Cluster(true, 3));
        assertThat(ContainerJson.objects(images, containers, networks, null, 0).cluster()).isEmpty();
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
