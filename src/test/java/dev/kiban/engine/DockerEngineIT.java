package dev.kiban.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.testing.LiveEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LiveEngine.class)
class DockerEngineIT {

    @Test
    void readsTheEnginesFactsOverTheUnixSocketTransport() {
        try (DockerEngine engine = DockerEngine.connect(LiveEngine.address())) {
            EngineInfo info = engine.info();
            var version = LiveEngine.docker().versionCmd().exec();
            assertThat(info.version()).isEqualTo(version.getVersion());
            assertThat(info.apiVersion()).isEqualTo(version.getApiVersion());
            assertThat(info.storageDriver()).isNotBlank();
            assertThat(info.dataRoot()).startsWith("/");
            assertThat(info.cgroupVersion()).isIn("1", "2");
            assertThat(info.swarm().state()).isIn("inactive", "active", "pending", "error", "locked");
        }
    }

    @Test
    void listsContainersWithTheirHealth(LiveEngine live) throws Exception {
        String name = live.create("kiban-it-list", c -> c.withCmd("sleep", "60"));
        try (DockerEngine engine = DockerEngine.connect(LiveEngine.address())) {
            ContainerSummary mine = engine.containers().stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow();
            assertThat(mine.state()).isEqualTo("created");
            assertThat(mine.labels()).containsEntry(LiveEngine.TEST_LABEL, "true");
            assertThat(mine.health()).isEqualTo(ContainerSummary.Health.NONE);
            assertThat(engine.volumeCount()).isEqualTo(LiveEngine.docker().listVolumesCmd().exec().getVolumes().size());
        }
    }

    @Test
    void aMissingSocketIsReportedWithWhereAndHow(@TempDir Path dir) {
        EngineAddress nowhere = new EngineAddress("unix://" + dir.resolve("docker.sock"), "DOCKER_HOST");
        assertThatThrownBy(() -> DockerEngine.connect(nowhere))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessageStartingWith("no Docker engine answers at unix://" + dir.resolve("docker.sock")
                        + " (from DOCKER_HOST): no socket at")
                .hasMessageContaining("systemctl start docker");
    }

    @Test
    void aSocketWithNobodyListeningIsConnectionRefused(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("dead.sock");
        // Bind and close a unix socket: the file stays, nothing accepts.
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(sock));
        }
        assertThatThrownBy(() -> DockerEngine.connect(new EngineAddress("unix://" + sock, "--host")))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessageContaining("connection refused");
    }
}
