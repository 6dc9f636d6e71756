package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.testing.LiveEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The packaged kiban, run through bin/kiban as a user runs it: exit codes and what it prints. */
@ExtendWith(LiveEngine.class)
class KibanBinaryIT {
    static KibanProcess.Result kiban(String... args) throws IOException, InterruptedException {
        return KibanProcess.run(args);
    }

    @Test
    void statusReportsTheLiveEngine() throws Exception {
        KibanProcess.Result r = kiban("-c", "builtin", "status");
        assertThat(r.exit()).as(r.err()).isIn(0, 1);
        assertThat(r.out()).contains("Engine       " + LiveEngine.docker().versionCmd().exec().getVersion(), "Swarm ",
                "Containers ");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void noEngineIsOneLineAndExitThree(@TempDir Path dir) throws Exception {
        KibanProcess.Result r = kiban("-c", "builtin", "status", "-H", "unix://" + dir.resolve("none.sock"));
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().lines().toList()).singleElement().asString()
                .startsWith("kiban: no Docker engine answers at unix://" + dir.resolve("none.sock") + " (from --host)");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void initThenValidateListsThePlaceholders(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("kiban.yaml");
        assertThat(kiban("spec", "init", spec.toString()).exit()).isZero();
        KibanProcess.Result r = kiban("-c", spec.toString(), "spec", "validate");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("admin.email: warning:", "monitor.channels.discord.webhook: warning:",
                "security.ssh.allowUsers[0]: warning:");
        assertThat(kiban("-c", spec.toString(), "spec", "validate", "--strict").exit()).isEqualTo(2);
    }

    @Test
    void aSpecErrorIsExitTwo(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, "engine:\n  dataRoot: /data/docker\n");
        KibanProcess.Result r = kiban("spec", "validate", spec.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains(spec + ":2:3 engine.dataRoot: error: data-root /data/docker overlaps the "
                + "bind-mount volume tree", "(D6)");
    }
}
