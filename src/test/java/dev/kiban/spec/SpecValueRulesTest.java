package dev.kiban.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.spec.SpecText.Form;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value shapes of issue 10: paths, names, addresses, URLs, the SMTP login rule and overflowing numbers. */
class SpecValueRulesTest {
    static final String ADMIN = "admin: {email: ops@example.org}\n";
    static final String SECURITY = "security: {ssh: {allowUsers: [deploy]}}\n";
    static final String DISCORD = "discord: {webhook: env:DISCORD_WEBHOOK}";

    static List<String> errors(String yaml) {
        return SpecDocument.parse("kiban.yaml", yaml,
                false).problems().stream().filter(Problem::isError).map(Problem::toString).toList();
    }

    static List<String> mailErrors(String mail) {
        return errors(ADMIN + SECURITY + "monitor: {channels: {" + DISCORD + ", mail: {" + mail + "}}}\n");
    }

    @Nested
    class Smtp {
        @Test
        void aLoginToARemoteServerWithoutTlsIsAnErrorThatNeverShowsThePassword() {
            List<String> e = mailErrors("smtpHost: mail.example.org, smtpPort: 587, username: alerts, password: "
                    + "S3cret-pw");
            assertThat(e).hasSize(1);
            assertThat(e.get(0)).startsWith("kiban.yaml:3:").contains("monitor.channels.mail.password: error: the "
                    + "SMTP login would cross "
                    + "the network in cleartext to mail.example.org:587").doesNotContain("S3cret-pw");
        }

        @Test
        void theErrorStandsAtStarttlsWhenTheFileWritesIt() {
            assertThat(mailErrors("smtpHost: mail.example.org, starttls: false, username: alerts, password: "
                    + "env:SMTP_PASSWORD"))
                    .singleElement().asString().contains("monitor.channels.mail.starttls: error:");
        }

        @Test
        void starttlsImplicitTlsOrLoopbackMakeALoginSafe() {
            assertThat(mailErrors("smtpHost: mail.example.org, smtpPort: 587, starttls: true, username: a, password: "
                    + "env:P")).isEmpty();
            assertThat(mailErrors("smtpHost: mail.example.org, smtpPort: 465, username: a, password: env:P")).isEmpty();
            assertThat(mailErrors("smtpHost: localhost, username: a, password: env:P")).isEmpty();
            assertThat(mailErrors("smtpHost: 127.0.0.5, username: a, password: env:P")).isEmpty();
            assertThat(mailErrors("smtpHost: mail.example.org, smtpPort: 25")).as("no login, nothing to "
                    + "leak").isEmpty();
        }

        @Test
        void aUserNameWithAColonWouldMovePostfixsPasswordBoundary() {
            assertThat(mailErrors("smtpHost: mail.example.org, smtpPort: 587, starttls: true, username: \"a:b\", "
                    + "password: S3cret-pw")).singleElement().asString()
                    .contains("monitor.channels.mail.username: error: a user name has no spaces and no colon")
                    .doesNotContain("S3cret-pw");
        }

        @Test
        void hostAndAddressesAreChecked() {
            assertThat(mailErrors("smtpHost: \"mail "
                    + "example\"")).singleElement().asString().contains("monitor.channels.mail.smtpHost");
            assertThat(mailErrors("from: \"a@b.example> "
                    + "x\"")).singleElement().asString().contains("monitor.channels.mail.from");
            assertThat(mailErrors("to: [ops@example.org, \"x "
                    + "y@z\"]")).singleElement().asString().contains("monitor.channels.mail.to[1]");
        }
    }

    @Nested
    class MetricsListen {
        static PlatformSpec.Metrics metrics(String listen) {
            return SpecDocument.parse("kiban.yaml",
                    ADMIN + SECURITY + "monitor: {metrics: {listen: " + listen + "}, channels: {" + DISCORD + "}}\n",
                    false).require().monitor().metrics();
        }

        @Test
        void anAddressAloneOrWithItsPort() {
            assertThat(metrics("127.0.0.1").port()).isEqualTo(9464);
            assertThat(metrics("\"127.0.0.1:9500\"").port()).isEqualTo(9500);
            assertThat(metrics("\"127.0.0.1:9500\"").listen()).hasToString("127.0.0.1");
            assertThat(metrics("\"[::1]:9500\"").listen().isLoopback()).isTrue();
            assertThat(metrics("localhost").listen().isLoopback()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"auto", "\"local host\"", "example.org", "\"127.0.0.1:0\"", "\"1.2.3.4.5\"",
                "\"[::1]x\"", "\"::g\""})
        void anythingElseIsRefused(String listen) {
            assertThat(errors(ADMIN + SECURITY + "monitor: {metrics: {listen: " + listen + "}, channels: "
                    + "{" + DISCORD + "}}\n"))
                    .singleElement().asString().contains("monitor.metrics.listen: error: ");
        }

