package dev.kiban.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiban.migrate.KeyOutcome.Outcome;
import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecNode;
import dev.kiban.spec.SpecReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

class EcsMappingTest {
    static StackMigration map(String yaml) {
        return map(yaml, Map.of());
    }

    static StackMigration map(String yaml, Map<String, StackSource.EnvFile> envFiles) {
        List<Problem> problems = new ArrayList<>();
        SpecNode tree = SpecReader.read("compose.yml", yaml, problems);
        assertThat(problems).isEmpty();
        return EcsMapping.map(new StackSource("shop", "compose.yml", tree, envFiles),
                new EcsMapping.Options("ap-northeast-1"));
    }

    @Test
    void aTaskDefinitionReadsBackThroughTheSdkModelUnchanged() throws Exception {
        StackMigration m = map("""
                services:
                  web:
                    image: nginx:1.27
                    command: ["nginx", "-g", "daemon off;"]
                    environment: {A: "1", DB_PASSWORD: hunter2}
                    ports: ["80:80"]
                    healthcheck: {test: ["CMD", "true"], interval: 1s, retries: 20}
                    read_only: true
                    user: "101"
                    stop_grace_period: 5m
                    ulimits: {nofile: {soft: 1024, hard: 2048}}
                    init: true
                    cap_drop: [ALL]
                    volumes: [data:/srv]
                    deploy:
                      resources: {limits: {cpus: "0.3", memory: 700M}, reservations: {memory: 100M}}
                volumes:
                  data: {}
                """);
        assertThat(m.refusals()).isEmpty();
        EcsTask task = m.services().get(0).task();
        ObjectNode json = TaskDefinitionJson.request(task,
                TaskDefinitionJson.placeholders("ap-northeast-1", "kiban", "shop"));
        RegisterTaskDefinitionRequest sdk = EcsModelRoundTrip.read(json);
        assertThat(sdk.networkMode()).isEqualTo(NetworkMode.AWSVPC);
        Object back = EcsModelRoundTrip.plain(sdk);
        Object ours = TaskDefinitionJson.JSON.convertValue(json, Object.class);
        assertThat(back).isEqualTo(ours);
        assertThat(json.toString()).doesNotContain("hunter2");
        assertThat(task.size()).isEqualTo(new FargateSize(512, 1024));
    }

    /** The round trip proves something only if the SDK's model refuses a field it does not have. */
    @Test
    void theSdkModelRefusesAFieldItDoesNotHave() throws Exception {
        ObjectNode json = TaskDefinitionJson.JSON.createObjectNode().put("family", "x");
        json.putArray("containerDefinitions").addObject().put("name", "web").put("imagee", "typo");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EcsModelRoundTrip.read(json))
                .hasMessageContaining("imagee");
    }

    @Test
    void everyKeyIsAccountedFor() {
        StackMigration m = map("""
                services:
                  web:
                    image: nginx:1.27
                    frobnicate: yes
                    hostname: web
                """);
        assertThat(m.outcomes()).extracting(KeyOutcome::key, KeyOutcome::outcome).contains(
                org.assertj.core.groups.Tuple.tuple("image", Outcome.MAPPED),
                org.assertj.core.groups.Tuple.tuple("frobnicate", Outcome.UNSUPPORTED),
                org.assertj.core.groups.Tuple.tuple("hostname", Outcome.UNSUPPORTED));
    }
}
