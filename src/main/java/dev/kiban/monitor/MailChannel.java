package dev.kiban.monitor;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Alert mail over SMTP (STARTTLS and AUTH when the spec asks), from the spec's sender to its
 * recipients. The Message-ID is the notification's id, so a repeat after an interrupted delivery is
 * the same message to the receiving side. A 5xx reply is final; anything else is tried again.
 */
public final class MailChannel implements Channel {
    /** Where mail goes and how; the password is the secret's value, never printed. */
    public record Settings(String host, int port, boolean starttls, String username, String password, String from, List<String> to) {
        @Override
        public String toString() {
            return "MailChannel.Settings[" + host + ":" + port + ", from " + from + ", to " + to + "]";
        }
    }

    private final Settings settings;

    public MailChannel(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "mail";
    }

    /** The mail as it is sent; {@code saveChanges} would replace the Message-ID, so it is set after. */
    MimeMessage message(Session session, String subject, String body, String id) throws MessagingException {
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<" + id + "@kiban>");
            }
        };
        m.setFrom(new InternetAddress(settings.from()));
        for (String to : settings.to()) m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject, "UTF-8");
        m.setText(body, "UTF-8");
        m.setHeader("Auto-Submitted", "auto-generated"); // RFC 3834: no vacation replies to alerts
        return m;
    }

    @Override
    public Delivery send(Notification n, boolean redelivery) {
        StringBuilder body = new StringBuilder();
        body.append(n.title()).append("\n\n");
        if (n.test()) body.append("This is a test: the path from kiban to this mailbox works.\n");
        n.lines().forEach(l -> body.append(l).append('\n'));
        if (redelivery) body.append("\n(sent again after an interruption; it may be a repeat of an earlier mail)\n");
        body.append("\nkiban on ").append(n.host()).append(", notification ").append(n.id()).append('\n');
        return send(n.title(), body.toString(), n.id());
    }

    /** Sends any text (the daily report uses this too). */
    public Delivery send(String subject, String body, String id) {
        Properties p = new Properties();
        p.put("mail.smtp.host", settings.host());
        p.put("mail.smtp.port", String.valueOf(settings.port()));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "20000");
        p.put("mail.smtp.writetimeout", "20000");
        if (settings.starttls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        boolean auth = settings.username() != null && !settings.username().isEmpty();
        if (auth) p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        try {
            MimeMessage m = message(session, subject, body, id);
            if (auth) Transport.send(m, settings.username(), settings.password());
            else Transport.send(m);
            return new Delivery.Delivered("mail accepted by " + settings.host() + ":" + settings.port() + " for " + String.join(", ", settings.to()));
        } catch (SendFailedException e) {
            return new Delivery.Rejected("the SMTP server refused the recipients: " + e.getMessage(), false);
        } catch (MessagingException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            if (reason.matches("^5\\d\\d .*")) return new Delivery.Rejected("the SMTP server said: " + reason, false);
            return new Delivery.Retry(Duration.ZERO, "SMTP " + settings.host() + ":" + settings.port() + ": " + reason);
        }
    }
}
