package dev.kiban.host;

/**
 * One file kiban owns on the host: where, what, with which owner and mode, why it exists, and which
 * program reads it (and so validates it).
 */
public record Artifact(String path, String content, String mode, String owner, String why, Reader reader) {

    /** The program that reads the file, which apply asks to check it before keeping it. */
    public enum Reader { DOCKERD, SYSCTL, MODULES, JOURNALD, FAIL2BAN, LOGWATCH, UPDATES, SSHD, FIREWALLD, NFTABLES,
            SYSTEMD, SELINUX, DNF }

    public static Artifact config(String path, String content, String why, Reader reader) {
        return new Artifact(path, content, "rw-r--r--", "root:root", why, reader);
    }

    public Artifact withMode(String newMode) {
        return new Artifact(path, content, newMode, owner, why, reader);
    }
}
