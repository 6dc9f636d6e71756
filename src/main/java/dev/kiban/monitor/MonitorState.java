package dev.kiban.monitor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiban.os.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's files under {@code monitor.state}: {@code alerts.json} (written every sweep; what
 * {@code kiban alert ls} shows and what a restarted agent resumes from), {@code silences.json}
 * (written by {@code kiban alert silence}, read by the agent every sweep, so no connection to the agent
 * is needed), {@code history.log} (every alert event, one line each, for the daily report) and the
 * outbox. All 0600 in a 0700 directory.
 */
public final class MonitorState {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** What alerts.json holds: when it was written, by which agent, and the alerts. */
    public record Snapshot(Instant updated, long pid, List<Alert> alerts) {}

    private final Path dir;

    public MonitorState(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    public Path dir() {
        return dir;
    }

    public Outbox outbox() throws IOException {
        return new Outbox(dir.resolve("outbox"));
    }

    public void saveAlerts(Instant now, List<Alert> alerts) throws IOException {
        AtomicFile.write(dir.resolve("alerts.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Snapshot(now,
                ProcessHandle.current().pid(), alerts)), "rw-------", false);
    }

    public java.util.Optional<Snapshot> alerts() throws IOException {
        Path f = dir.resolve("alerts.json");
        return Files.exists(f) ? java.util.Optional.of(JSON.readValue(f.toFile(), Snapshot.class)) : java.util.Optional.empty();
    }

    public List<Silence> silences() throws IOException {
        Path f = dir.resolve("silences.json");
        if (!Files.exists(f)) return List.of();
        return JSON.readValue(f.toFile(), new TypeReference<List<Silence>>() {});
    }

    /** Writes the silences, dropping those that ended. */
    public void saveSilences(List<Silence> silences, Instant now) throws IOException {
        List<Silence> live = new ArrayList<>(silences.stream().filter(s -> s.until().isAfter(now)).toList());
        AtomicFile.write(dir.resolve("silences.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(live), "rw-------", false);
    }

    public void record(List<Notification> sent) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Notification n : sent) {
            for (AlertEvent e : n.events()) {
                b.append(e.at()).append(' ').append(e.kind()).append(' ').append(e.key()).append(' ').append(n.channel()).append(' ')
                        .append(e.summary().replace('\n', ' ')).append('\n');
            }
        }
        if (b.length() == 0) return;
        Path log = dir.resolve("history.log");
        Files.writeString(log, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(log, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    /** The lines of history.log from {@code since} on. */
    public List<String> history(Instant since) throws IOException {
        Path log = dir.resolve("history.log");
        if (!Files.exists(log)) return List.of();
        return Files.readAllLines(log).stream().filter(l -> {
            try {
                return !Instant.parse(l.substring(0, l.indexOf(' '))).isBefore(since);
            } catch (RuntimeException e) {
                return false;
            }
        }).toList();
    }
}
