package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.HealthCheck;
import dev.kiban.engine.DockerEngine;
import dev.kiban.testing.LiveEngine;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code kiban status} against the live engine, with a stopped and an unhealthy container the test makes. */
@ExtendWith(LiveEngine.class)
class StatusIT {

    @Test
    void countsAStoppedAndAnUnhealthyContainerAndFlagsTheUnhealthyOne(LiveEngine live) throws Exception {
        String stopped = live.create("kiban-it-stopped", c -> c.withCmd("true"));
        var docker = LiveEngine.docker();
        docker.startContainerCmd(stopped).exec();
        docker.waitContainerCmd(stopped).start().awaitStatusCode();

        String sick = live.create("kiban-it-unhealthy", c -> c.withCmd("sleep", "300")
                .withHealthcheck(new HealthCheck().withTest(List.of("CMD", "false"))
                        .withInterval(Duration.ofMillis(500).toNanos()).withTimeout(Duration.ofSeconds(1).toNanos())
                        .withRetries(1)));
        docker.startContainerCmd(sick).exec();
        waitUntilUnhealthy(sick);

        var before = new ObjectMapper().readTree(run("status", "--json").out());
        CommandLineTest.Run r = run("status", "--json");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(r.out());

        var engineCounts = docker.infoCmd().exec();
        assertThat(json.at("/engine/version").asText()).isEqualTo(docker.versionCmd().exec().getVersion());
        assertThat(json.at("/engine/storageDriver").asText()).isEqualTo(engineCounts.getDriver());
        assertThat(json.at("/engine/dataRoot").asText()).isEqualTo(engineCounts.getDockerRootDir());
        assertThat(json.at("/containers/running").asInt()).isEqualTo(engineCounts.getContainersRunning());
        assertThat(json.at("/containers/stopped").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(names(json.at("/containers/unhealthyNames"))).contains(sick).doesNotContain(stopped);
        assertThat(names(json.at("/findings"))).contains("container " + sick + " is unhealthy");
        assertThat(json.at("/volumes").asInt()).isEqualTo(docker.listVolumesCmd().exec().getVolumes().size());
        assertThat(before.at("/containers/unhealthy").asInt()).isGreaterThanOrEqualTo(1);

        // The engine's data root is on this machine, so its disk is measured.
        JsonNode dataRoot = json.at("/disks/0");
        assertThat(dataRoot.at("/role").asText()).isEqualTo("engine data root");
        assertThat(dataRoot.at("/usage/totalBytes").asLong()).isPositive();

        CommandLineTest.Run text = run("status");
        assertThat(text.out()).contains("Containers   ").contains("- container " + sick + " is unhealthy");
    }

    private static CommandLineTest.Run run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = "builtin";
        System.arraycopy(args, 0, all, 2, args.length);
        return CommandLineTest.run(DockerEngine::connect, all);
    }

    private static List<String> names(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static void waitUntilUnhealthy(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var health = LiveEngine.docker().inspectContainerCmd(name).exec().getState().getHealth();
            if (health != null && "unhealthy".equals(health.getStatus())) return;
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not become unhealthy within 30 s");
    }
}
