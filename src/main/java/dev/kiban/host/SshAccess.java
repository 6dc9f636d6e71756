package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Never lock the operator out: with password and root login off, each user in {@code AllowUsers}
 * must exist under the root and have a non-empty authorized_keys file, or the plan refuses.
 */
public final class SshAccess {
    private SshAccess() {}

    /** Why hardening sshd would lock someone out; empty when it is safe. */
    public static List<String> refusals(PlatformSpec spec, Path root) throws IOException {
        var s = spec.security().ssh();
        List<String> out = new ArrayList<>();
        if (s.passwordAuthentication()) return out; // passwords still work: no lock-out
        for (String user : s.allowUsers()) {
            Optional<String> home = homeOf(root, user);
            if (home.isEmpty()) {
                out.add("security.ssh.allowUsers: user " + user + " does not exist on this host (no entry in " + root.resolve("etc/passwd")
                        + "); hardening sshd would lock everyone out");
                continue;
            }
            String keysFile = s.authorizedKeysFile().startsWith("/") ? s.authorizedKeysFile() : home.get() + "/" + s.authorizedKeysFile();
            Path keys = root.resolve(keysFile.substring(1));
            if (!Files.isRegularFile(keys) || Files.readString(keys).lines().noneMatch(l -> !l.isBlank() && !l.startsWith("#"))) {
                out.add("security.ssh.allowUsers: user " + user + " has no authorized key in " + keysFile
                        + "; with password login off, " + user + " could not log in");
            }
        }
        return out;
    }

    private static Optional<String> homeOf(Path root, String user) throws IOException {
        Path passwd = root.resolve("etc/passwd");
        if (!Files.isRegularFile(passwd)) return Optional.empty();
        return Files.readAllLines(passwd).stream().map(l -> l.split(":", -1))
                .filter(f -> f.length >= 6 && f[0].equals(user)).map(f -> f[5]).findFirst();
    }
}
