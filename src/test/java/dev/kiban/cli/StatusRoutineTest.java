package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.testing.FakeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiban status}'s last runs, read from the logs the spec names. */
class StatusRoutineTest {
    @TempDir
    Path dir;

    @Test
    void theLastRunOfEachJobIsShownAndAFailedOneExitsOne() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("backup.log"), "2026-12-06T02:10:00Z OK snapshot 1a2b3c4d: 3 sources\n");
        Files.writeString(logs.resolve("image-prune.log"), "2026-11-29T03:00:09Z FAILED image-prune: earlier\n"
                + "2026-12-06T03:00:09Z OK image-prune: the image clean-up succeeded\n");
        Path spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, CommandLineTest.FILLED + "backup: {log: " + logs.resolve("backup.log") + "}\n"
                + "maintenance: {logs: " + logs + "}\n");
        FakeEngine engine = new FakeEngine();
        CommandLineTest.Run ok = CommandLineTest.run(a -> engine, "-c", spec.toString(), "status");
        assertThat(ok.out()).contains("Last runs", "2026-12-06T03:00:09Z OK image-prune",
                "never (no " + logs.resolve("engine-update.log") + ")");
        assertThat(ok.out()).doesNotContain("last run failed").as("no off-site copy in the spec")
                .doesNotContain("backup-copy");
        Files.writeString(logs.resolve("engine-update.log"), "2026-12-07T05:02:00Z FAILED engine-update: the "
                + "engine's update window failed: exit-code (exited 1)\n");
        CommandLineTest.Run failed = CommandLineTest.run(a -> engine, "-c", spec.toString(), "status");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).contains("engine-update's last run failed: ");
    }

    @Test
    void theOffSiteCopyIsListedWhenTheSpecHasOne() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("backup-copy.log"), "2026-12-06T02:40:00Z OK backup-copy: the off-site "
                + "copy succeeded\n");
        Path spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, CommandLineTest.FILLED + "backup: {log: " + logs.resolve("backup.log") + "}\n"
                + "maintenance: {logs: " + logs + ", offsiteCopy: {to: /srv/offsite/kiban}}\n");
        CommandLineTest.Run ok = CommandLineTest.run(a -> new FakeEngine(), "-c", spec.toString(), "status");
        assertThat(ok.out()).contains("2026-12-06T02:40:00Z OK backup-copy: the off-site copy succeeded");
    }
}
