package dev.kiban.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The backup log: one line per run, oldest first, {@code <UTC time> OK <summary>} or {@code <UTC time> FAILED
 * <why>}. The monitor's backup rule and verify's backup-job check read its last line, so its format lives here
 * only: lines written by earlier releases have the same shape and still parse. It sits in the OS layer, as a
 * host file format, so that the backup (its writer) and the monitor and verify (its readers) need not know each
 * other.
 */
public final class BackupLog {
    private final Path file;

    public BackupLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** How a run ended. */
    public enum Status { OK, FAILED }

    /**
     * One parsed line: when the run ended, how, and the rest of the line (an OK run's summary, which starts
     * with {@code snapshot <id>:}, or a failed run's reason).
     */
    public record Line(Instant time, Status status, String detail) {
        public boolean ok() {
            return status == Status.OK;
        }

        /** The snapshot an OK line names, when it names one. */
        public Optional<String> snapshot() {
            if (!ok() || !detail.startsWith(SNAPSHOT)) return Optional.empty();
            String rest = detail.substring(SNAPSHOT.length());
            int end = rest.indexOf(':');
            String id = end < 0 ? rest.strip() : rest.substring(0, end);
            return id.isEmpty() || id.contains(" ") ? Optional.empty() : Optional.of(id);
        }

        /** The line as it is written: one line, whatever the detail held. */
        public String format() {
            String flat = detail.replace('\n', ' ').replace('\r', ' ');
            return time + " " + status + (flat.isEmpty() ? "" : " " + flat);
        }
    }

    private static final String SNAPSHOT = "snapshot ";

    /** Appends an OK line for a run that wrote a snapshot; {@code summary} starts with {@code snapshot <id>:}. */
    public void ok(String summary) throws IOException {
        append(new Line(Instant.now(), Status.OK, summary));
    }

    /** Appends a FAILED line. */
    public void failed(String why) throws IOException {
        append(new Line(Instant.now(), Status.FAILED, why));
    }

    /**
     * Appends one line with a single write to a file opened for appending, so two runs at once (a timer and
     * an operator) never interleave their lines.
     */
    public void append(Line line) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
            // kiban runs as root: a log directory or file that is a link could send the line anywhere
            if (!Files.isDirectory(parent, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(parent + " is a symbolic link, not a directory; kiban does not follow it "
                        + "for the backup log (point backup.log at the real directory)");
            }
        }
        Files.write(file, (line.format() + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** The last line as written, empty when the log does not exist or holds no line. */
    public Optional<String> lastLine() throws IOException {
        if (!Files.exists(file)) return Optional.empty();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
    }

    /**
     * A line of the log, or empty when it is not one kiban writes (no UTC time first, no OK or FAILED after
     * it): the caller says so rather than guess.
     */
    public static Optional<Line> parse(String raw) {
        if (raw == null) return Optional.empty();
        String[] parts = raw.split(" ", 3);
        Instant when;
        try {
            when = Instant.parse(parts[0]);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (parts.length < 2) return Optional.empty();
        Status status;
        if (parts[1].equals("OK")) status = Status.OK;
        else if (parts[1].equals("FAILED")) status = Status.FAILED;
        else return Optional.empty();
        return Optional.of(new Line(when, status, parts.length > 2 ? parts[2] : ""));
    }
}
