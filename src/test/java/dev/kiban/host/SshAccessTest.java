package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec.Family;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshAccessTest {
    @Test
    void refusesAUserWhoDoesNotExist(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        assertThat(SshAccess.refusals(HostConfigurationTest.spec(Family.DEBIAN), root)).singleElement().asString()
                .contains("user deploy does not exist on this host").contains("lock everyone out");
    }

    @Test
    void refusesAUserWithoutAKey(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "deploy:x:1000:1000::/home/deploy:/bin/bash\n");
        Files.createDirectories(root.resolve("home/deploy/.ssh"));
        Files.writeString(root.resolve("home/deploy/.ssh/authorized_keys"), "# no keys yet\n");
        assertThat(SshAccess.refusals(HostConfigurationTest.spec(Family.DEBIAN), root)).singleElement().asString()
                .contains("user deploy has no authorized key in /home/deploy/.ssh/authorized_keys");
    }

    @Test
    void acceptsAUserWithAKey(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "deploy:x:1000:1000::/home/deploy:/bin/bash\n");
        Files.createDirectories(root.resolve("home/deploy/.ssh"));
        Files.writeString(root.resolve("home/deploy/.ssh/authorized_keys"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA deploy@laptop\n");
        assertThat(SshAccess.refusals(HostConfigurationTest.spec(Family.DEBIAN), root)).isEmpty();
    }
}
