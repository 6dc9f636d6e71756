package dev.kiban.host;

/** The header kiban writes into every file it owns, in the file's comment syntax. */
final class ManagedFile {
    private ManagedFile() {}

    static String header(String comment, String requirement) {
        return comment + " Managed by kiban (" + requirement
                + "): change kiban.yaml and run 'kiban apply', not this file.\n";
    }
}
