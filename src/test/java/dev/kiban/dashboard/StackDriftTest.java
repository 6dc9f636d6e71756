package dev.kiban.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ServiceSummary;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stacks page's drift: a temporary compose tree against the services a stack deploy would have made, each kind
 * of drift, none, hostile names, and files kiban will not read (shown by path, never by content).
 */
class StackDriftTest {
    static final String SHOP = """
            services:
              web:
                image: nginx:1.27
                deploy: {replicas: 2}
              worker:
                image: registry.example.org/shop/worker@sha256:abc
              agent:
                image: example/agent
                deploy: {mode: global}
            """;
    static final String SECRET_LINE = "password: hunter2-do-not-show";

    @TempDir
    Path tree;

    static ServiceSummary service(String stack, String name, String image, boolean global, int replicas) {
        return new ServiceSummary(stack + "-" + name, stack + "_" + name, image, global, replicas,
                Map.of("com.docker.stack.namespace", stack));
    }

    static List<ServiceSummary> shopAsDeclared() {
        return List.of(service("shop", "web", "nginx:1.27@sha256:111", false, 2),
                service("shop", "worker", "registry.example.org/shop/worker:1@sha256:abc", false, 1),
                service("shop", "agent", "docker.io/example/agent:latest@sha256:222", true, 0));
    }

    void write(String stack, String text) throws Exception {
        Files.createDirectories(tree.resolve(stack));
        Files.writeString(tree.resolve(stack).resolve("docker-compose.yml"), text);
    }

    @Test
    void aStackRunningAsItsFileSaysHasNoDrift() throws Exception {
        write("shop", SHOP);
        var findings = StackDrift.compare(StackDrift.read(tree), shopAsDeclared());
        assertThat(findings).isEmpty();
        assertThat(StackDrift.render(findings)).contains("No drift");
    }

    @Test
    void everyKindOfDriftIsFound() throws Exception {
        write("shop", SHOP);
        write("blog", "services: {app: {image: ghost:5}}\n");
        var deployed = List.of(service("shop", "web", "nginx:1.25@sha256:111", false, 3),
                service("shop", "agent", "example/agent:latest", false, 1),
                service("shop", "cron", "busybox:1@sha256:333", false, 1),
                service("old", "app", "old:1", false, 1),
                new ServiceSummary("x", "standalone", "redis:7", false, 1, Map.of()));
        var findings = StackDrift.compare(StackDrift.read(tree), deployed);
        assertThat(findings).containsExactlyInAnyOrder(
                new StackDrift.Finding("blog", "", "not deployed", tree.resolve("blog/docker-compose.yml").toString(),
                        "no service of this stack"),
                new StackDrift.Finding("shop", "web", "image", "nginx:1.27", "nginx:1.25@sha256:111"),
                new StackDrift.Finding("shop", "web", "replicas", "2", "3"),
                new StackDrift.Finding("shop", "worker", "missing", "declared", "no such service"),
                new StackDrift.Finding("shop", "agent", "mode", "global", "replicated"),
                new StackDrift.Finding("shop", "cron", "not in compose", "no such service", "busybox:1@sha256:333"),
                new StackDrift.Finding("old", "", "no compose file", "none in the compose tree", "1 service"));
    }

    @Test
    void aDigestInTheComposeFileMustMatchTheRunningOne() {
        assertThat(StackDrift.sameImage("app@sha256:aaa", "app:latest@sha256:aaa")).isTrue();
        assertThat(StackDrift.sameImage("app@sha256:aaa", "app:latest@sha256:bbb")).isFalse();
        assertThat(StackDrift.sameImage("app", "docker.io/library/app:latest@sha256:bbb")).isTrue();
        assertThat(StackDrift.sameImage("app:2", "app:latest")).isFalse();
        assertThat(StackDrift.sameImage("localhost:5000/app", "localhost:5000/app:latest@sha256:c")).isTrue();
    }

    @Test
    void hostileNamesAreEscaped() throws Exception {
        String hostile = "<script>alert(1)</script>";
        write("shop", "services:\n  web:\n    image: \"" + hostile + "\"\n");
        var findings = StackDrift.compare(StackDrift.read(tree),
                List.of(service("shop", "web", "nginx:1", false, 1), service("shop", hostile, hostile, false, 1)));
        assertThat(findings).hasSize(2);
        String html = StackDrift.render(findings);
        assertThat(html).doesNotContain(hostile, "<script").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void aFileKibanWillNotReadIsShownByItsPathNeverItsContent() throws Exception {
        write("broken", "services: [\n" + SECRET_LINE + "\n  : : :\n");
        Path outside = Files.writeString(tree.getParent().resolve("elsewhere-" + tree.getFileName() + ".yml"),
                "services: {app: {image: '" + SECRET_LINE + "'}}\n");
        Files.createDirectories(tree.resolve("linked"));
        Files.createSymbolicLink(tree.resolve("linked/docker-compose.yml"), outside);
        write("huge", "# " + "x".repeat(2 << 20) + "\n");
        Files.createDirectories(tree.resolve("binary"));
        Files.write(tree.resolve("binary/docker-compose.yml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        try {
            var findings = StackDrift.compare(StackDrift.read(tree), List.of(service("linked", "app", "x:1", false,
                    1)));
            assertThat(findings).extracting(StackDrift.Finding::kind).containsOnly("unreadable");
            assertThat(findings).extracting(StackDrift.Finding::stack)
                    .containsExactlyInAnyOrder("broken", "linked", "huge", "binary");
            assertThat(findings).filteredOn(f -> f.stack().equals("linked")).singleElement()
                    .satisfies(f -> assertThat(f.compose()).contains(tree.resolve("linked").toString(),
                            "symbolic link"));
            assertThat(findings).filteredOn(f -> f.stack().equals("broken")).singleElement()
                    .satisfies(f -> assertThat(f.compose()).contains("not valid YAML (line"));
            assertThat(findings).filteredOn(f -> f.stack().equals("huge")).singleElement()
                    .satisfies(f -> assertThat(f.compose()).contains("is larger than 1024 KiB"));
            assertThat(findings).filteredOn(f -> f.stack().equals("binary")).singleElement()
                    .satisfies(f -> assertThat(f.compose()).contains("is not UTF-8 text"));
            String html = StackDrift.render(findings);
            assertThat(html).doesNotContain("hunter2", "xxxx").contains("docker-compose.yml");
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void theStacksPageShowsDriftFromTheComposeTreeAndFromSwarmNodes() throws Exception {
        write("shop", SHOP);
        var spec = SpecDocument.parse("k", """
                admin: {email: ops@example.org}
                monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
                security: {ssh: {allowUsers: [deploy]}}
                swarm:
                  nodeNetworks: [192.168.10.0/24]
                  nodes:
                    - {name: ws9, address: 192.168.10.19, role: manager}
                """, false).require();
        FakeEngine engine = FakeEngine.withContainers();
        var sources = new Sources(() -> engine, spec, "k", tree.resolve("state"), p -> Optional.empty(),
                Clock.systemUTC(), tree);
        String html = StacksPage.drift(sources, engine, List.of(service("shop", "web", "nginx:1.26", false, 2)));
        assertThat(html).contains("id=\"drift\"", tree.toString(), "nginx:1.26", "data-state=\"missing\"")
                .contains("ws9 (192.168.10.19) is not in the swarm");
        assertThat(html).doesNotContain("<script");
    }
}
