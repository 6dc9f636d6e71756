package dev.kiban.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiban.host.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every notification is written here (0600, atomically) before it is sent and deleted only after its
 * channel took it, so an agent restart or a channel outage delays an alert but never loses it. Before a
 * send the file is marked as in flight; a file found in flight at start-up was interrupted between the
 * send and its acknowledgement and goes out once more, marked as a possible repeat and under the same
 * id (mail's Message-ID, the webhook's Idempotency-Key) so receivers can tell. A refused notification
 * moves to {@code failed/} with the reason.
 */
public final class Outbox {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** One queued notification and what its delivery has been through. */
    public record Item(Notification notification, int attempts, Instant nextAttempt, boolean inFlight, boolean redelivery, String lastError) {}

    /** What a drain did. */
    public record Report(List<String> delivered, List<String> retrying, List<String> rejected) {}

    private final Path dir;

    public Outbox(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("failed"));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    public void add(Notification n) throws IOException {
        write(new Item(n, 0, n.created(), false, false, ""));
    }

    private Path file(Notification n) {
        return dir.resolve(n.id() + "." + n.channel() + ".json");
    }

    private void write(Item item) throws IOException {
        AtomicFile.write(file(item.notification()), JSON.writeValueAsBytes(item), "rw-------", false);
    }

    /** The queued notifications, oldest first. */
    public List<Item> pending() throws IOException {
        List<Item> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith(".")).toList()) {
                out.add(JSON.readValue(f.toFile(), Item.class));
            }
        }
        out.sort(Comparator.comparing((Item i) -> i.notification().created()).thenComparing(i -> i.notification().id()));
        return out;
    }

    /**
     * Sends what is due, oldest first, to the channels given; a channel that asks to wait holds its
     * later notifications too, so they arrive in order. Channels missing from {@code channels} keep
     * their notifications queued.
     */
    public Report drain(Map<String, Channel> channels, Instant now) throws IOException {
        List<String> delivered = new ArrayList<>();
        List<String> retrying = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        java.util.Set<String> held = new java.util.HashSet<>();
        for (Item item : pending()) {
            Notification n = item.notification();
            Channel channel = channels.get(n.channel());
            if (channel == null || held.contains(n.channel())) continue;
            if (item.nextAttempt().isAfter(now)) {
                held.add(n.channel());
                continue;
            }
            boolean again = item.inFlight() || item.redelivery(); // a previous send may have reached the receiver
            write(new Item(n, item.attempts() + 1, item.nextAttempt(), true, again, item.lastError()));
            Delivery d = channel.send(n, again);
            if (d instanceof Delivery.Delivered ok) {
                Files.deleteIfExists(file(n));
                delivered.add(n.channel() + " " + n.id() + ": " + ok.detail());
            } else if (d instanceof Delivery.Retry r) {
                // the channel's own wait (a 429's retry_after) when it is known; growing back-off otherwise
                Duration wait = r.after().isZero() ? backoff(item.attempts()) : r.after();
                write(new Item(n, item.attempts() + 1, now.plus(wait), false, again, r.reason()));
                retrying.add(n.channel() + " " + n.id() + ": " + r.reason());
                held.add(n.channel());
            } else if (d instanceof Delivery.Rejected x) {
                AtomicFile.write(dir.resolve("failed").resolve(file(n).getFileName()),
                        JSON.writeValueAsBytes(new Item(n, item.attempts() + 1, now, false, again, x.reason())), "rw-------", false);
                Files.deleteIfExists(file(n));
                rejected.add(n.channel() + " " + n.id() + ": " + x.reason());
                if (x.channelGone()) held.add(n.channel());
            }
        }
        return new Report(delivered, retrying, rejected);
    }

    /** Sends this one notification now, whatever else is queued (a test must not wait behind an outage's backlog). */
    public Report drainOne(Map<String, Channel> channels, Notification n, Instant now) throws IOException {
        Path only = Files.createTempDirectory(dir, ".one-");
        try {
            Files.move(file(n), only.resolve(file(n).getFileName()));
            Outbox single = new Outbox(only);
            Report r = single.drain(channels, now);
            for (Item left : single.pending()) Files.move(single.file(left.notification()), file(left.notification()));
            try (Stream<Path> failed = Files.list(only.resolve("failed"))) {
                for (Path f : failed.toList()) Files.move(f, dir.resolve("failed").resolve(f.getFileName()));
            }
            return r;
        } finally {
            try (Stream<Path> s = Files.walk(only)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Marks every in-flight item as a possible repeat: what the agent does when it starts, since an
     * in-flight mark it did not write itself was left by a run that died mid-send.
     */
    public void recover() throws IOException {
        for (Item i : pending()) {
            if (i.inFlight()) write(new Item(i.notification(), i.attempts(), i.nextAttempt(), false, true, "interrupted while being sent"));
        }
    }

    /** Waits between attempts grow to at most 10 minutes: an outage is ridden out without hammering. */
    static Duration backoff(int attempts) {
        long seconds = Math.min(600, 5L << Math.min(attempts, 7));
        return Duration.ofSeconds(seconds);
    }

    public Path dir() {
        return dir;
    }
}
