package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alert mail through a real SMTP server (GreenMail) on a loopback port. */
class MailChannelTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    static Notification notification() {
        Instant at = Instant.parse("2026-11-28T02:00:00Z");
        return new Notification("1764295200000-mail0001", "mail", "ws1", at,
                List.of(new AlertEvent(AlertEvent.Kind.FIRING, new AlertKey("memory-high", "db"), 82, "memory 82% of its 2 GiB limit", at, at)), false);
    }

    @Test
    void anAlertArrivesWithItsSubjectLinesAndStableMessageId() throws Exception {
        SMTP.setUser("kiban", "smtp-pass-do-not-log");
        int port = SMTP.getSmtp().getPort();
        MailChannel mail = new MailChannel(new MailChannel.Settings("127.0.0.1", port, false, "kiban", "smtp-pass-do-not-log", "kiban@ws1.example.org",
                List.of("ops@example.org", "oncall@example.org")));
        Delivery d = mail.send(notification(), false);
        assertThat(d).isInstanceOf(Delivery.Delivered.class);
        MimeMessage[] got = SMTP.getReceivedMessages();
        assertThat(got).hasSize(2); // one per recipient mailbox
        MimeMessage m = got[0];
        assertThat(m.getSubject()).isEqualTo("[kiban] ws1: 1 firing");
        assertThat(m.getHeader("Message-ID")[0]).isEqualTo("<1764295200000-mail0001@kiban>");
        assertThat(m.getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");
        assertThat(m.getFrom()[0].toString()).isEqualTo("kiban@ws1.example.org");
        assertThat(((String) m.getContent())).contains("FIRING   memory-high/db: memory 82% of its 2 GiB limit");
        assertThat(mail.toString()).doesNotContain("smtp-pass");
    }

    @Test
    void aServerThatIsDownMeansTryAgainLater() {
        MailChannel mail = new MailChannel(new MailChannel.Settings("127.0.0.1", 1, false, "", "", "kiban@ws1", List.of("ops@example.org")));
        assertThat(mail.send(notification(), false)).isInstanceOf(Delivery.Retry.class);
    }
}
