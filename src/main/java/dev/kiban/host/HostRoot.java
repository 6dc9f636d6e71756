package dev.kiban.host;

import java.nio.file.Path;

/** Host paths under a root prefix: {@code --root /tmp/x} makes {@code /etc/foo} be {@code /tmp/x/etc/foo}. */
public final class HostRoot {
    private HostRoot() {}

    public static Path resolve(Path root, String hostPath) {
        if (!hostPath.startsWith("/")) throw new IllegalArgumentException("not an absolute host path: " + hostPath);
        return root.resolve(hostPath.substring(1));
    }

    public static boolean isSystemRoot(Path root) {
        return root.toAbsolutePath().normalize().toString().equals("/");
    }
}
