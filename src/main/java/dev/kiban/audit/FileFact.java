package dev.kiban.audit;

/**
 * A file as the audit saw it under the root: whether it exists, its owner, group and permission bits
 * (e.g. {@code 0660}), not following a link.
 */
public record FileFact(String path, boolean exists, String owner, String group, int mode) {

    public static FileFact absent(String path) {
        return new FileFact(path, false, "", "", 0);
    }

    /** As {@code ls -l} would say it: {@code root:docker 0660}. */
    public String shown() {
        return exists ? owner + ":" + group + " " + String.format("%04o", mode) : "absent";
    }

    /** Whether the mode grants nothing beyond {@code allowed} (e.g. 0644). */
    public boolean atMost(int allowed) {
        return (mode & ~allowed & 07777) == 0;
    }
}
