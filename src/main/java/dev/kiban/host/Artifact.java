package dev.kiban.host;

/**
 * One file kiban owns on the host: where, what, with which owner and mode, why it exists, which
 * program reads it (and so validates it), and whether it holds a secret (then a plan never shows
 * its content, only that it changes).
 */
public record Artifact(String path, String content, String mode, String owner, String why, Reader reader,
        boolean holdsSecret) {

    /** The program that reads the file, which apply asks to check it before keeping it. */
    public enum Reader { DOCKERD, SYSCTL, MODULES, JOURNALD, FAIL2BAN, LOGWATCH, UPDATES, SSHD, FIREWALLD, NFTABLES,
            SYSTEMD, SELINUX, DNF, POSTFIX, AUDITD }

    public Artifact(String path, String content, String mode, String owner, String why, Reader reader) {
        this(path, content, mode, owner, why, reader, false);
    }

    public static Artifact config(String path, String content, String why, Reader reader) {
        return new Artifact(path, content, "rw-r--r--", "root:root", why, reader);
    }

    /** A root-only file whose content a plan hides: it holds a password. */
    public static Artifact secret(String path, String content, String why, Reader reader) {
        return new Artifact(path, content, "rw-------", "root:root", why, reader, true);
    }

    public Artifact withMode(String newMode) {
        return new Artifact(path, content, newMode, owner, why, reader, holdsSecret);
    }
}
