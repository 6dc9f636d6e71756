package dev.kiban.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** What a compose file needs from outside its stack and what it creates, as docker stack deploy names them. */
class StackNeedsTest {
    @Test
    void externalObjectsByTheirNamesAndCreatedNetworksWithTheStacksPrefix() {
        StackNeeds n = StackNeeds.of("app", "docker-compose.yml", """
                services:
                  web: {image: kiban-test/web:latest}
                networks:
                  front: {driver: overlay}
                  named: {driver: overlay, name: shared_net}
                  edge: {external: true, name: proxy_edge}
                  old: {external: {name: legacy_net}}
                  plain: {external: true}
                secrets:
                  db: {external: true}
                  tls: {file: ./tls.pem}
                configs:
                  conf: {external: true, name: app_conf_v2}
                """, new ArrayList<>());
        assertThat(n.networks()).containsExactly("app_front", "shared_net");
        assertThat(n.externalNetworks()).containsExactly("legacy_net", "plain", "proxy_edge");
        assertThat(n.externalSecrets()).containsExactly("db");
        assertThat(n.externalConfigs()).containsExactly("app_conf_v2");
    }

    @Test
    void aStackWithoutNetworksGetsItsDefaultOne() {
        StackNeeds n = StackNeeds.of("hello", "compose.yml", "services:\n  web: {image: x}\n", new ArrayList<>());
        assertThat(n.networks()).containsExactly("hello_default");
        assertThat(n.externalNetworks()).isEmpty();
    }
}
