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
 * {@code kiban migrate ecs} end to end without a machine: what it writes, and that a refusal, a bad --out
 * or hostile input leaves --out as it was (absent, or the earlier output) with no temporary directory
 * behind, names the file and line, and never prints a secret's value.
 */
class MigrateEcsCommandTest {
    static final String HELLO = "examples/stacks/hello/docker-compose.yml";

    @TempDir
    Path tmp;

    HostileCorpus.Outcome migrate(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "-c";
        all[1] = "builtin";
        all[2] = "migrate";
        System.arraycopy(args, 0, all, 3, args.length);
        return HostileCorpus.run(all);
    }

    Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
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
    void helpListsTheExitCodes() {
        HostileCorpus.Outcome o = migrate("ecs", "--help");
        assertThat(o.out()).contains("Exit codes:").contains(" 1 ").contains(" 3 ").contains("--force");
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

    @Nested
    class HostileInput {
        @Test
        void aComposeFileThatIsALinkIsNotFollowed() throws IOException {
            Path secret = write("private/compose.yml", "services:\n  web:\n    image: TOPSECRET-IMAGE\n");
            Files.createDirectories(tmp.resolve("stacks/shop"));
            Path link = Files.createSymbolicLink(tmp.resolve("stacks/shop/docker-compose.yml"), secret);
            HostileCorpus.Outcome o = migrate("ecs", tmp.resolve("stacks").toString(), "--out",
                    tmp.resolve("out").toString());
            HostileCorpus.expect(o, 1, "is a symbolic link", "TOPSECRET");
            HostileCorpus.expect(migrate("ecs", link.toString(), "--out", tmp.resolve("out").toString()), 1,
                    "is a symbolic link", "TOPSECRET");
            assertThat(tmp.resolve("out")).doesNotExist();
        }

        @Test
        void anEnvFileOutsideTheTreeOrThroughALinkIsRefusedUnread() throws IOException {
            write("outside.env", "LEAK=outside-value\n");
            Path compose = write("tree/shop/docker-compose.yml", "services:\n  web:\n    image: nginx:1.27\n"
                    + "    env_file: ../../outside.env\n");
            HostileCorpus.expect(migrate("ecs", compose.toString(), "--out", tmp.resolve("out").toString()), 1,
                    compose + ":4:", "outside-value");
            Files.createDirectories(tmp.resolve("tree/common"));
            Files.createSymbolicLink(tmp.resolve("tree/common/.env"), tmp.resolve("outside.env"));
            Path linked = write("tree/shop/docker-compose.yml", "services:\n  web:\n    image: nginx:1.27\n"
                    + "    env_file: ../common/.env\n");
            HostileCorpus.Outcome o = migrate("ecs", linked.toString(), "--out", tmp.resolve("out").toString());
            HostileCorpus.expect(o, 1, "symbolic link", "outside-value");
            assertThat(tmp.resolve("out")).doesNotExist();
        }

        @Test
        void theDesignsCommonEnvIsReadFromInsideTheTree() throws IOException {
            write("tree/common/.env", "TZ=Asia/Tokyo\nSMTP_PASSWORD=pw-from-common\n");
            Path compose = write("tree/shop/docker-compose.yml", "services:\n  web:\n    image: nginx:1.27\n"
                    + "    env_file: ../common/.env\n");
            Path out = tmp.resolve("out");
            HostileCorpus.expect(migrate("ecs", compose.toString(), "--out", out.toString()), 0, "Wrote",
                    "pw-from-common");
            String task = Files.readString(out.resolve("task-definitions/shop/web.json"));
            assertThat(task).contains("Asia/Tokyo").contains("shop/web/SMTP_PASSWORD").doesNotContain("pw-from-common");
        }

        @Test
        void aHugeComposeFileIsRefusedBeforeItIsParsed() throws IOException {
            Path compose = write("big/docker-compose.yml", "# " + "x".repeat(1 << 20) + "\nservices: {}\n");
            HostileCorpus.expect(migrate("ecs", compose.toString(), "--out", tmp.resolve("out").toString()), 1,
                    "is larger than 1024 KiB");
        }

        @Test
        void aBillionLaughsIsRefused() throws IOException {
            StringBuilder yaml = new StringBuilder("x0: &x0 [a, a, a, a, a, a, a, a, a]\n");
            for (int i = 1; i < 9; i++) {
                yaml.append("x").append(i).append(": &x").append(i).append(" [")
                        .append(String.join(", ", java.util.Collections.nCopies(9, "*x" + (i - 1)))).append("]\n");
            }
            yaml.append("services: {web: {image: nginx:1.27}}\n");
            Path compose = write("laughs/docker-compose.yml", yaml.toString());
            HostileCorpus.expect(migrate("ecs", compose.toString(), "--out", tmp.resolve("out").toString()), 1,
                    "too many alias expansions");
        }

        @Test
        void aSecretValueInTheComposeFileIsNeverPrintedNorWritten() throws IOException {
            Path compose = write("shop/docker-compose.yml", "services:\n  web:\n    image: nginx:1.27\n"
                    + "    environment: {DB_PASSWORD: hunter2-value, API_TOKEN: tok-value}\n"
                    + "    secrets: [missing]\n");
            HostileCorpus.expect(migrate("ecs", compose.toString(), "--out", tmp.resolve("out").toString()), 1,
                    "secret \"missing\" is not declared", "hunter2-value", "tok-value");
            Files.writeString(compose, "services:\n  web:\n    image: nginx:1.27\n"
                    + "    environment: {DB_PASSWORD: hunter2-value, API_TOKEN: tok-value}\n");
            Path out = tmp.resolve("out");
            HostileCorpus.expect(migrate("ecs", compose.toString(), "--out", out.toString(), "--json"), 0, "\"stacks\"",
                    "hunter2-value", "tok-value");
            try (Stream<Path> files = Files.walk(out)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain("hunter2-value", "tok-value");
                }
            }
        }
    }
}
