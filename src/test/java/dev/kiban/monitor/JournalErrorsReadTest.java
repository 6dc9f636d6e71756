package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.os.HostPrograms;
import dev.kiban.testing.FakePrograms;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JournalErrors over fake host programs: what journalctl is asked, and what its failure means. */
class JournalErrorsReadTest {
    static final Instant T0 = JournalErrorsTest.T0;

    @Test
    void withoutJournalctlThereAreNoErrorsToRead() throws IOException {
        assertThat(new JournalErrors(FakePrograms.none(), T0).read()).isEmpty();
    }

    @Test
    void asksForTheWatchedUnitsSinceTheLastReadAndMovesOn() throws IOException {
        String line = JournalErrorsTest.entry(T0.plusSeconds(1), "docker.service", "boom");
        FakePrograms programs = FakePrograms.answering(List.of("journalctl"), 0, line + "\n");
        JournalErrors journal = new JournalErrors(programs, T0);
        assertThat(journal.read()).containsOnlyKeys("docker");
        List<String> argv = programs.ran().get(0);
        assertThat(argv.get(0)).isEqualTo("/usr/bin/journalctl");
        assertThat(argv).containsSequence("-p", "err", "--since", "@" + T0.getEpochSecond())
                .containsSequence("-u", "docker.service").containsSequence("-u", "fail2ban.service");
        assertThat(journal.read()).as("the entry was seen by the first read").isEmpty();
        assertThat(programs.ran().get(1)).doesNotContain("@" + T0.getEpochSecond());
    }

    @Test
    void aFailingJournalctlIsAnErrorNotAQuietJournal() {
        FakePrograms programs = FakePrograms.answering(List.of("journalctl"), 1,
                "Failed to open journal: Permission denied\n");
        assertThatThrownBy(() -> new JournalErrors(programs, T0).read()).isInstanceOf(IOException.class)
                .hasMessageContaining("journalctl exited 1").hasMessageContaining("Permission denied");
    }

    @Test
    void aJournalctlThatCannotStartIsAnError() {
        FakePrograms programs = new FakePrograms(List.of("journalctl"), (argv, t) -> {
            throw new HostPrograms.NotStarted("cannot start journalctl: Permission denied", null);
        });
        assertThatThrownBy(() -> new JournalErrors(programs, T0).read()).isInstanceOf(HostPrograms.NotStarted.class);
    }

    @Test
    void afterAFailureTheNextReadCoversTheSameTimeAgain() throws IOException {
        Deque<HostPrograms.Result> answers = new ArrayDeque<>(List.of(new HostPrograms.Result(1, "busy"),
                new HostPrograms.Result(0, JournalErrorsTest.entry(T0.plusSeconds(1), "sshd.service", "fatal"))));
        FakePrograms programs = new FakePrograms(List.of("journalctl"), (argv, t) -> answers.pop());
        JournalErrors journal = new JournalErrors(programs, T0);
        assertThatThrownBy(journal::read).isInstanceOf(IOException.class);
        assertThat(journal.read()).containsOnlyKeys("sshd");
        assertThat(programs.ran().get(1)).contains("@" + T0.getEpochSecond());
    }
}
