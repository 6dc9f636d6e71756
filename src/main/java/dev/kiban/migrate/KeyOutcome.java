package dev.kiban.migrate;

/**
 * What became of one compose key: {@code MAPPED} as it means on Docker, {@code APPROXIMATED} with what
 * changed, {@code UNSUPPORTED} with why and what to do instead. {@code service} is empty for top-level keys.
 * Notes never hold a value from the file that could be a secret: names and paths only.
 */
public record KeyOutcome(String file, int line, String service, String key, Outcome outcome, String note) {
    public enum Outcome { MAPPED, APPROXIMATED, UNSUPPORTED }
}
