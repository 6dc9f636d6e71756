package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alert mail through a real SMTP server (GreenMail) on a loopback port. */
class MailChannelTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(0, "127.0.0.1",
            ServerSetup.PROTOCOL_SMTP).dynamicPort());

    static Notification notification() {
        Instant at = Instant.parse("2026-11-28T02:00:00Z");
        return new Notification("1764295200000-mail0001", "mail", "ws1", at,
                List.of(new AlertEvent(AlertEvent.Kind.FIRING, new AlertKey("memory-high", "db"), 82,
                "memory 82% of its 2 GiB limit", at, at)), false);
    }

    @Test
    void anAlertArrivesWithItsSubjectLinesAndStableMessageId() throws Exception {
        SMTP.setUser("kiban", "smtp-pass-do-not-log");
        int port = SMTP.getSmtp().getPort();
        MailChannel mail = new MailChannel(new MailChannel.Settings("127.0.0.1", port, MailChannel.Tls.NONE, "kiban",
                "smtp-pass-do-not-log", "kiban@ws1.example.org", List.of("ops@example.org", "oncall@example.org")));
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

    @RegisterExtension
    static final GreenMailExtension SMTPS =
            new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort());

    static final String PASSWORD = "smtp-pass-do-not-log";

    static MailChannel.Settings auth(String host, int port, MailChannel.Tls tls) {
        return new MailChannel.Settings(host, port, tls, "kiban", PASSWORD, "kiban@ws1.example.org",
                List.of("ops@example.org"));
    }

    @Test
    void implicitTlsDeliversWithTheCertificateChecked() throws Exception {
        SMTPS.setUser("kiban", PASSWORD);
        MailChannel.Settings settings = auth("127.0.0.1", SMTPS.getSmtps().getPort(), MailChannel.Tls.IMPLICIT);
        assertThat(new MailChannel(settings).properties()).containsEntry("mail.smtp.ssl.enable", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true").doesNotContainKey("mail.smtp.ssl.trust");

        // production trusts only the JDK's CAs: GreenMail's self-signed certificate is refused, the password stays home
        Delivery untrusted = new MailChannel(settings).send(notification(), false);
        assertThat(untrusted).isInstanceOfSatisfying(Delivery.Retry.class, r -> assertThat(r.reason())
                .contains("TLS failed").doesNotContain(PASSWORD)
                .doesNotContainPattern("(javax?|jakarta|sun)\\.[a-z]+\\."));
        assertThat(SMTPS.getReceivedMessages()).isEmpty();

        // trusted, GreenMail's certificate still names another host: the identity check refuses it
        Properties trustGreenMail = new Properties();
        trustGreenMail.put("mail.smtp.ssl.trust", "127.0.0.1");
        Delivery wrongName = new MailChannel(settings, trustGreenMail).send(notification(), false);
        assertThat(wrongName).isInstanceOf(Delivery.Retry.class);
        assertThat(SMTPS.getReceivedMessages()).isEmpty();

        // so the test alone trusts the certificate and skips the name check, to show the TLS path delivers
        trustGreenMail.put("mail.smtp.ssl.checkserveridentity", "false");
        Delivery delivered = new MailChannel(settings, trustGreenMail).send(notification(), false);
        assertThat(delivered).isInstanceOf(Delivery.Delivered.class);
        assertThat(SMTPS.getReceivedMessages()).hasSize(1);
    }

    @Test
    void starttlsIsRequiredNotOpportunistic() {
        SMTP.setUser("kiban", PASSWORD);
        // GreenMail's plain SMTP offers no STARTTLS: a required STARTTLS sends nothing rather than AUTH in the clear
        MailChannel mail = new MailChannel(auth("127.0.0.1", SMTP.getSmtp().getPort(), MailChannel.Tls.STARTTLS));
        assertThat(mail.properties()).containsEntry("mail.smtp.starttls.enable", "true")
                .containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true");
        Delivery d = mail.send(notification(), false);
        assertThat(d).isNotInstanceOf(Delivery.Delivered.class);
        assertThat(d.toString()).doesNotContain(PASSWORD).containsIgnoringCase("STARTTLS");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void aPasswordIsNeverSentInTheClearToAnotherHost() {
        // refused before any connection: nothing is sent anywhere, loopback or not
        MailChannel mail = new MailChannel(auth("smtp.example.org", 587, MailChannel.Tls.NONE));
        assertThat(mail.send(notification(), false)).isInstanceOfSatisfying(Delivery.Rejected.class,
                r -> assertThat(r.reason()).contains("monitor.channels.mail.starttls").contains("465")
                        .doesNotContain(PASSWORD));
        assertThat(mail.toString()).doesNotContain(PASSWORD);
        for (String host : List.of("127.0.0.1", "127.5.6.7", "::1", "[::1]", "localhost")) {
            assertThat(new MailChannel(auth(host, 25, MailChannel.Tls.NONE)).refusal()).as(host).isEmpty();
        }
        for (String host : List.of("10.0.0.1", "localhost.example.org", "127.0.0.1.nip.io", "::2", "0.0.0.0")) {
            assertThat(new MailChannel(auth(host, 25, MailChannel.Tls.NONE)).refusal()).as(host).isPresent();
        }
        MailChannel.Settings anonymous =
                new MailChannel.Settings("10.0.0.1", 25, MailChannel.Tls.NONE, "", "", "a@b", List.of("c@d"));
        assertThat(new MailChannel(anonymous).refusal()).as("no AUTH, nothing secret to protect").isEmpty();
        assertThat(MailChannel.Tls.of(465, false)).isEqualTo(MailChannel.Tls.IMPLICIT);
        assertThat(MailChannel.Tls.of(587, true)).isEqualTo(MailChannel.Tls.STARTTLS);
        assertThat(MailChannel.Tls.of(25, false)).isEqualTo(MailChannel.Tls.NONE);
    }

    @Test
    void aServerThatIsDownMeansTryAgainLater() {
        MailChannel mail = new MailChannel(new MailChannel.Settings("127.0.0.1", 1, MailChannel.Tls.NONE, "", "",
                "kiban@ws1", List.of("ops@example.org")));
        assertThat(mail.send(notification(), false)).isInstanceOf(Delivery.Retry.class);
    }
}
