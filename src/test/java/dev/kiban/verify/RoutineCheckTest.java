package dev.kiban.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.Schedule;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakePrograms;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** verify's routine check (issue 16, item 4): each job ran within its period and a day, and its last run was OK. */
class RoutineCheckTest {
    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    static final Optional<Duration> WEEK = Optional.of(Duration.ofDays(7));
    static final Optional<Instant> LONG_AGO = Optional.of(Instant.parse("2026-10-01T00:00:00Z"));

    static UnitChecks.RoutineJob job(String name, Optional<Instant> installed, String line) {
        return new UnitChecks.RoutineJob(name, "kiban-" + name + ".timer", WEEK, installed, Optional.ofNullable(line));
    }

    @Test
    void passesWhenEachRanWithinItsWeekAndSucceeded() {
        Check.Outcome o = UnitChecks.routineRuns(List.of(
                job("image-prune", LONG_AGO, "2026-11-29T03:00:05Z OK image-prune: the image clean-up succeeded"),
                job("backup-verify", Optional.of(NOW.minus(Duration.ofDays(2))), null)), NOW);
        assertThat(o.verdict()).isEqualTo(CheckResult.Verdict.PASS);
        assertThat(o.evidence()).contains("image-prune OK 2026-11-29T03:00:05Z", "backup-verify not run yet");
    }

    @Test
    void failsOnAFailedLastRunAMissedOneANeverRunOneAndAMissingTimer() {
        Check.Outcome o = UnitChecks.routineRuns(List.of(
                job("engine-update", LONG_AGO, "2026-11-30T05:01:00Z FAILED engine-update: the engine's update window "
                        + "failed: exit-code (exited 1)"),
                job("image-prune", LONG_AGO, "2026-11-20T03:00:05Z OK image-prune: the image clean-up succeeded"),
                job("backup-verify", LONG_AGO, null),
                job("backup-copy", Optional.empty(), null)), NOW);
        assertThat(o.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(o.evidence()).contains("engine-update failed at 2026-11-30T05:01:00Z",
                "image-prune: last ran 2026-11-20T03:00:05Z, more than 8 days ago",
                "backup-verify: never ran since its timer was written", "backup-copy: no kiban-backup-copy.timer");
    }

    @Test
    void skipsOnATreeOtherThanThisHost() throws Exception {
        var spec = SpecDocument.parse("kiban.yaml", "admin: {email: ops@example.org}\n", false).require();
        Check.Outcome o = UnitChecks.routine().run(new CheckContext(spec, Path.of("/nonexistent-root"),
                Optional::empty, FakePrograms.none(), "web", 80, "tool", 1));
        assertThat(o.verdict()).isEqualTo(CheckResult.Verdict.SKIP);
    }

    @Test
    void theLongestGapFollowsTheCalendarsForm() {
        assertThat(Schedule.parse("0 3 * * 0").longestGap()).contains(Duration.ofDays(7));
        assertThat(Schedule.parse("0 3 * * *").longestGap()).contains(Duration.ofDays(1));
        assertThat(Schedule.parse("0 3 1 * *").longestGap()).contains(Duration.ofDays(31));
        assertThat(Schedule.parse("0 3 1 6 *").longestGap()).contains(Duration.ofDays(366));
        assertThat(Schedule.parse("@monthly").longestGap()).contains(Duration.ofDays(31));
        assertThat(Schedule.parse("Mon,Thu *-*-* 05:00:00").longestGap()).contains(Duration.ofDays(7));
        assertThat(Schedule.parse("2027-01-01 00:00:00").longestGap()).isEmpty();
    }
}
