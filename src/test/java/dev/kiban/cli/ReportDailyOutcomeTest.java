package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.monitor.Delivery;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReportDailyOutcomeTest {
    @Test
    void aMailServerThatDoesNotAnswerIsASentenceNotARecord() {
        String out = ReportDailyCommand.outcome(
                new Delivery.Retry(Duration.ZERO, "SMTP localhost:25: Connection refused"));
        assertThat(out).startsWith("not mailed: SMTP localhost:25: Connection refused; this report is not retried")
                .doesNotContain("Retry", "after=", "PT0S", "reason=");
    }

    @Test
    void aRefusalAndADeliverySayWhatHappened() {
        assertThat(ReportDailyCommand.outcome(new Delivery.Rejected("the SMTP server said: 550 no", false)))
                .isEqualTo("not mailed: the SMTP server said: 550 no; the mail server will not take this report")
                .doesNotContain("Rejected", "channelGone");
        assertThat(ReportDailyCommand.outcome(new Delivery.Delivered("mail accepted by mx:25 for ops@example.org")))
                .isEqualTo("mailed: mail accepted by mx:25 for ops@example.org");
    }
}
