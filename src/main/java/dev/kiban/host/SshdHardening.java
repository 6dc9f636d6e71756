package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecText;
import dev.kiban.spec.SpecText.Form;

/**
 * sshd hardening (R7.2) as a drop-in that sorts before the distribution's own (sshd keeps the first
 * value it reads), so the main sshd_config stays the package's. Whether the allowed users can still
 * log in is {@link SshAccess}'s question, asked by the planner before anything is written.
 */
public final class SshdHardening {
    public static final String PATH = "/etc/ssh/sshd_config.d/10-kiban.conf";

    private SshdHardening() {}

    public static Artifact render(PlatformSpec spec) {
        var s = spec.security().ssh();
        // Each value is one sshd token: a space would add a user or a file, a line break a directive (Match all ...).
        s.allowUsers().forEach(u -> SpecText.requireFilled("security.ssh.allowUsers", Form.USER, u));
        String keys = s.authorizedKeysFile().equals("none") ? "none"
                : SpecText.require("security.ssh.authorizedKeysFile", Form.SSH_KEYS_FILE, s.authorizedKeysFile());
        String content = ManagedFile.header("#", "R7.2")
                + "Port " + s.port() + "\n"
                + "PermitRootLogin " + (s.permitRootLogin() ? "prohibit-password" : "no") + "\n"
                + "PasswordAuthentication " + yesNo(s.passwordAuthentication()) + "\n"
                + "KbdInteractiveAuthentication no\n"
                + "PubkeyAuthentication " + yesNo(s.pubkeyAuthentication()) + "\n"
                + "AuthorizedKeysFile " + keys + "\n"
                + "AllowUsers " + String.join(" ", s.allowUsers()) + "\n";
        return new Artifact(PATH, content, "rw-------", "root:root", "sshd hardening (R7.2)", Artifact.Reader.SSHD);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
