package dev.kiban.monitor;

import java.time.Instant;

/** A change worth telling someone: an alert fired, is still firing (repeat), or resolved. */
public record AlertEvent(Kind kind, AlertKey key, double value, String summary, Instant since, Instant at) {
    public enum Kind { FIRING, REPEAT, RESOLVED }
}
