package dev.kiban.monitor;

import java.time.Instant;
import java.util.List;

/**
 * One message to one channel: every alert event of one evaluation for that channel, grouped, so that
 * ten containers going down together make one message, not ten. {@code id} is stable across retries
 * (the outbox file name, the mail's Message-ID, the webhook's idempotency key).
 */
public record Notification(String id, String channel, String host, Instant created, List<AlertEvent> events,
        boolean test) {

    public long count(AlertEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).count();
    }

    /** "[kiban] web-1: 2 firing, 1 resolved". */
    public String title() {
        if (test) return "[kiban] test notification from " + host;
        long firing = count(AlertEvent.Kind.FIRING) + count(AlertEvent.Kind.REPEAT);
        long resolved = count(AlertEvent.Kind.RESOLVED);
        StringBuilder b = new StringBuilder("[kiban] ").append(host).append(": ");
        if (firing > 0) b.append(firing).append(" firing");
        if (firing > 0 && resolved > 0) b.append(", ");
        if (resolved > 0) b.append(resolved).append(" resolved");
        return b.toString();
    }

    /** One line per event, as plain text. */
    public List<String> lines() {
        return events.stream().map(e -> switch (e.kind()) {
            case FIRING -> "FIRING   " + e.key() + ": " + e.summary();
            case REPEAT -> "FIRING   " + e.key() + ": " + e.summary() + " (since " + e.since() + ")";
            case RESOLVED -> "RESOLVED " + e.key() + ": " + e.summary();
        }).toList();
    }
}
