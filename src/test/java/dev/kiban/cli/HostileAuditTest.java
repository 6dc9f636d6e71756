package dev.kiban.cli;

import static dev.kiban.cli.HostileCorpus.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.cli.HostileCorpus.Outcome;
import dev.kiban.cli.HostileCorpus.Sentinel;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.FakePrograms;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile host root for {@code kiban audit --root}: every file the audit reads is a planted link to the
 * sentinel's root-only file, and a container's compose labels lead to it as well. The audit reads none of
 * them through the link, prints none of the file's text (not even in an error), and the sentinel outside the
 * root stays as it was.
 */
class HostileAuditTest {
    /** The sentinel's root-only file's text (HostileCorpus.Sentinel). */
    static final String SECRET = "root only";
    /** Every file of the host the audit reads, each planted as a link to the secret. */
    static final List<String> READ = List.of("etc/docker/daemon.json", "etc/group", "etc/ssh/sshd_config",
            "etc/systemd/system/docker.service.d/override.conf", "etc/audit/rules.d/docker.rules",
            "etc/audit/audit.rules", "etc/systemd/journald.conf", "etc/systemd/journald.conf.d/50-kiban.conf",
            "etc/apt/apt.conf.d/20auto-upgrades", "etc/apt/apt.conf", "proc/net/tcp", "proc/mounts",
            "etc/default/docker", "lib/systemd/system/docker.service", "srv/compose/web/docker-compose.yml");

    @TempDir
    Path dir;
    Path root;
    Sentinel sentinel;

    @BeforeEach
    void aRootOfLinksToTheSentinel() throws IOException {
        root = Files.createDirectories(dir.resolve("root"));
        sentinel = Sentinel.plant(dir.resolve("sentinel"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"13\"\n");
        Path secret = dir.resolve("sentinel/secret.txt");
        for (String f : READ) {
            Path p = root.resolve(f);
            Files.createDirectories(p.getParent());
            Files.createSymbolicLink(p, secret);
        }
    }

    @AfterEach
    void theSentinelIsUnchanged() throws IOException {
        sentinel.assertUnchanged();
    }

    Outcome audit(FakeEngine engine, String... args) {
        String spec = "admin: {email: ops@example.org}\n"
                + "monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}\nstorage: {compose: /srv/compose}\n";
        Path specFile;
        try {
            specFile = Files.writeString(dir.resolve("kiban.yaml"), spec);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String[] all = new String[args.length + 5];
        all[0] = "-c";
        all[1] = specFile.toString();
        all[2] = "audit";
        all[3] = "--root";
        all[4] = root.toString();
        System.arraycopy(args, 0, all, 5, args.length);
        return HostileCorpus.run(Map.of(), a -> engine, FakePrograms.answering(List.of("sshd"), 0,
                "permitrootlogin no\n"), new ByteArrayInputStream(new byte[0]), all);
    }

    @Test
    void noLinkedFileIsReadOrQuotedInAnyFormat() throws Exception {
        FakeEngine engine = new FakeEngine();
        String id = engine.addContainer("web", "running", Map.of(), List.of());
        var h = engine.hardening(id);
        engine.setHardening(id, new dev.kiban.engine.ContainerHardening(h.id(), h.name(), h.image(), true, true,
                h.networkMode(), "", "", "", "", List.of(), List.of(), "", h.mounts(), 0, 0, 0, 0, "", false, false,
                "no", 0, List.of(), h.networks(), "", h.devices(), Map.of("com.docker.stack.namespace", "web",
                "com.docker.swarm.service.name", "web_app"), h.imageId()));
        for (String format : List.of("text", "json", "junit", "sarif")) {
            Outcome o = audit(engine, "--format", format);
            // the privileged container is critical; what a tree cannot answer is an error: exit 1, no secret
            expect(o, 1, "", SECRET);
        }
        Outcome json = audit(engine, "--format", "json");
        JsonNode results = new ObjectMapper().readTree(json.out()).path("results");
        Map<String, String> status = new java.util.HashMap<>();
        Map<String, String> evidence = new java.util.HashMap<>();
        results.forEach(r -> {
            status.put(r.path("id").asText(), r.path("status").asText());
            evidence.put(r.path("id").asText(), r.path("evidence").asText());
        });
        // daemon.json is a link: not followed, said so; the checks that need it are errors, not passes
        assertThat(evidence.get("2.2")).contains("/etc/docker/daemon.json is not a regular file");
        assertThat(status.get("2.2")).isEqualTo("ERROR");
        assertThat(status.get("5.5")).isEqualTo("FAIL");

        // the SARIF result of the container is not placed in the linked compose file
        Outcome sarif = audit(engine, "--format", "sarif");
        for (JsonNode r : new ObjectMapper().readTree(sarif.out()).path("runs").get(0).path("results")) {
            assertThat(r.path("locations").get(0).path("physicalLocation").path("artifactLocation").path("uri")
                    .asText()).doesNotContain("docker-compose.yml");
        }
    }
}
