package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.os.RunningKernel;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import dev.kiban.spec.SpecException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The send-only postfix (mail that leaves the host): its files, its commands, and a plan that hides the login. */
class OutgoingMailTest {
    private static final String SECRET = "S3cret pass-word";
    private static final String HEADER = "# Managed by kiban (R6, R7): change kiban.yaml and run 'kiban apply', not "
            + "this file.\n";

    static PlatformSpec spec(Family family, String mail) {
        String yaml = """
                admin: {email: ops@example.org}
                monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}, mail: {%s}}}
                security: {ssh: {allowUsers: [deploy]}}
                swarm: {nodeNetworks: [192.168.10.0/24]}
                """.formatted(mail);
        return SpecDocument.parse("kiban.yaml", yaml, false).require().resolved(family, "192.168.10.5");
    }

    private static PlatformSpec relayWithLogin(Family family) {
        return spec(family, "smtpHost: mail.example.org, smtpPort: 587, starttls: true, username: alerts, "
                + "password: \"" + SECRET + "\"");
    }

    private static Artifact file(HostConfiguration c, String path) {
        return c.artifacts().stream().filter(a -> a.path().equals(path)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void aRelayWithALoginOverStarttls(Family family) {
        HostConfiguration c = HostConfiguration.render(relayWithLogin(family));
        assertThat(file(c, OutgoingMail.SETTINGS).content()).isEqualTo(HEADER + """
                # postfix reads main.cf, not this file: kiban sets these keys there with postconf -e
                # whenever this file changes. The rest of main.cf is the package's.
                inet_interfaces = loopback-only
                inet_protocols = all
                mydestination = $myhostname, localhost
                relayhost = [mail.example.org]:587
                smtp_tls_security_level = encrypt
                smtp_tls_wrappermode = no
                smtp_sasl_auth_enable = yes
                smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd
                smtp_sasl_security_options = noanonymous
                """);
        Artifact passwords = file(c, OutgoingMail.PASSWORDS);
        assertThat(passwords.content()).isEqualTo(HEADER + "[mail.example.org]:587 alerts:" + SECRET + "\n");
        assertThat(passwords.mode()).isEqualTo("rw-------");
        assertThat(passwords.owner()).isEqualTo("root:root");
        assertThat(passwords.holdsSecret()).isTrue();
        assertThat(file(c, OutgoingMail.ALIASES).content()).endsWith("postmaster: root\nabuse: root\n"
                + "root: ops@example.org\n");
        PlannedCommand postconf = c.commands().stream().filter(cmd -> cmd.program().equals("postconf")).findFirst()
                .orElseThrow();
        assertThat(postconf.argv()).startsWith("postconf", "-e").contains("relayhost=[mail.example.org]:587",
                "mydestination=$myhostname, localhost", "smtp_tls_security_level=encrypt",
                "smtp_sasl_password_maps=hash:/etc/postfix/sasl_passwd");
        assertThat(postconf.after()).containsExactly(OutgoingMail.SETTINGS);
        assertThat(c.commands()).extracting(PlannedCommand::toString).doesNotContain(SECRET)
                .contains("postmap hash:/etc/postfix/sasl_passwd", "newaliases", "systemctl enable --now postfix",
                        "systemctl restart postfix");
    }

    @Test
    void implicitTlsOn465() {
        String settings = file(HostConfiguration.render(spec(Family.DEBIAN, "smtpHost: 192.0.2.7, smtpPort: 465, "
                + "username: alerts, password: x")), OutgoingMail.SETTINGS).content();
        assertThat(settings).contains("relayhost = [192.0.2.7]:465\n", "smtp_tls_security_level = encrypt\n",
                "smtp_tls_wrappermode = yes\n", "smtp_sasl_auth_enable = yes\n");
    }

    @Test
    void aRelayWithoutALoginHasNoPasswordFile() {
        HostConfiguration c = HostConfiguration.render(spec(Family.RHEL, "smtpHost: mail.example.org, smtpPort: 25"));
        assertThat(c.artifacts()).extracting(Artifact::path).doesNotContain(OutgoingMail.PASSWORDS);
        assertThat(file(c, OutgoingMail.SETTINGS).content()).contains("relayhost = [mail.example.org]:25\n",
                "smtp_tls_security_level = may\n", "smtp_sasl_auth_enable = no\n", "smtp_sasl_password_maps =\n");
        assertThat(c.commands()).extracting(PlannedCommand::program).doesNotContain("postmap");
    }

    /** The default (smtpHost: localhost): postfix still receives the host's mail and delivers it to each MX itself. */
    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void noRelayMeansDirectDeliveryFromLoopback(Family family) {
        HostConfiguration c = HostConfiguration.render(spec(family, "smtpHost: localhost, username: a, password: p"));
        assertThat(c.artifacts()).extracting(Artifact::path).contains(OutgoingMail.SETTINGS, OutgoingMail.ALIASES)
                .doesNotContain(OutgoingMail.PASSWORDS);
        assertThat(file(c, OutgoingMail.SETTINGS).content()).contains("inet_interfaces = loopback-only\n",
                "relayhost =\n", "smtp_sasl_auth_enable = no\n");
    }

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void postfixIsInstalledBeforeItsCommands(Family family) {
        List<String> order = HostConfiguration.render(relayWithLogin(family)).commands().stream()
                .map(PlannedCommand::toString).toList();
        int install = indexOf(order, family == Family.RHEL ? "dnf install -y fail2ban" : "apt-get install -y fail2ban");
        assertThat(order.get(install)).contains("postfix", family == Family.RHEL ? "cyrus-sasl-plain"
                : "libsasl2-modules");
        int postconf = indexOf(order, "postconf -e");
        int postmap = indexOf(order, "postmap ");
        int newaliases = indexOf(order, "newaliases");
        int check = indexOf(order, "postfix check");
        int enable = indexOf(order, "systemctl enable --now postfix");
        int restart = indexOf(order, "systemctl restart postfix");
        int flush = indexOf(order, "postqueue -f");
        assertThat(List.of(install, postconf, postmap, newaliases, check, enable, restart, flush)).isSorted();
    }

    private static int indexOf(List<String> commands, String prefix) {
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i).startsWith(prefix)) return i;
        }
        throw new AssertionError("no command starting " + prefix + " in " + commands);
    }

    @Test
    void anEnvPasswordIsReadFromTheEnvironmentAndItsAbsenceNamesTheKey() {
        PlatformSpec spec = spec(Family.DEBIAN, "smtpHost: mail.example.org, smtpPort: 587, starttls: true, "
                + "username: alerts, password: env:SMTP_PASSWORD");
        HostConfiguration c = HostConfiguration.render(spec, RunningKernel.UNKNOWN, Map.of("SMTP_PASSWORD", SECRET));
        assertThat(file(c, OutgoingMail.PASSWORDS).content()).endsWith(" alerts:" + SECRET + "\n");
        assertThatThrownBy(() -> HostConfiguration.render(spec, RunningKernel.UNKNOWN, Map.of()))
                .isInstanceOf(SpecException.class).hasMessageContaining("monitor.channels.mail.password");
        assertThatThrownBy(() -> HostConfiguration.render(spec, RunningKernel.UNKNOWN,
                Map.of("SMTP_PASSWORD", SECRET + "\nsecond line"))).isInstanceOf(SpecException.class)
                .hasMessageContaining("monitor.channels.mail.password").hasMessageNotContaining(SECRET);
    }

    @Test
    void thePlanHidesThePasswordFileNewAndOld() {
        HostConfiguration c = HostConfiguration.render(relayWithLogin(Family.RHEL));
        Plan created = Plan.of(c, Map.of(), List.of());
        String old = HEADER + "[mail.example.org]:587 alerts:Old-S3cret\n";
        Plan changed = Plan.of(c, Map.of(OutgoingMail.PASSWORDS,
                Optional.of(new ObservedFile(false, old, "rw-r--r--", "root:root"))), List.of());
        for (Plan plan : List.of(created, changed)) {
            Plan.FileStep step = plan.files().stream()
                    .filter(f -> f.artifact().path().equals(OutgoingMail.PASSWORDS)).findFirst().orElseThrow();
            assertThat(step.diff()).startsWith(Plan.HIDDEN).doesNotContain(SECRET).doesNotContain("Old-S3cret");
            String shown = plan.describe(true);
            assertThat(shown).contains("file " + OutgoingMail.PASSWORDS).contains(Plan.HIDDEN)
                    .doesNotContain(SECRET).doesNotContain("Old-S3cret").doesNotContain("alerts:");
        }
        // the mode a plan is about to fix still shows: it is not the secret
        assertThat(changed.describe(true)).contains("mode rw-r--r-- -> rw-------");
        // the file every other renderer writes still shows its diff
        assertThat(created.describe(true)).contains("+relayhost = [mail.example.org]:587");
    }

    @Test
    void readerChecksEachFileAndNeverShowsTheLogin() {
        HostConfiguration c = HostConfiguration.render(relayWithLogin(Family.DEBIAN));
        for (Artifact a : c.artifacts()) {
            if (a.reader() == Artifact.Reader.POSTFIX) assertThat(ReaderChecks.postfix(a)).as(a.path()).isEmpty();
        }
        Artifact passwords = file(c, OutgoingMail.PASSWORDS);
        Artifact twoLogins = Artifact.secret(passwords.path(), passwords.content() + "[evil.example]:25 " + SECRET
                + "\n", "x", Artifact.Reader.POSTFIX);
        assertThat(ReaderChecks.postfix(twoLogins)).get().asString().contains("not shown").doesNotContain(SECRET);
        Artifact settings = file(c, OutgoingMail.SETTINGS);
        assertThat(ReaderChecks.postfix(Artifact.config(settings.path(), settings.content() + "relayhost\n", "x",
                Artifact.Reader.POSTFIX))).contains("not a postfix line: relayhost");
    }
}
