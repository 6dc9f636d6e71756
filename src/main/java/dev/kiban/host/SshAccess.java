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
        if (s.authorizedKeysFile().equals("none")) {
            out.add("security.ssh.authorizedKeysFile: none, with password login off: nobody could log in");
            return out;
        }
        for (String user : s.allowUsers()) {
            Optional<String[]> entry = entryOf(root, user);
            Optional<String> home = entry.map(f -> f[5]);
            if (home.isEmpty()) {
                out.add("security.ssh.allowUsers: user " + user + " does not exist on this host (no entry in "
                        + root.resolve("etc/passwd")
                        + "); hardening sshd would lock everyone out");
                continue;
            }
            String pattern = expand(s.authorizedKeysFile(), user, entry.get()[2], home.get());
            String keysFile = pattern.startsWith("/") ? pattern : home.get() + "/" + pattern;
            if (!keysFile.startsWith("/") || keysFile.contains("/../")) {
                out.add("security.ssh.allowUsers: cannot tell where " + user + "'s authorized keys are (home "
                        + home.get() + ")");
                continue;
            }
            Path keys = root.resolve(keysFile.substring(1));
            if (!Files.isRegularFile(keys) || Files.readString(keys)
                    .lines().noneMatch(l -> !l.isBlank() && !l.startsWith("#"))) {
                out.add("security.ssh.allowUsers: user " + user + " has no authorized key in " + keysFile
                        + "; with password login off, " + user + " could not log in");
            }
        }
        return out;
    }

    private static Optional<String[]> entryOf(Path root, String user) throws IOException {
        Path passwd = root.resolve("etc/passwd");
        if (!Files.isRegularFile(passwd)) return Optional.empty();
        return Files.readAllLines(passwd).stream().map(l -> l.split(":", -1))
                .filter(f -> f.length >= 6 && f[0].equals(user)).findFirst();
    }

    /** sshd's tokens in AuthorizedKeysFile: %h the home, %u the user, %U the uid, %% a percent sign. */
    static String expand(String pattern, String user, String uid, String home) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 == pattern.length()) {
                out.append(c);
                continue;
            }
            char t = pattern.charAt(++i);
            out.append(switch (t) {
                case 'h' -> home;
                case 'u' -> user;
                case 'U' -> uid;
                default -> String.valueOf(t);
            });
        }
        return out.toString();
    }
}