        @Test
        void thePortIsGivenOnce() {
            assertThat(errors(ADMIN + SECURITY + "monitor: {metrics: {listen: \"127.0.0.1:9500\", port: 9600}, "
                    + "channels: {" + DISCORD + "}}\n"))
                    .singleElement().asString().contains("monitor.metrics.port: error: monitor.metrics.listen already "
                            + "gives the port");
        }
    }

    @Nested
    class Paths {
        @Test
        void onlyPlainCharactersBetweenSlashes() {
            assertThat(HostPath.parse("//data//docker/").value()).isEqualTo("/data/docker");
            assertThat(HostPath.parse("/data/my.vol_1-a+b@c").value()).isEqualTo("/data/my.vol_1-a+b@c");
            for (String bad : List.of("/a b", "/a'b", "/a\"b", "/a%h", "/a$x", "/a\\b", "/a:b", "/a`b", "/a;b",
                    "/a\nb", "/a\u0000b", "/é",
                    "/a/../b", "/a/./b", "a/b", " /a", "/a ", "/" + "x".repeat(256), "/x/" + "y/".repeat(2100))) {
                assertThatThrownBy(() -> HostPath.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            }
        }

        @Test
        void systemDirectoriesAndTheirTrees() {
            for (String system : List.of("/", "/etc", "/usr", "/usr/local", "/var", "/var/lib", "/var/log", "/home",
                    "/home/deploy", "/root",
                    "/tmp", "/boot", "/dev", "/proc", "/sys", "/run", "/bin", "/sbin", "/lib", "/lib64", "/etc/ssh",
                            "/var/lib/kiban")) {
                assertThat(HostPath.parse(system).systemDirectory()).as(system).isPresent();
            }
            for (String fine : List.of("/data/docker", "/mnt/backup/docker", "/srv/kiban", "/var/lib/kiban/monitor",
                    "/home/deploy/volumes")) {
                assertThat(HostPath.parse(fine).systemDirectory()).as(fine).isEmpty();
            }
            assertThat(HostPath.parse("/data").containsSystemDirectory()).isFalse();
            assertThat(HostPath.parse("/var/lib/kiban").containsSystemDirectory()).as("holds kiban's "
                    + "generations").isTrue();
            assertThat(HostPath.parse("/var/lib").containsSystemDirectory()).isTrue();
            assertThat(HostPath.parse("/etc/kiban/token").systemTree(List.of("/etc/kiban"))).isEmpty();
            assertThat(HostPath.parse("/etc/passwd").systemTree(List.of("/etc/kiban"))).isPresent();
            assertThat(HostPath.parse("/x").parent()).hasToString("/");
        }

        @Test
        void eachLayoutKeyIsChecked() {
            for (String key : List.of("data", "volumes", "images", "localBackups", "compose")) {
                assertThat(errors(ADMIN + SECURITY + "monitor: {channels: {" + DISCORD + "}}\nstorage: {" + key + ": "
                        + "/etc}\n"))
                        .as(key).anyMatch(e -> e.contains("storage." + key + ": error: /etc is a system directory"));
            }
        }
    }

    @Nested
    class Forms {
        @Test
        void firewalldZoneNamesAreAtMost17Characters() {
            assertThat(Form.ZONE.accepts("public")).isTrue();
            assertThat(Form.ZONE.accepts("abcdefghijklmnopq")).isTrue();
            assertThat(Form.ZONE.accepts("abcdefghijklmnopqr")).isFalse();
            for (String bad : List.of("", "..", "a/b", "a b", "-x", "a.b",
                    "zoné")) assertThat(Form.ZONE.accepts(bad)).as(bad).isFalse();
        }

        @Test
        void userNamesAreSingleTokens() {
            assertThat(Form.USER.accepts("deploy")).isTrue();
            assertThat(Form.USER.accepts("ops.team_1")).isTrue();
            for (String bad : List.of("", "-x", "a b", "a\nb", "a*", "a@host", "1abc",
                    "x".repeat(33))) assertThat(Form.USER.accepts(bad)).as(bad).isFalse();
        }

        @Test
        void emailAddressesAreNarrow() {
            assertThat(Form.EMAIL.accepts("root@localhost")).isTrue();
            assertThat(Form.EMAIL.accepts("ops+alerts@mail.example.org")).isTrue();
            for (String bad : List.of("ops", "a b@c", "a@b c", "a\"@b", "a@b\n", "a@-b", "-f@x.org", ".a@x.org",
                    "a@@b", "<a@b>", "a@b;c")) {
                assertThat(Form.EMAIL.accepts(bad)).as(bad).isFalse();
            }
        }

