package dev.kiban.host;

import java.util.List;

/**
 * One apply, as recorded under {@code /var/lib/kiban/generations/N/}: which paths it touched and how
 * each was before, so that it can be undone. Written before the first file changes.
 */
public record Generation(int number, String created, Status status, List<Entry> entries, String note) {

    public enum Status { APPLYING, APPLIED, FAILED, ROLLED_BACK }

    /**
     * A path the apply touched: whether it existed before, and its mode and owner then; {@code link}, when
     * not empty, is the target of the symbolic link the path was (rollback makes the link again).
     */
    public record Entry(String path, boolean directory, boolean existed, String mode, String owner, String link) {
        public Entry {
            link = link == null ? "" : link;
        }

        public Entry(String path, boolean directory, boolean existed, String mode, String owner) {
            this(path, directory, existed, mode, owner, "");
        }

        public boolean wasLink() {
            return !link.isEmpty();
        }
    }

    public Generation with(Status newStatus, String newNote) {
        return new Generation(number, created, newStatus, entries, newNote);
    }

    /** Applied (or interrupted while applying): its changes are on the host and can be undone. */
    public boolean inForce() {
        return status == Status.APPLIED || status == Status.APPLYING;
    }
}
