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
 * Alert mail over SMTP, from the spec's sender to its recipients. The Message-ID is the notification's
 * id, so a repeat after an interrupted delivery is the same message to the receiving side. A 5xx reply
 * is final; anything else is tried again.
 *
 * <p>TLS: STARTTLS when {@code monitor.channels.mail.starttls} is true (and then required: a server that
 * does not offer it gets nothing), implicit TLS when {@code smtpPort} is 465; both check the server's
 * certificate and name. A password is never sent without one of them, except to a loopback server.
 */
public final class MailChannel implements Channel {
    /** How the connection is protected. */
    public enum Tls {
        NONE, STARTTLS, IMPLICIT;

        /** The spec's settings: port 465 is SMTPS (RFC 8314) whatever starttls says; no spec key of its own. */
        public static Tls of(int port, boolean starttls) {
            return port == 465 ? IMPLICIT : starttls ? STARTTLS : NONE;
        }
    }

    /** Where mail goes and how; the password is the secret's value, never printed. */
    public record Settings(String host, int port, Tls tls, String username, String password, String from,
                           List<String> to) {
        @Override
        public String toString() {
            return "MailChannel.Settings[" + host + ":" + port + ", tls " + tls + ", from " + from + ", to " + to
                    + ", password hidden]";
        }
    }

    private final Settings settings;
    /** Session properties laid over kiban's own; tests use it to trust GreenMail's self-signed certificate. */
    private final Properties overrides;

    public MailChannel(Settings settings) {
        this(settings, new Properties());
    }

    MailChannel(Settings settings, Properties overrides) {
        this.settings = settings;
        this.overrides = overrides;
    }

    @Override
    public String toString() {
        return "MailChannel[" + settings + "]";
    }

    private boolean auth() {
        return settings.username() != null && !settings.username().isEmpty();
    }

    /** Why this mail must not be sent as configured, or empty: AUTH in the clear to a server off this machine. */
    java.util.Optional<String> refusal() {
        if (!auth() || settings.tls() != Tls.NONE || ChannelUrls.loopback(settings.host())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("monitor.channels.mail.starttls is false and "
                + "monitor.channels.mail.smtpPort is not 465: "
                + "kiban will not send the SMTP password to " + settings.host() + " unencrypted; "
                + "set starttls: true (or smtpPort: 465 for implicit TLS)");
    }

    /** The Jakarta Mail session's settings for these settings (timeouts, TLS, AUTH). */
    Properties properties() {
        Properties p = new Properties();
        p.put("mail.smtp.host", settings.host());
        p.put("mail.smtp.port", String.valueOf(settings.port()));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "20000");
        p.put("mail.smtp.writetimeout", "20000");
        switch (settings.tls()) {
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true"); // a stripped STARTTLS offer fails instead of falling back
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case IMPLICIT -> {
                p.put("mail.smtp.ssl.enable", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case NONE -> { }
        }
        if (auth()) p.put("mail.smtp.auth", "true");
        p.putAll(overrides);
        return p;
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
        var refused = refusal();
        if (refused.isPresent()) return new Delivery.Rejected(refused.get(), false);
        boolean auth = auth();
        Session session = Session.getInstance(properties());
        try {
            MimeMessage m = message(session, subject, body, id);
            if (auth) Transport.send(m, settings.username(), settings.password());
            else Transport.send(m);
            return new Delivery.Delivered("mail accepted by " + settings.host() + ":" + settings.port() + " for "
                    + String.join(", ", settings.to()));
        } catch (SendFailedException e) {
            return new Delivery.Rejected("the SMTP server refused the recipients: " + said(e), false);
        } catch (MessagingException e) {
            String reason = said(e);
            if (reason.matches("^5\\d\\d .*")) return new Delivery.Rejected("the SMTP server said: " + reason, false);
            return new Delivery.Retry(Duration.ZERO, "SMTP " + settings.host() + ":" + settings.port() + ": " + reason);
        }
    }

    /**
     * The first line of the server's or the library's message, without the password (a server may
     * quote the AUTH exchange) and without class names.
     */
    private String said(MessagingException e) {
        String user = settings.username() == null ? "" : settings.username();
        String[] secrets = {settings.password(), "\0" + user + "\0" + settings.password()};
        Throwable cause = e.getNextException() != null ? e.getNextException() : e.getCause();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS failed (the server's certificate, name or protocol did not check out)";
            }
        }
        String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        if (m.isBlank() || m.matches(".*\\b(java|javax|jdk|sun|jakarta|org\\.eclipse)\\.[a-z][\\w.$]+.*")) {
            return ChannelUrls.describe(cause != null ? cause : e, name(), secrets);
        }
        return ChannelUrls.redact(m, name(), secrets);
    }
}