        @Test
        void sshKeyFilesTakeOnlySshdsTokens() {
            assertThat(Form.SSH_KEYS_FILE.accepts(".ssh/authorized_keys")).isTrue();
            assertThat(Form.SSH_KEYS_FILE.accepts("/etc/ssh/keys/%u")).isTrue();
            for (String bad : List.of("a b", "%d/x", "../x", "a/../b", "\"x\"",
                    "x\n")) assertThat(Form.SSH_KEYS_FILE.accepts(bad)).as(bad).isFalse();
        }

        @Test
        void urlsAreHttpAndNeverQuoted() {
            assertThat(SpecText.urlProblem("https://hooks.example/abc?x=1")).isEmpty();
            assertThat(SpecText.urlProblem("http://127.0.0.1:8080/hook")).isEmpty();
            for (String bad : List.of("ftp://x/y", "javascript:alert(1)", "https://a b/", "https://x/\n", "https:///x",
                    "https://u:p@x/")) {
                assertThat(SpecText.urlProblem(bad)).as(bad).isPresent().get().asString().doesNotContain(bad);
            }
        }

        @Test
        void loopbackIsOnlyTheLocalHost() {
            for (String h : List.of("localhost", "127.0.0.1", "127.1.2.3", "::1",
                    "[::1]")) assertThat(SpecText.isLoopback(h)).as(h).isTrue();
            for (String h : List.of("mail.example.org", "10.0.0.1", "128.0.0.1", "localhost.example.org")) {
                assertThat(SpecText.isLoopback(h)).as(h).isFalse();
            }
        }

        @Test
        void shownValuesCannotBreakALine() {
            assertThat(SpecText.shown("a\nb\r\tc\u0000")).isEqualTo("\"a\\nb\\r\\tc\\u0000\"");
            assertThat(SpecText.shown("x".repeat(100))).endsWith("...(100 characters)\"");
        }

        @Test
        void problemsEscapeControlCharactersInKeysAndMessages() {
            Problem p = new Problem(Problem.Severity.ERROR, "k.yaml", 1, 2, "engine.sysctl.a\nb", "bad\rvalue");
            assertThat(p.toString()).doesNotContain("\n").doesNotContain("\r").contains("a\\u000ab", "bad\\u000dvalue");
        }
    }

    @Nested
    class Overflows {
        @Test
        void valuesTooLargeAreSpecErrorsNotExceptions() {
            assertThatThrownBy(() -> ByteSize.parse("99999999999999999T")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 1024P");
            assertThat(ByteSize.parse("1024P").bytes()).isEqualTo(1L << 60);
            assertThat(ByteSize.ofBytes(Long.MAX_VALUE).plus(ByteSize.ofBytes(1)).bytes()).isEqualTo(Long.MAX_VALUE);
            for (String t : List.of("99999999999999999999d", "9999999999999999w", "36501d", "999999999999999999ms1w")) {
                assertThatThrownBy(() -> TimeSpan.parse(t)).as(t).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("at most");
            }
            assertThatThrownBy(() -> Percent.parse("NaN")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Schedule.parse("0 99999999999 * * *")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("out of range").hasMessageNotContaining("For input string");
        }

        @Test
        void engineHostsAreParsedNotCrashedOn() {
            assertThat(errors(ADMIN + SECURITY + "monitor: {channels: {" + DISCORD + "}}\nengine: {hosts: [\"tcp://a "
                    + "b:2375\", \"tcp://x_y:1\", "
                    + "\"unix://rel\", \"ssh://h\"]}\n"))
                    .anyMatch(e -> e.contains("engine.hosts[0]: error: expected tcp://ADDRESS:PORT"))
                    .anyMatch(e -> e.contains("engine.hosts[1]: error:"))
                    .anyMatch(e -> e.contains("engine.hosts[2]: error: expected unix:///absolute/path"))
                    .anyMatch(e -> e.contains("engine.hosts[3]: error: expected unix:///path, fd:// or tcp://"));
        }

        @Test
        void controlCharactersInAnyValueOrMapKeyAreRefused() {
            assertThat(errors(ADMIN + SECURITY + "monitor: {channels: {" + DISCORD + "}}\nhost: {disks: [{name: "
                    + "\"a\\u0085b\", mount: /}]}\n"))
                    .singleElement().asString().contains("host.disks[0].name: error: contains a control character "
                            + "(U+0085)");
            assertThat(errors(ADMIN + SECURITY + "monitor: {channels: {" + DISCORD + "}}\nengine: {ulimits: "
                    + "{\"no\\tfile\": {soft: 1, hard: 1}}}\n"))
                    .singleElement().asString().contains("engine.ulimits: error: a key contains a control character "
                            + "(U+0009)");
        }
    }
}
