package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec.Family;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshAccessTest {
    @TempDir
    Path root;

    void host(String passwd, String authorizedKeys) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), passwd);
        if (authorizedKeys != null) {
            Files.createDirectories(root.resolve("home/deploy/.ssh"));
            Files.writeString(root.resolve("home/deploy/.ssh/authorized_keys"), authorizedKeys);
        }
    }

    @Test
    void refusesAUserWhoDoesNotExist() throws Exception {
        host("root:x:0:0::/root:/bin/sh\n", null);
        assertThat(SshAccess.refusals(HostConfigurationTest.spec(Family.DEBIAN), root)).singleElement().asString()
                .contains("user deploy does not exist on this host").contains("lock everyone out");
    }

    @Test
    void refusesAUserWithoutAKey() throws Exception {
        host("deploy:x:1000:1000::/home/deploy:/bin/bash\n", "# no keys yet\n");
        assertThat(SshAccess.refusals(HostConfigurationTest.spec(Family.DEBIAN), root)).singleElement().asString()
                .contains("user deploy has no authorized key in /home/deploy/.ssh/authorized_keys");
    }

    @Test
    void acceptsAUserWithAKey() throws Exception {
        host("deploy:x:1000:1000::/home/deploy:/bin/bash\n", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA deploy@laptop\n");
        assertThat(SshAccess.refusals(HostConfigurationTest.spec(Family.DEBIAN), root)).isEmpty();
    }

    @Test
    void withPasswordsOnNobodyIsLockedOut() throws Exception {
        host("root:x:0:0::/root:/bin/sh\n", null);
        var spec = dev.kiban.spec.SpecDocument.parse("k", HostConfigurationTest.FILLED.replace("allowUsers: [deploy]",
                "allowUsers: [deploy], passwordAuthentication: true"), false)
                .require().resolved(Family.DEBIAN, "192.0.2.1");
        assertThat(SshAccess.refusals(spec, root)).isEmpty();
    }
}
