package dev.kiban.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Host roots for tests: an OS release and an operator, deploy, who can log in with a key. */
public final class TestRoots {
    private TestRoots() {}

    /**
     * Fills {@code root} with {@code etc/os-release} of {@code osRelease} and the user deploy with an authorized key.
     */
    public static Path withOperator(Path root, String osRelease) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), osRelease);
        Files.writeString(root.resolve("etc/passwd"),
                "root:x:0:0::/root:/bin/sh\ndeploy:x:1000:1000::/home/deploy:/bin/bash\n");
        Files.createDirectories(root.resolve("home/deploy/.ssh"));
        Files.writeString(root.resolve("home/deploy/.ssh/authorized_keys"),
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB deploy@laptop\n");
        return root;
    }
}
