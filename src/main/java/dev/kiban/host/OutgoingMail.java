package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SecretRef;
import dev.kiban.spec.SpecException;
import dev.kiban.spec.SpecText;
import dev.kiban.spec.SpecText.Form;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mail that leaves the host: a send-only postfix that logwatch, fail2ban's action_mwl, the update tools
 * and kiban's own alerts hand their mail to on localhost:25. It listens on loopback only, delivers
 * nothing itself but to the aliases (root's mail goes to admin.email), and sends the rest through the
 * relay monitor.channels.mail names; when that is this host (the default), postfix delivers to each
 * recipient's MX itself.
 *
 * <p>main.cf stays the package's file: postfix has no conf.d, and the package (and its upgrades) own
 * the rest of it. kiban sets only its own keys, with one {@code postconf -e} run whenever
 * {@link #SETTINGS}, the record of those keys the operator can read, changes.
 */
public final class OutgoingMail {
    public static final String SETTINGS = "/etc/postfix/kiban-main.cf";
    public static final String PASSWORDS = "/etc/postfix/sasl_passwd";
    public static final String ALIASES = "/etc/aliases";
    private static final String KEY = "monitor.channels.mail";

    private OutgoingMail() {}

    /**
     * The relay as postfix writes it ({@code [host]:port}: brackets skip the MX lookup), if not this host;
     * also what verify expects postconf's relayhost to say.
     */
    public static Optional<String> relay(PlatformSpec spec) {
        var mail = spec.monitor().channels().mail();
        String host = SpecText.require(KEY + ".smtpHost", Form.HOST, mail.smtpHost());
        if (SpecText.isLoopback(host)) return Optional.empty();
        if (mail.smtpPort() < 1 || mail.smtpPort() > 65535) {
            throw new SpecException(KEY + ".smtpPort: refusing to render a port outside 1 to 65535");
        }
        return Optional.of("[" + host + "]:" + mail.smtpPort());
    }

    /** The keys kiban owns in main.cf, in the order postconf sets them. */
    static Map<String, String> settings(PlatformSpec spec) {
        var mail = spec.monitor().channels().mail();
        var relay = relay(spec);
        boolean login = relay.isPresent() && mail.password().isPresent();
        boolean implicitTls = relay.isPresent() && mail.smtpPort() == 465;
        boolean tls = relay.isPresent() && (mail.starttls() || implicitTls);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("inet_interfaces", "loopback-only");
        out.put("inet_protocols", "all");
        out.put("mydestination", "$myhostname, localhost");
        out.put("relayhost", relay.orElse(""));
        // each key is always written, so a relay or login taken out of the spec is taken out of main.cf too
        out.put("smtp_tls_security_level", tls ? "encrypt" : "may");
        out.put("smtp_tls_wrappermode", implicitTls ? "yes" : "no");
        out.put("smtp_sasl_auth_enable", login ? "yes" : "no");
        out.put("smtp_sasl_password_maps", login ? "hash:" + PASSWORDS : "");
        out.put("smtp_sasl_security_options", "noanonymous");
        return out;
    }

    public static List<Artifact> render(PlatformSpec spec, Map<String, String> environment) {
        String admin = SpecText.requireFilled("admin.email", Form.EMAIL, spec.admin().email());
        StringBuilder record = new StringBuilder(ManagedFile.header("#", "R6, R7"))
                .append("# postfix reads main.cf, not this file: kiban sets these keys there with postconf -e\n")
                .append("# whenever this file changes. The rest of main.cf is the package's.\n");
        settings(spec).forEach((k, v) -> record.append(k).append(" =").append(v.isEmpty() ? "" : " " + v)
                .append('\n'));
        String aliases = ManagedFile.header("#", "R6, R7")
                + "# Mail for root (cron, logwatch, fail2ban, the update tools) goes to admin.email.\n"
                + "mailer-daemon: postmaster\npostmaster: root\nabuse: root\nroot: " + admin + "\n";
        List<Artifact> out = new ArrayList<>();
        out.add(Artifact.config(SETTINGS, record.toString(), "send-only mail: kiban's main.cf keys (R6, R7)",
                Artifact.Reader.POSTFIX));
        out.add(Artifact.config(ALIASES, aliases, "root's mail to admin.email (R6, R7)", Artifact.Reader.POSTFIX));
        passwords(spec, environment).ifPresent(out::add);
        return List.copyOf(out);
    }

    /** The relay's login, when there is a relay and a password: the one file that holds a secret. */
    private static Optional<Artifact> passwords(PlatformSpec spec, Map<String, String> environment) {
        var mail = spec.monitor().channels().mail();
        var relay = relay(spec);
        if (relay.isEmpty() || mail.password().isEmpty()) return Optional.empty();
        SecretRef ref = mail.password().get();
        String user = mail.username().orElseThrow(() -> new SpecException(KEY + ".username: a password needs a "
                + "username"));
        if (user.isBlank() || user.chars().anyMatch(c -> Character.isWhitespace(c) || c == ':')) {
            throw new SpecException(KEY + ".username: refusing to render a user name with spaces or a colon");
        }
        SpecText.requireLine(KEY + ".username", user);
        String password = ref.reveal(KEY + ".password", environment);
        // an env: or file: secret is read only now; the refusal never repeats it
        if (password.isEmpty() || SpecText.controlCharacter(password).isPresent()) {
            throw new SpecException(KEY + ".password: refusing to render an empty password or one with a control "
                    + "character (not shown: it is a secret)");
        }
        String content = ManagedFile.header("#", "R6, R7") + relay.get() + " " + user + ":" + password + "\n";
        return Optional.of(Artifact.secret(PASSWORDS, content, "the relay's login (R6, R7)",
                Artifact.Reader.POSTFIX));
    }

    /** After the install: set the keys, build the lookup tables, start postfix and have it read them. */
    static List<PlannedCommand> commands(PlatformSpec spec, List<Artifact> files) {
        List<String> settingsArgs = new ArrayList<>(List.of("postconf", "-e"));
        settings(spec).forEach((k, v) -> settingsArgs.add(k + "=" + v));
        List<String> all = files.stream().filter(a -> a.reader() == Artifact.Reader.POSTFIX).map(Artifact::path)
                .toList();
        List<PlannedCommand> out = new ArrayList<>();
        out.add(new PlannedCommand(List.copyOf(settingsArgs), "send-only mail: kiban's keys into main.cf (R6, R7)",
                List.of(SETTINGS)));
        if (all.contains(PASSWORDS)) {
            out.add(PlannedCommand.of("the relay's login as postfix reads it (R6, R7)", List.of(PASSWORDS), "postmap",
                    "hash:" + PASSWORDS));
        }
        out.add(PlannedCommand.of("root's mail to admin.email (R6, R7)", List.of(ALIASES), "newaliases"));
        // postfix's own check of its configuration, files and permissions: a complaint fails the step, and
        // apply puts every file back before postfix is (re)started on it
        out.add(PlannedCommand.of("send-only mail: postfix checks its configuration (R6, R7)", all, "postfix",
                "check"));
        out.add(PlannedCommand.of("send-only mail (R6, R7)", all, "systemctl", "enable", "--now", "postfix"));
        // inet_interfaces is read only at start: a reload would leave postfix listening where it was; the
        // aliases and the login need no restart (postfix notices a rebuilt table)
        out.add(PlannedCommand.of("send-only mail: postfix reads the new keys (R6, R7)", List.of(SETTINGS), "systemctl",
                "restart", "postfix"));
        // mail sent before this configuration (fail2ban's start notices, queued while postfix was the package's
        // default) waits for a retry minutes away: send it now, through the new relay
        out.add(PlannedCommand.of("send-only mail: what waited in the queue goes now (R6, R7)", all, "postqueue",
                "-f"));
        return List.copyOf(out);
    }
}
