package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kiban dashboard's refusals before it serves anything: each with its exit code and a message without the token. */
class DashboardCommandTest {
    static final String TOKEN = "a-token-of-at-least-16-characters";

    @TempDir
    Path dir;

    @Test
    void aBadAddressIsAUsageError() {
        for (String bind : new String[] {"localhost:9440", "127.0.0.1", "127.0.0.1:99999", "[::1", "x:y"}) {
            CommandLineTest.Run r = CommandLineTest.run("-c", "builtin", "dashboard", "--bind", bind);
            assertThat(r.exit()).as(bind).isEqualTo(2);
            assertThat(r.err()).as(bind).contains("--bind: expected ADDR:PORT");
        }
    }

    @Test
    void beyondLoopbackWithoutTlsAndTokenItRefusesToStart() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        CommandLineTest.Run r = CommandLineTest.run("-c", "builtin", "dashboard", "--bind", "192.0.2.10:9440",
                "--token-file", token.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("beyond loopback", "SSH tunnel").doesNotContain(TOKEN);
        CommandLineTest.Run wildcard = CommandLineTest.run("-c", "builtin", "dashboard", "--bind", "0.0.0.0:9440");
        assertThat(wildcard.exit()).isEqualTo(2);
    }

    @Test
    void aTokenFileOthersMayReadOrTooShortIsRefusedAndAMissingCertificateIsUnavailable() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        CommandLineTest.Run open = CommandLineTest.run("-c", "builtin", "dashboard", "--token-file", token.toString());
        assertThat(open.exit()).isEqualTo(2);
        assertThat(open.err()).contains("chmod 600").doesNotContain(TOKEN);
        Files.writeString(token, "short\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        CommandLineTest.Run shortToken = CommandLineTest.run("-c", "builtin", "dashboard", "--token-file",
                token.toString());
        assertThat(shortToken.exit()).isEqualTo(2);
        assertThat(shortToken.err()).contains("at least 16 characters");
        CommandLineTest.Run cert = CommandLineTest.run("-c", "builtin", "dashboard", "--tls-certificate",
                dir.resolve("none.crt").toString(), "--tls-key", dir.resolve("none.key").toString());
        assertThat(cert.exit()).isEqualTo(3);
        assertThat(cert.err()).contains("TLS or token file", "none.");
        CommandLineTest.Run half = CommandLineTest.run("-c", "builtin", "dashboard", "--tls-certificate",
                dir.resolve("none.crt").toString());
        assertThat(half.exit()).isEqualTo(2);
    }
}
