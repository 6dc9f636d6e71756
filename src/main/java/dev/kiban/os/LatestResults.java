package dev.kiban.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The latest result of {@code kiban verify} and {@code kiban audit}, kept under the monitor's state directory
 * ({@code results/}) so that the dashboard shows them by reading files and never runs a check. The cli writes
 * them, the dashboard reads them: the file names live here only. Each run replaces its files whole.
 */
public final class LatestResults {
    /** Which command's result. */
    public enum Kind {
        VERIFY("verify"), AUDIT("audit");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** A report's format, as a file name's ending and the media type it is served with. */
    public enum Format {
        TEXT(".txt", "text/plain; charset=utf-8"), JUNIT(".junit.xml", "application/xml"),
        SARIF(".sarif", "application/sarif+json");

        private final String ending;
        private final String mediaType;

        Format(String ending, String mediaType) {
            this.ending = ending;
            this.mediaType = mediaType;
        }

        public String ending() {
            return ending;
        }

        public String mediaType() {
            return mediaType;
        }
    }

    /** The summary line of a run: when it ended, whether it found something, and its one-line summary. */
    public record Summary(Instant at, boolean findings, String text) {}

    private final Path dir;

    /** Under {@code monitorState} (the spec's monitor.state). */
    public LatestResults(Path monitorState) {
        this.dir = monitorState.resolve("results");
    }

    public Path dir() {
        return dir;
    }

    /**
     * Saves a run's reports and summary. Only where the monitor's state directory exists (apply or the agent made
     * it): a host without one has no dashboard to show them, and a test run must not make it.
     *
     * @return false when there is no state directory, so nothing was saved
     */
    public boolean save(Kind kind, Summary summary, Map<Format, String> reports) throws IOException {
        Path state = dir.getParent();
        if (!Files.isDirectory(state, LinkOption.NOFOLLOW_LINKS)) return false;
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) AtomicFile.requireRealDirectory(dir);
        else Files.createDirectories(dir);
        for (var r : reports.entrySet()) {
            AtomicFile.write(file(kind, r.getKey()), r.getValue().getBytes(StandardCharsets.UTF_8), "rw-------",
                    false);
        }
        String line = summary.at() + " " + (summary.findings() ? "FINDINGS" : "OK") + " "
                + summary.text().replace('\n', ' ').replace('\r', ' ') + "\n";
        AtomicFile.write(dir.resolve(kind.word() + ".summary"), line.getBytes(StandardCharsets.UTF_8), "rw-------",
                false);
        return true;
    }

    /** The last run's summary; empty when it never ran here or the file is not one kiban wrote. */
    public Optional<Summary> summary(Kind kind) throws IOException {
        Optional<String> raw = read(dir.resolve(kind.word() + ".summary"));
        if (raw.isEmpty()) return Optional.empty();
        String[] parts = raw.get().strip().split(" ", 3);
        if (parts.length < 3) return Optional.empty();
        try {
            return Optional.of(new Summary(Instant.parse(parts[0]), parts[1].equals("FINDINGS"), parts[2]));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A saved report; empty when there is none. Never follows a link. */
    public Optional<String> report(Kind kind, Format format) throws IOException {
        return read(file(kind, format));
    }

    public Path file(Kind kind, Format format) {
        return dir.resolve(kind.word() + format.ending());
    }

    private static Optional<String> read(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    }
}
