package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.os.HostRoot;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import dev.kiban.spec.SpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The renderers, per family, against golden files reviewed by hand (src/test/resources/golden). To
 * accept a deliberate change: mvn test -Dtest=HostConfigurationTest -Dkiban.golden.update=true, then
 * review the diff of the golden files.
 */
class HostConfigurationTest {
    static final String FILLED = """
            admin: {email: ops@example.org}
            monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
            security: {ssh: {allowUsers: [deploy]}}
            swarm: {nodeNetworks: [192.168.10.0/24]}
            maintenance: {offsiteCopy: {to: "sftp://backup@offsite.example.org:2222/srv/kiban",
                identity: /etc/kiban/offsite_ed25519, knownHosts: /etc/kiban/offsite_known_hosts}}
            """;
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static PlatformSpec spec(Family family) {
        return SpecDocument.parse("kiban.yaml", FILLED, false).require().resolved(family, "192.168.10.5");
    }

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void rendersTheGoldenFiles(Family family) throws IOException {
        HostConfiguration config = HostConfiguration.render(spec(family));
        Path dir = GOLDEN.resolve(family.name().toLowerCase());
        boolean update = Boolean.getBoolean("kiban.golden.update");
        for (Artifact a : config.artifacts()) {
            Path golden = HostRoot.resolve(dir, a.path());
            if (update) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, a.content(), StandardCharsets.UTF_8);
            }
            assertThat(a.content()).as(a.path()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<String> goldenPaths = files.filter(Files::isRegularFile).map(p -> "/" + dir.relativize(p))
                    .sorted().toList();
            assertThat(goldenPaths).containsExactlyInAnyOrderElementsOf(config.artifacts().stream().map(Artifact::path)
                    .toList());
        }
    }

    @Test
    void daemonJsonMergesTheThreeFragmentsWithoutTheDesignsDefects() throws IOException {
        JsonNode d = new ObjectMapper().readTree(DaemonJson.render(spec(Family.RHEL)).content());
        assertThat(d.get("log-opts").get("max-size").asText()).isEqualTo("10m");
        assertThat(d.get("log-opts").get("labels").asText()).isEqualTo("service,environment");
        assertThat(d.get("storage-driver").asText()).isEqualTo("overlay2");
        assertThat(d.get("default-ulimits").get("nofile").get("Soft").asInt()).isEqualTo(64000);
        assertThat(d.get("live-restore").asBoolean()).as("D1: off with Swarm").isFalse();
        assertThat(d.get("data-root").asText()).as("D6").isEqualTo("/var/lib/docker");
        assertThat(d.get("selinux-enabled").asBoolean()).as("D11 on rhel").isTrue();
        assertThat(d.has("seccomp-profile")).as("D12: only a real file").isFalse();
        assertThat(d.has("userns-remap")).as("D13: only when asked").isFalse();
        assertThat(d.get("bip").asText()).isEqualTo("172.17.0.1/16");
        assertThat(d.get("default-address-pools")).hasSize(12);
        assertThat(d.get("default-address-pools").get(11).get("base").asText()).isEqualTo("172.30.0.0/16");

        JsonNode debian = new ObjectMapper().readTree(DaemonJson.render(spec(Family.DEBIAN)).content());
        assertThat(debian.has("selinux-enabled")).isFalse();
        PlatformSpec noSwarm = SpecDocument.parse("k", FILLED.replace("swarm: {", "swarm: {enabled: false, "), false)
                .require().resolved(Family.DEBIAN, "192.0.2.1");
        assertThat(new ObjectMapper().readTree(DaemonJson.render(noSwarm).content()).get("live-restore").asBoolean())
                .isTrue();
    }

    @Test
    void swarmPortsOpenOnlyToTheNodeNetworksAndTheApiStaysClosed() {
        String zone = FirewallRules.render(spec(Family.RHEL)).get(0).content();
        assertThat(zone)
                .contains("<rule family=\"ipv4\"><source address=\"192.168.10.0/24\"/><port port=\"2377\" "
                        + "protocol=\"tcp\"/><accept/></rule>")
                .contains("<port port=\"4789\" protocol=\"udp\"/>")
                .contains("<rule family=\"ipv4\"><port port=\"2375\" protocol=\"tcp\"/><reject/></rule>")
                .doesNotContain("<port port=\"2377\" protocol=\"tcp\"/>\n");
        String nft = FirewallRules.render(spec(Family.DEBIAN)).get(0).content();
        assertThat(nft).contains("ip saddr 192.168.10.0/24 udp dport 4789 accept").contains("tcp dport 2375 reject");
    }

    @Test
    void publishedPortsOutsideThePublicClassesAreDroppedInDockerUser() {
        String rules = FirewallRules.render(spec(Family.DEBIAN))
                .stream().filter(a -> a.path().equals(FirewallRules.DOCKER_USER_SCRIPT))
                .findFirst().orElseThrow().content();
        assertThat(rules).contains("--ctorigdstport 443 -j RETURN", "--ctorigdstport 2375 -j DROP",
                "--ctstate NEW -j DROP");
        assertThat(rules.indexOf("2375 -j DROP")).isLessThan(rules.indexOf("443 -j RETURN"));
    }

    @Test
    void fail2banReadsTheJournalAndShipsItsDockerFilter() {
        List<Artifact> f = Fail2banJails.render(spec(Family.RHEL));
        assertThat(f.get(0).content()).contains("[docker-api]", "journalmatch = _SYSTEMD_UNIT=docker.service",
                "backend = systemd")
                .doesNotContain("\nlogpath");
        assertThat(f.get(1).path()).isEqualTo("/etc/fail2ban/filter.d/docker-api.conf");
    }

    @Test
    void aPlaceholderStopsTheRenderingNamingTheKey() {
        PlatformSpec open = SpecDocument.builtin().require().resolved(Family.DEBIAN, "192.0.2.1");
        assertThatThrownBy(() -> HostConfiguration.render(open)).isInstanceOf(SpecException.class)
                .hasMessageContaining("is still the placeholder");
    }

    @Test
    void familyMustBeResolvedFirst() {
        PlatformSpec unresolved = SpecDocument.parse("k", FILLED, false).require();
        assertThatThrownBy(() -> HostConfiguration.render(unresolved)).hasMessageContaining("host.family is auto");
    }
}
