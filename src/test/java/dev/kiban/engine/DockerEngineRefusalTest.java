package dev.kiban.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How DockerEngine reads the engine's answers into kiban's types, without an engine. */
class DockerEngineRefusalTest {

    @Test
    void statusesCallersActOnBecomeTypes() {
        assertThat(EngineConnection.refused(404, "No such container: x"))
                .isExactlyInstanceOf(EngineNotFoundException.class)
                .hasMessage("No such container: x");
        assertThat(EngineConnection.refused(409, "network with name n already exists"))
                .isExactlyInstanceOf(EngineConflictException.class);
        assertThat(EngineConnection.refused(503, "This node is not a swarm manager."))
                .isExactlyInstanceOf(NotSwarmManagerException.class);
        assertThat(EngineConnection.refused(500, "boom")).isExactlyInstanceOf(EngineApiException.class)
                .satisfies(e -> assertThat(e.status()).isEqualTo(500));
    }

    @Test
    void swarmInitsServiceUnavailableIsAConflictNotAMissingManager() {
        var refusal = EngineConnection.refused(503, "This node is already part of a swarm.");
        assertThat(DockerEngine.initRefused((NotSwarmManagerException) refusal))
                .isExactlyInstanceOf(EngineConflictException.class)
                .hasMessage("This node is already part of a swarm.")
                .hasCause(refusal);
    }

    @Test
    void aStoppedContainersStatsAreThePlaceholderNotASample() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String stopped = """
                {"read": "0001-01-01T00:00:00Z", "memory_stats": {}, "cpu_stats": {"cpu_usage": {"total_usage": 0}}}""";
        String running = """
                {"read": "2026-12-05T12:00:00Z", "memory_stats": {"usage": 1048576},
                 "cpu_stats": {"cpu_usage": {"total_usage": 5}}}""";
        assertThat(ContainerJson.notRunning(json.readTree(stopped))).isTrue();
        assertThat(ContainerJson.notRunning(json.readTree(running))).isFalse();
    }
}
