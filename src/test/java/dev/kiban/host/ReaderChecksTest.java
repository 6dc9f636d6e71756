package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.os.HostPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Under --root, apply's checks create nothing outside the root (sshd's runtime directory included). */
class ReaderChecksTest {
    @TempDir
    Path dir;

    @Test
    void checkingTheSshdDropInUnderARootCreatesNoRuntimeDirectoryOutsideIt() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path conf = Files.createDirectories(root.resolve("etc/ssh/sshd_config.d")).resolve("10-kiban.conf");
        Files.writeString(conf, "PermitRootLogin no\n");
        Path privsep = Files.createDirectories(dir.resolve("host/run")).resolve("sshd");
        Artifact a = Artifact.config("/etc/ssh/sshd_config.d/10-kiban.conf", "PermitRootLogin no\n", "test",
                Artifact.Reader.SSHD);
        new ReaderChecks(HostPrograms.system(), privsep).check(a, root);
        assertThat(privsep).as("nothing outside the root is created under --root").doesNotExist();
    }

    @Test
    void onTheSystemRootTheRuntimeDirectoryIsMade() throws IOException {
        Path privsep = Files.createDirectories(dir.resolve("host/run")).resolve("sshd");
        assertThat(ReaderChecks.privsepReady(dir.resolve("root"), privsep)).isFalse();
        assertThat(privsep).doesNotExist();
        assertThat(ReaderChecks.privsepReady(Path.of("/"), privsep)).isTrue();
        assertThat(privsep).isDirectory();
    }
}
