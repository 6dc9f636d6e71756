package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The daily report rendered from gathered facts, without an engine, a journal or a disk. */
class DailyReportTest {
    static final Instant SINCE = Instant.parse("2026-12-04T06:00:00Z");
    static final Instant NOW = Instant.parse("2026-12-05T06:00:00Z");

    static DailyReport.Facts facts(Optional<List<DailyReport.ContainerLine>> containers, DailyReport.Journal journal) {
        return new DailyReport.Facts("ws1", SINCE, NOW, containers,
                Map.of("db", DailyReport.errorCounts(List.of("2026-12-04T07:00:00Z ERROR: db 17 refused",
                        "2026-12-04T07:00:01Z ERROR: db 18 refused", "2026-12-04T07:00:02Z fine"))),
                journal, List.of(new DailyReport.Disk(Path.of("/var/lib/docker"), Optional.of(71.5), Optional.of(2.25)),
                        new DailyReport.Disk(Path.of("/mnt/backup"), Optional.empty(), Optional.empty())),
                Path.of("/var/log/kiban/backup.log"), Optional.of("2026-12-04T02:00:00Z OK snapshot s1"),
                List.of("2026-12-04T09:00:00Z FIRING container-down db"));
    }

    @Test
    void everySectionSaysWhatWasGathered() {
        String text = DailyReport.render(facts(Optional.of(List.of(
                new DailyReport.ContainerLine("db", "running", 3, true, false),
                new DailyReport.ContainerLine("web", "exited", 0, false, true))),
                DailyReport.journalCounts("Failed password for root from 10.0.0.9\nAccepted publickey for deploy\n"
                        + "2026-12-04 fail2ban.actions [1]: NOTICE [sshd] Ban 10.0.0.9\n")));
        assertThat(text).startsWith("kiban daily report for ws1, 2026-12-04T06:00:00Z to 2026-12-05T06:00:00Z")
                .contains("2 containers, 1 running")
                .containsPattern("db +running +restarts 3 +OOM-killed")
                .containsPattern("web +exited +restarts 0 +UNHEALTHY")
                .contains("db: 2 error lines", "2 x ERROR: db N refused")
                .containsPattern("failed logins +1").containsPattern("accepted logins +1").containsPattern("bans +1")
                .contains("/var/lib/docker", "71.5% used (+2.3 points in 24 h)", "/mnt/backup: not present")
                .contains("last run: 2026-12-04T02:00:00Z OK snapshot s1")
                .contains("FIRING container-down db")
                .doesNotContain("no entries");
    }

    @Test
    void withoutAnEngineTheReportSaysSoAndGoesOn() {
        String text = DailyReport.render(facts(Optional.empty(), new DailyReport.Journal.NotInstalled()));
        assertThat(text).contains("== Containers\n  no engine answered").contains("journalctl is not installed")
                .contains("== Disks");
    }

    @Test
    void anUnreadableJournalIsNotReportedAsQuiet() {
        String text = DailyReport.render(facts(Optional.of(List.of()),
                new DailyReport.Journal.Unreadable("Failed to open journal: Permission denied")));
        assertThat(text).contains("the journal could not be read: Failed to open journal: Permission denied")
                .doesNotContainPattern("failed logins +0");
    }

    @Test
    void anEmptyJournalAsksWhetherItIsPersistent() {
        assertThat(DailyReport.render(facts(Optional.of(List.of()), DailyReport.journalCounts("-- No entries --\n"))))
                .contains("no entries; is the journal persistent? (R6.1)");
    }

    /** Issue 16, item 4: each job of the weekly routine, its last run: ok, FAILED with why, or never. */
    @Test
    void theWeeklyRoutineSaysEachJobsLastRun(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("image-prune.log"),
                "2026-11-29T03:00:05Z OK image-prune: the image clean-up succeeded\n");
        java.nio.file.Files.writeString(dir.resolve("engine-update.log"), "2026-11-30T05:00:00Z OK earlier\n"
                + "2026-11-30T05:01:00Z FAILED engine-update: the engine's update window failed: "
                + "exit-code (exited 1)\n");
        Map<String, Path> logs = new java.util.LinkedHashMap<>();
        for (String job : List.of("image-prune", "backup-verify", "engine-update")) {
            logs.put(job, dir.resolve(job + ".log"));
        }
        DailyReport.Facts f = DailyReport.gather(new DailyReport.Inputs(null, List.of(),
                new MonitorState(dir.resolve("state")), dir.resolve("backup.log"), SINCE, NOW, "ws1",
                dev.kiban.testing.FakePrograms.none(), logs));
        String text = DailyReport.render(f);
        assertThat(text).contains("== Weekly routine (last runs)\n"
                + "  image-prune    ok      2026-11-29T03:00:05Z\n"
                + "  backup-verify  never\n"
                + "  engine-update  FAILED  2026-11-30T05:01:00Z  engine-update: the engine's update window failed: "
                + "exit-code (exited 1)\n");
        assertThat(text.indexOf("== Weekly routine")).isGreaterThan(text.indexOf("== Backup"))
                .isLessThan(text.indexOf("== Alerts"));
        assertThat(DailyReport.render(facts(Optional.empty(), new DailyReport.Journal.NotInstalled())))
                .as("no routine gathered, no section").doesNotContain("Weekly routine");
    }
}
