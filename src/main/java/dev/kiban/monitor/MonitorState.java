package dev.kiban.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiban.failure.RefusedException;
import dev.kiban.os.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The agent's files under {@code monitor.state}: {@code alerts.json} (written every sweep; what
 * {@code kiban alert ls} shows and what a restarted agent resumes from), {@code silences.json}
 * (written by {@code kiban alert silence}, read by the agent every sweep, so no connection to the agent
 * is needed), {@code history.log} (every alert event, one line each, for the daily report) and the
 * outbox. All 0600 in a 0700 directory.
 */
public final class MonitorState {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** What alerts.json holds: when it was written, by which agent, and the alerts. */
    public record Snapshot(Instant updated, long pid, List<Alert> alerts) {}

    private static final String ALERTS = "alerts.json";
    private static final String SILENCES = "silences.json";

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
        AtomicFile.write(dir.resolve("alerts.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Snapshot(now, ProcessHandle.current().pid(), alerts)), "rw-------", false);
    }

    /** The saved alerts; a {@link RefusedException} naming the file when alerts.json cannot be read. */
    public java.util.Optional<Snapshot> alerts() throws IOException {
        Path f = dir.resolve(ALERTS);
        if (!Files.exists(f)) return java.util.Optional.empty();
        Snapshot saved = read(f, JSON.readerFor(Snapshot.class),
                "the monitor agent sets it aside and starts afresh when it next starts, or move it aside yourself");
        if (saved.alerts() == null) throw damaged(f, "it holds no list of alerts", "move it aside");
        return java.util.Optional.of(saved);
    }

    /** The silences; a {@link RefusedException} naming the file when silences.json cannot be read. */
    public List<Silence> silences() throws IOException {
        Path f = dir.resolve(SILENCES);
        if (!Files.exists(f)) return List.of();
        return read(f, JSON.readerFor(new TypeReference<List<Silence>>() {}),
                "move it aside and set the silences again with kiban alert silence");
    }

    /**
     * The saved alerts for the agent: a damaged alerts.json is set aside as {@code alerts.json.bad} (the
     * reason logged) and the agent starts without them, as the outbox does with a file it cannot use;
     * one damaged file must not keep the agent from starting.
     */
    public java.util.Optional<Snapshot> alertsOrSetAside(Consumer<String> log) throws IOException {
        try {
            return alerts();
        } catch (RefusedException e) {
            log.accept(setAside(ALERTS, e.getMessage()));
            return java.util.Optional.empty();
        }
    }

    /** The silences for the agent: a damaged silences.json is set aside as for {@link #alertsOrSetAside}. */
    public List<Silence> silencesOrSetAside(Consumer<String> log) throws IOException {
        try {
            return silences();
        } catch (RefusedException e) {
            log.accept(setAside(SILENCES, e.getMessage()));
            return List.of();
        }
    }

    private static <T> T read(Path f, ObjectReader reader, String remedy) throws IOException {
        T value;
        try {
            value = reader.readValue(f.toFile());
        } catch (JsonProcessingException e) {
            // the parser's own words, without the source excerpt Jackson appends
            var at = e.getLocation();
            throw damaged(f, "it is not valid" + (at != null && at.getLineNr() > 0 ? " at line " + at.getLineNr() : ""),
                    remedy);
        }
        if (value == null) throw damaged(f, "it is empty", remedy);
        return value;
    }

    private static RefusedException damaged(Path f, String why, String remedy) {
        return new RefusedException(f + " cannot be read, " + why + ": " + remedy + ".");
    }

    /** Moves {@code name} to {@code name.bad} (or {@code name.N.bad}); returns the line for the log. */
    private String setAside(String name, String why) {
        Path f = dir.resolve(name);
        Path target = dir.resolve(name + ".bad");
        for (int i = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) target = dir.resolve(name + "." + i
                + ".bad");
        try {
            Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return why + " It could not be moved aside (" + e.getMessage() + ").";
        }
        return why.replaceFirst(": [^:]*$", "") + "; moved to " + target.getFileName() + ", starting without it.";
    }

    /** Writes the silences, dropping those that ended. */
    public void saveSilences(List<Silence> silences, Instant now) throws IOException {
        List<Silence> live = new ArrayList<>(silences.stream().filter(s -> s.until().isAfter(now)).toList());
        AtomicFile.write(dir.resolve("silences.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(live),
                "rw-------", false);
    }

    public void record(List<Notification> sent) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Notification n : sent) {
            for (AlertEvent e : n.events()) {
                b.append(e.at()).append(' ').append(e.kind()).append(' ').append(e.key()).append(' ')
                        .append(n.channel()).append(' ').append(e.summary().replace('\n', ' ')).append('\n');
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
