package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiban migrate ecs} end to end without a machine: what it writes, and that a refusal or a bad --out
 * leaves --out as it was (absent, or the earlier output) with no temporary directory behind and names the
 * file and line. Hostile input is {@link HostileMigrateTest}.
 */
class MigrateEcsCommandTest {
    static final String HELLO = "examples/stacks/hello/docker-compose.yml";

    @TempDir
    Path tmp;

    /** {@code kiban -c builtin migrate ARGS…}, with no engine (migrate needs none). */
    static HostileCorpus.Outcome migrate(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "-c";
        all[1] = "builtin";
        all[2] = "migrate";
        System.arraycopy(args, 0, all, 3, args.length);
        return HostileCorpus.run(all);
    }

    /** Writes {@code text} at {@code name} under {@code dir}, its directories made. */
    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    Path write(String name, String text) throws IOException {
        return write(tmp, name, text);
    }

    List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".new-") || n.contains(".old-"))
                    .toList();
        }
    }

    @Test
    void writesTheReportTerraformAndTaskDefinitions() throws IOException {
        Path out = tmp.resolve("out");
        HostileCorpus.Outcome o = migrate("ecs", HELLO, "--out", out.toString(), "--region", "us-east-1");
        HostileCorpus.expect(o, 0, "Wrote " + out + ": 1 stack, 1 service");
        assertThat(o.out()).contains("(Fargate prices of ").contains("us-east-1");
        for (String f : List.of("REPORT.md", "report.json", "terraform/main.tf.json", "terraform/hello.tf.json",
                "task-definitions/hello/web.json", ".kiban-migrate")) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        assertThat(Files.readString(out.resolve("task-definitions/hello/web.json"))).contains("\"us-east-1\"");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void jsonPrintsTheReportAlone() throws IOException {
        HostileCorpus.Outcome o = migrate("ecs", HELLO, "--out", tmp.resolve("out").toString(), "--json");
        assertThat(o.exit()).isZero();
        JsonNode report = new ObjectMapper().readTree(o.out());
        assertThat(report.get("priceDate").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(report.get("stacks").get(0).get("keys").get(0).get("line").asInt()).isPositive();
        assertThat(report.get("stacks").get(0).get("services").get(0).get("cpu").asInt()).isEqualTo(256);
    }

    @Test
    void secretsGoToParameterStoreWithSsmAndAnyOtherStoreIsAUsageError() throws IOException {
        Path compose = write("shop/docker-compose.yml", "services:\n  web:\n    image: nginx:1.27\n"
                + "    environment: {DB_PASSWORD: hunter2-never-written}\n");
        Path out = tmp.resolve("out");
        HostileCorpus.Outcome o = migrate("ecs", compose.toString(), "--out", out.toString(), "--secrets", "ssm");
        assertThat(o.exit()).as(o.err()).isZero();
        String tf = Files.readString(out.resolve("terraform/shop.tf.json"));
        assertThat(tf).contains("\"aws_ssm_parameter\"", "\"/shop/web/DB_PASSWORD\"", "ssm:GetParameters")
                .doesNotContain("aws_secretsmanager_secret");
        assertThat(Files.readString(out.resolve("task-definitions/shop/web.json")))
                .contains("arn:aws:ssm:ap-northeast-1:ACCOUNT_ID:parameter/shop/web/DB_PASSWORD");
        assertThat(Files.readString(out.resolve("REPORT.md"))).contains("Parameter Store SecureString parameter");
        try (var walk = Files.walk(out)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("hunter2");
            }
        }
        HostileCorpus.expect(migrate("ecs", compose.toString(), "--out", tmp.resolve("other").toString(),
                "--secrets", "vault"), 2, "--secrets");
        assertThat(tmp.resolve("other")).doesNotExist();
    }

    @Test
    void helpListsTheExitCodes() {
        HostileCorpus.Outcome o = migrate("ecs", "--help");
        assertThat(o.out()).contains("Exit codes:").contains(" 1 ").contains(" 3 ").contains("--force")
                .contains("${VAR} is substituted").contains("3: --out").doesNotContain("null");
    }

    @Nested
    class NothingHalfWritten {
        @Test
        void incompatibleInputStopsWithFileAndLineAndWritesNothing() throws IOException {
            Path compose = write("shop/docker-compose.yml", "services:\n  web:\n    image: nginx:1.27\n"
                    + "    volumes: [\"/etc:/host-etc\"]\n  api:\n    build: .\n");
            Path out = tmp.resolve("out");
            HostileCorpus.Outcome o = migrate("ecs", compose.toString(), "--out", out.toString());
            HostileCorpus.expect(o, 1, compose + ":4:");
            assertThat(o.err()).contains(compose + ":6:").contains("build: without image")
                    .contains("nothing was written");
            assertThat(out).doesNotExist();
            assertThat(leftovers()).isEmpty();
        }

        @Test
        void anOutThatKibanDidNotWriteIsNeverReplaced() throws IOException {
            HostileCorpus.Sentinel sentinel = HostileCorpus.Sentinel.plant(tmp.resolve("mine"));
            HostileCorpus.Outcome o = migrate("ecs", HELLO, "--out", sentinel.dir().toString(), "--force");
            HostileCorpus.expect(o, 1, "is not an earlier output of kiban migrate ecs");
            sentinel.assertUnchanged();
        }

        @Test
        void anEarlierOutputIsReplacedOnlyWithForce() throws IOException {
            Path out = tmp.resolve("out");
            assertThat(migrate("ecs", HELLO, "--out", out.toString()).exit()).isZero();
            Files.writeString(out.resolve("stale.txt"), "from an earlier run\n");
            HostileCorpus.expect(migrate("ecs", HELLO, "--out", out.toString()), 1, "--force replaces it");
            assertThat(out.resolve("stale.txt")).exists();
            HostileCorpus.expect(migrate("ecs", HELLO, "--out", out.toString(), "--force"), 0, "Wrote");
            assertThat(out.resolve("stale.txt")).doesNotExist();
            assertThat(out.resolve("REPORT.md")).isRegularFile();
            assertThat(leftovers()).isEmpty();
        }

        @Test
        void anOutThatIsALinkIsRefused() throws IOException {
            Path target = Files.createDirectories(tmp.resolve("elsewhere"));
            Path link = Files.createSymbolicLink(tmp.resolve("out"), target);
            HostileCorpus.expect(migrate("ecs", HELLO, "--out", link.toString()), 1, "is a symbolic link");
            try (Stream<Path> s = Files.list(target)) {
                assertThat(s).isEmpty();
            }
        }

        @Test
        void aBadRegionOrClusterIsAUsageError() {
            HostileCorpus.expect(migrate("ecs", HELLO, "--out", tmp.resolve("o").toString(), "--region", "../x"), 2,
                    "is not an AWS region");
            HostileCorpus.expect(migrate("ecs", HELLO, "--out", tmp.resolve("o").toString(), "--cluster", "a b"), 2,
                    "--cluster");
        }
    }
}
