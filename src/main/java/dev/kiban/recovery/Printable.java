package dev.kiban.recovery;

import dev.kiban.backup.FileRestorePlan;

/** A name read from a snapshot, safe to print (control characters escaped, at most 200 characters). */
final class Printable {
    private Printable() {}

    static String of(String s) {
        return FileRestorePlan.printable(s == null ? "" : s);
    }
}
