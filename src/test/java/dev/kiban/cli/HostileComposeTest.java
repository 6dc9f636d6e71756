package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus for compose files and the YAML they are written in: every spelling that once slipped
 * past {@code stack lint} (privileged as text, docker.sock by another path, host namespaces, capabilities,
 * unconfined security options, devices), aliases and merge keys, billion laughs. Each compose case is a file
 * under {@code src/test/resources/hostile/compose} whose header says what kiban must answer:
 * {@code # expect: exit N, says "FRAGMENT"}; the fragment names the file, line and column and the reason.
 */
class HostileComposeTest {
    static final Path DIR = Path.of("src/test/resources/hostile/compose");
    private static final Pattern EXPECT = Pattern.compile("^# expect: exit (\\d), says \"(.*)\"$", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    static List<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void composeFile(String name) throws IOException {
        Path file = DIR.resolve(name);
        Matcher m = EXPECT.matcher(Files.readString(file));
        assertThat(m.find()).as("%s has an '# expect: exit N, says \"...\"' header", name).isTrue();
        HostileCorpus.Outcome o = HostileCorpus.run("-c", "builtin", "stack", "lint", file.toString());
        HostileCorpus.expect(o, Integer.parseInt(m.group(1)), m.group(2).replace("\\\"", "\""));
    }

    @Test
    void theCorpusIsComplete() throws IOException {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(75);
    }

    @Test
    void aBillionLaughsSpecIsRefused() throws IOException {
        StringBuilder yaml = new StringBuilder("admin: {email: &a0 ops@example.org}\n"
                + "x0: &x0 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\n");
        for (int i = 1; i < 9; i++) {
            yaml.append("x").append(i).append(": &x").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*x" + (i - 1)))).append("]\n");
        }
        Path spec = write("laughs.yaml", yaml.toString());
        HostileCorpus.expect(HostileCorpus.run("spec", "validate", spec.toString()), 2,
                "laughs.yaml:6:10: error: too many alias expansions");
    }

    @Test
    void aSpecWithAnchorsAndMergeKeysResolvesItsValues() throws IOException {
        Path spec = write("anchored.yaml", """
                admin: {email: ops@example.org}
                monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
                security: {ssh: {allowUsers: [deploy]}}
                budget:
                  hostReserve: &reserve {cpus: 1, memory: 8G, disks: {ssd: 410G}}
                  spare:
                    <<: *reserve
                    memory: 6G
                    disks: {hdd: 0.6T}
                engine:
                  userlandProxy: &no false
                  noNewPrivileges: true
                """);
        HostileCorpus.expect(HostileCorpus.run("spec", "validate", spec.toString()), 0, "anchored.yaml: valid");
        HostileCorpus.Outcome shown = HostileCorpus.run("-c", spec.toString(), "spec", "show", "--json");
        HostileCorpus.expect(shown, 0, "\"spare\"");
        assertThat(shown.out().replaceAll("\\s", "")).contains("\"spare\":{\"cpus\":1,\"memory\":\"6G\"")
                .doesNotContain("\"reserve\"").doesNotContain("<<");
    }

    @Test
    void aSpecBooleanWrittenYesIsAnErrorNotFalse() throws IOException {
        Path spec = write("yes.yaml", "admin: {email: ops@example.org}\nengine:\n  userlandProxy: yes\n");
        HostileCorpus.expect(HostileCorpus.run("spec", "validate", spec.toString()), 2,
                "yes.yaml:3:3 engine.userlandProxy: error: expected true or false, got \"yes\"");
    }

    @Test
    void aSyntaxErrorNeverShowsTheLineItIsIn() throws IOException {
        Path spec = write("broken.yaml", "admin: {email: ops@example.org}\nbackup:\n  passphrase: \"s3cret-hunter2\n");
        HostileCorpus.expect(HostileCorpus.run("spec", "validate", spec.toString()), 2, "YAML syntax:",
                "s3cret-hunter2");
    }

    @Test
    void findingsNeverShowTheServicesEnvironment() throws IOException {
        Path compose = write("env.yml", """
                services:
                  s:
                    image: app:1.0
                    privileged: yes
                    environment: {DB_PASSWORD: s3cret-hunter2}
                    volumes: ["/var/run/./docker.sock:/var/run/docker.sock"]
                """);
        HostileCorpus.expect(HostileCorpus.run("-c", "builtin", "stack", "lint", compose.toString()), 1,
                "env.yml:6:15 services.s.volumes[0]: error: mounting docker.sock is root on the host",
                "s3cret-hunter2");
    }

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return p;
    }
}
