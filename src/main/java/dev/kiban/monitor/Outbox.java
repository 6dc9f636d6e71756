package dev.kiban.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiban.os.AtomicFile;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
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
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** One queued notification and what its delivery has been through. */
    public record Item(Notification notification, int attempts, Instant nextAttempt, boolean inFlight,
            boolean redelivery, String lastError) {}

    /** What a drain did; {@code quarantined}: outbox files it could not use and set aside. */
    public record Report(List<String> delivered, List<String> retrying, List<String> rejected,
                         List<String> quarantined) {}

    /** A notification is a few KiB; anything this large was not written by kiban. */
    static final long MAX_FILE = 1 << 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private final Path dir;

    public Outbox(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("failed"));
        // files are moved into failed/: a link there would carry them wherever it points
        if (Files.isSymbolicLink(dir) || Files.isSymbolicLink(dir.resolve("failed"))) {
            throw new IOException("the outbox " + dir + " (or its failed/) is a symbolic link; "
                    + "kiban writes only into directories it made");
        }
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

    /** How many files wait in the outbox, read or not (for the metrics; reading is the delivery thread's job). */
    public int count() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(Outbox::queued).count();
        }
    }

    /** A notification's file by its name; dot files are AtomicFile's temporaries and drainOne's directories. */
    private static boolean queued(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".json") && !name.startsWith(".");
    }

    /** The queued notifications, oldest first; files that are not one are set aside (see {@link #quarantine}). */
    public List<Item> pending() throws IOException {
        return pending(new ArrayList<>());
    }

    private List<Item> pending(List<String> quarantined) throws IOException {
        List<Item> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Outbox::queued).toList()) {
                String why;
                try {
                    Item item = read(f);
                    why = problem(f, item);
                    if (why == null) {
                        out.add(item);
                        continue;
                    }
                } catch (NoSuchFileException e) {
                    continue; // delivered and deleted by the other thread since the listing
                } catch (IOException e) {
                    why = e.getMessage();
                }
                quarantine(f, why).ifPresent(quarantined::add);
            }
        }
        out.sort(Comparator.comparing((Item i) -> i.notification().created())
                .thenComparing(i -> i.notification().id()));
        return out;
    }

    /**
     * One outbox file, read without following a link: a symlink, a directory, a device or a file over
     * {@link #MAX_FILE} is refused before a byte is read (root must not be steered into reading
     * anything else), and what is not a notification's JSON is refused after.
     */
    private static Item read(Path f) throws IOException {
        var attrs = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isSymbolicLink()) throw new IOException("a symbolic link, not a file kiban wrote");
        if (attrs.isDirectory()) throw new IOException("a directory, not a file kiban wrote");
        if (!attrs.isRegularFile()) throw new IOException("not a regular file");
        if (attrs.size() > MAX_FILE) throw new IOException("larger than " + (MAX_FILE >> 20) + " MiB");
        byte[] bytes;
        // O_NOFOLLOW: a link swapped in after the check above fails here instead of being followed
        try (var ch = Files.newByteChannel(f, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
             var in = Channels.newInputStream(ch)) {
            bytes = in.readNBytes((int) MAX_FILE + 1);
        }
        if (bytes.length > MAX_FILE) throw new IOException("larger than " + (MAX_FILE >> 20) + " MiB");
        if (bytes.length == 0) throw new IOException("empty");
        try {
            Item item = JSON.readValue(bytes, Item.class);
            if (item == null) throw new IOException("not a notification (null)");
            return item;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            // the parser's message quotes the content, which may be anything: only where it broke is kept
            var at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new IOException("not a notification's JSON" + where);
        }
    }

    /** Why a parsed item cannot be delivered as it stands, or null. */
    private String problem(Path f, Item item) {
        Notification n = item.notification();
        if (n == null || n.id() == null || n.channel() == null || n.created() == null || n.host() == null) {
            return "a notification without its id, channel, host or time";
        }
        if (!NAME.matcher(n.id()).matches() || !NAME.matcher(n.channel()).matches()) {
            return "a notification whose id or channel is not a plain name";
        }
        if (n.events() == null || item.nextAttempt() == null) {
            return "a notification without its events or next attempt";
        }
        // deliveries rewrite and delete file(n): a file under any other name would be sent again forever
        if (!file(n).equals(f)) return "its name does not match the notification it holds";
        return null;
    }

    /**
     * Sets a file the agent cannot use aside as {@code failed/NAME.bad}, with {@code NAME.bad.reason}
     * beside it, so one bad file neither stops the agent nor holds back the others. The entry itself is
     * moved (a link stays a link, its target untouched). Returns what the log should say, or empty when
     * the other thread got there first.
     */
    private Optional<String> quarantine(Path f, String why) {
        String name = f.getFileName().toString();
        String shown = printable(name);
        Path failed = dir.resolve("failed");
        Path target = failed.resolve(name + ".bad");
        for (int i = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) {
            target = failed.resolve(name + "." + i + ".bad");
        }
        try {
            Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(shown + ": " + why + "; could not be moved aside (" + printable(e.getMessage()) + ")");
        }
        try {
            byte[] reason = (why + "\n").getBytes(StandardCharsets.UTF_8);
            AtomicFile.write(failed.resolve(target.getFileName() + ".reason"), reason, "rw-------", false);
        } catch (IOException e) {
            // the file is aside already; the log line below still says why
        }
        return Optional.of(shown + ": " + why + "; moved to failed/" + printable(target.getFileName().toString()));
    }

    /** A file name as a log line may show it: whoever named it may have put a newline in it. */
    private static String printable(String s) {
        return s == null ? "" : s.replaceAll("[^\\x20-\\x7e]", "?");
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
        List<String> quarantined = new ArrayList<>();
        java.util.Set<String> held = new java.util.HashSet<>();
        for (Item item : pending(quarantined)) {
            Notification n = item.notification();
            Channel channel = channels.get(n.channel());
            if (channel == null || held.contains(n.channel())) continue;
            if (item.nextAttempt().isAfter(now)) {
                held.add(n.channel());
                continue;
            }
            boolean again = item.inFlight() || item.redelivery(); // a previous send may have reached the receiver
            write(new Item(n, item.attempts() + 1, item.nextAttempt(), true, again, item.lastError()));
            Delivery d;
            try {
                d = channel.send(n, again);
            } catch (RuntimeException e) {
                // a channel's own bug must not stop the outbox; its message may quote a URL, so it is not kept
                d = new Delivery.Retry(Duration.ZERO, "the " + n.channel() + " channel failed unexpectedly");
            }
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
                        JSON.writeValueAsBytes(new Item(n, item.attempts() + 1, now, false, again, x.reason())),
                        "rw-------", false);
                Files.deleteIfExists(file(n));
                rejected.add(n.channel() + " " + n.id() + ": " + x.reason());
                if (x.channelGone()) held.add(n.channel());
            }
        }
        return new Report(delivered, retrying, rejected, quarantined);
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
     * in-flight mark it did not write itself was left by a run that died mid-send. Returns the files it
     * set aside, for the log.
     */
    public List<String> recover() throws IOException {
        List<String> quarantined = new ArrayList<>();
        for (Item i : pending(quarantined)) {
            if (i.inFlight()) write(new Item(i.notification(), i.attempts(), i.nextAttempt(), false, true,
                    "interrupted while being sent"));
        }
        return quarantined;
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
