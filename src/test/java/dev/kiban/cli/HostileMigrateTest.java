package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile corpus for {@code kiban migrate ecs}: compose and env files reached through links or from
 * outside the compose tree, a huge file, a billion laughs, secret values. Each case checks the exit code, the
 * message, that no secret and no Java class name is printed, and that --out was not written.
 */
class HostileMigrateTest {
    @TempDir
    Path tmp;

    HostileCorpus.Outcome migrate(String... args) {
        return MigrateEcsCommandTest.migrate(args);
    }

    Path write(String name, String text) throws IOException {
        return MigrateEcsCommandTest.write(tmp, name, text);
    }

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
