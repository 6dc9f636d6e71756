package dev.kiban.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.cli.KibanProcess;
import dev.kiban.testing.LiveEngine;
import dev.kiban.testing.TestSwarm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kiban swarm init/status/join-token on the live engine, through the packaged binary. The engine must
 * not be in a swarm already (it is not, in CI); the test leaves the swarm and removes docker_gwbridge
 * afterwards, giving the engine back as it found it.
 */
@ExtendWith(LiveEngine.class)
@ExtendWith(TestSwarm.class)
class SwarmIT {
    @TempDir
    static Path dir;

    @Test
    void initSetsThePoolAndIngressThenReportsNoDriftThenDrift() throws Exception {
        Path spec = TestSwarm.spec(dir, "");
        Path root = dir.resolve("root");
        Files.createDirectories(root);

        KibanProcess.Result dry = KibanProcess.run("-c", spec.toString(), "swarm", "init", "--root", root.toString());
        assertThat(dry.exit()).as("declined without --yes").isEqualTo(1);
        assertThat(dry.out()).contains("would swarm init --advertise-addr", "--default-addr-pool 10.20.0.0/16");

        KibanProcess.Result init = KibanProcess.run("-c", spec.toString(), "swarm", "init", "--yes", "--root",
                root.toString());
        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(init.out()).contains("swarm initialised");

        var docker = LiveEngine.docker();
        var ingress = docker.inspectNetworkCmd().withNetworkId("ingress").exec();
        assertThat(ingress.getIpam().getConfig()).extracting(c -> c.getSubnet()).containsExactly("10.0.255.0/24");
        var gwbridge = docker.inspectNetworkCmd().withNetworkId("docker_gwbridge").exec();
        assertThat(gwbridge.getIpam().getConfig()).extracting(c -> c.getSubnet()).containsExactly("172.18.0.0/16");

        // A new overlay network draws from the spec's pool, not from the engine's 10.0.0.0/8 (D2).
        String overlay = docker.createNetworkCmd().withName("kiban-it-overlay").withDriver("overlay")
                .withLabels(Map.of(LiveEngine.TEST_LABEL, "true")).exec().getId();
        try {
            // the manager allocates the subnet after the create returns: wait for it
            String subnet = null;
            for (long end = System.nanoTime() + 10_000_000_000L;
                    subnet == null && System.nanoTime() < end; Thread.sleep(100)) {
                var config = docker.inspectNetworkCmd().withNetworkId(overlay).exec().getIpam().getConfig();
                if (config != null && !config.isEmpty()) subnet = config.get(0).getSubnet();
            }
            assertThat(subnet).as("the overlay network's subnet").isNotNull().startsWith("10.20.").endsWith("/24");
        } finally {
            docker.removeNetworkCmd(overlay).exec();
        }

        Path token = root.resolve("root/.docker-swarm-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(Files.readString(token)).startsWith("docker swarm join --token SWMTKN-1-").endsWith(":2377\n");
        KibanProcess.Result joinToken = KibanProcess.run("swarm", "join-token");
        assertThat(joinToken.out().strip()).isEqualTo(Files.readString(token).strip());

        KibanProcess.Result again = KibanProcess.run("-c", spec.toString(), "swarm", "init", "--yes", "--root",
                root.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("the swarm is initialised as the spec says; nothing to do");

        KibanProcess.Result status = KibanProcess.run("swarm", "status");
        assertThat(status.out()).contains("active (this node is a manager)", "Address pool [10.20.0.0/16], /24 subnets",
                "10.0.255.0/24  (ingress)");
        assertThat(status.out()).doesNotContain("SWMTKN");

        TestSwarm.spec(dir, "swarm: {defaultAddrPool: [10.30.0.0/16]}\n");
        KibanProcess.Result drift = KibanProcess.run("-c", spec.toString(), "swarm", "init", "--yes", "--root",
                root.toString());
        assertThat(drift.exit()).isEqualTo(1);
        assertThat(drift.out()).contains("drift: swarm.defaultAddrPool: the swarm uses [10.20.0.0/16], the spec says "
                + "[10.30.0.0/16]");
    }
}
