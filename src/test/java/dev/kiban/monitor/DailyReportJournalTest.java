package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.testing.FakePrograms;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The daily report's journal section over fake host programs. */
class DailyReportJournalTest {
    static final Instant SINCE = Instant.parse("2026-12-04T06:00:00Z");

    @Test
    void withoutJournalctlTheJournalIsNotInstalled() throws IOException {
        assertThat(DailyReport.journal(FakePrograms.none(), SINCE))
                .isInstanceOf(DailyReport.Journal.NotInstalled.class);
    }

    @Test
    void aFailedJournalctlIsUnreadableWithItsFirstLine() throws IOException {
        var programs = FakePrograms.answering(List.of("journalctl"), 1,
                "Failed to open journal: Permission denied\nmore\n");
        assertThat(DailyReport.journal(programs, SINCE)).isEqualTo(
                new DailyReport.Journal.Unreadable("Failed to open journal: Permission denied"));
    }

    @Test
    void theLoginUnitsAreCountedSinceTheStart() throws IOException {
        var programs = FakePrograms.answering(List.of("journalctl"), 0,
                "Failed password for root from 10.0.0.9\nAccepted publickey for deploy\n");
        var journal = DailyReport.journal(programs, SINCE);
        assertThat(journal).isInstanceOf(DailyReport.Journal.Counts.class);
        assertThat(((DailyReport.Journal.Counts) journal).counts()).containsEntry("failed logins", 1L)
                .containsEntry("accepted logins", 1L);
        assertThat(programs.ran().get(0)).containsSequence("--since", "@" + SINCE.getEpochSecond())
                .containsSequence("-u", "sshd");
    }
}
