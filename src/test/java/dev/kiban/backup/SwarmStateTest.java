package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ServiceSummary;
import dev.kiban.testing.FakeEngine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Swarm's own state as read from, and planned back onto, an in-memory engine. */
class SwarmStateTest {

    @Test
    void offASwarmManagerThereIsNothingToRead() {
        assertThat(SwarmState.read(new FakeEngine())).isEmpty();
    }

    @Test
    void readsConfigsWithDataSecretsByNameTheNodesAndOnlySwarmNetworks() throws Exception {
        FakeEngine engine = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
        engine.createConfig("app.conf", Map.of("v", "1"), "port: 80\n".getBytes(StandardCharsets.UTF_8));
        engine.addSecret("db-password", Map.of());
        engine.addService(new ServiceSummary("s1", "web", FakeEngine.BASE_IMAGE, false, 1, Map.of(),
                List.of("db-password"),
                List.of("app.conf")));
        engine.createNetwork("backend", "overlay", "10.20.1.0/24", null, false, Map.of(),
                Map.of("dev.kiban.managed", "true"));
        engine.createNetwork("local", "bridge", "172.30.0.0/24", null, false, Map.of(), Map.of());

        SwarmState state = SwarmState.read(engine).orElseThrow();

        assertThat(state.cluster()).isEqualTo(new SwarmState.Cluster(List.of("10.20.0.0/16"), 24, 4789));
        assertThat(state.configs()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("app.conf");
            assertThat(new String(c.bytes(), StandardCharsets.UTF_8)).isEqualTo("port: 80\n");
            assertThat(c.usedBy()).containsExactly("web");
        });
        assertThat(state.secrets()).containsExactly(new SwarmState.Secret("db-password", Map.of(), List.of("web")));
        assertThat(state.nodes()).extracting(SwarmState.Node::hostname).containsExactly("fake-host");
        assertThat(state.networks()).extracting(SwarmState.Network::name).containsExactly("backend");
        assertThat(state.secretsNote()).hasValueSatisfying(n -> assertThat(n).contains("1 secret recorded by name",
                "db-password"));
        assertThat(SwarmState.parse(new ByteArrayInputStream(state.toJson())).toJson()).isEqualTo(state.toJson());
    }

    @Test
    void theRestorePlanCreatesMissingConfigsAndNamesSecretsToRecreateByHand() {
        FakeEngine before = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
        before.createConfig("app.conf", Map.of(), new byte[] {1});
        before.createConfig("proxy.conf", Map.of(), new byte[] {2});
        before.addSecret("db-password", Map.of());
        SwarmState state = SwarmState.read(before).orElseThrow();

        FakeEngine after = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
        after.createConfig("app.conf", Map.of(), new byte[] {1});
        SwarmState.RestorePlan plan = state.plan(after);

        assertThat(plan.create()).extracting(SwarmState.Config::name).containsExactly("proxy.conf");
        assertThat(plan.existing()).containsExactly("app.conf");
        assertThat(plan.recreateByHand()).extracting(SwarmState.Secret::name).containsExactly("db-password");
    }
}
