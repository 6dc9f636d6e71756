package dev.kiban.dashboard;

import dev.kiban.os.BackupLog;
import dev.kiban.os.RoutineLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The backups, read without the repository's key: each run from the backup log (its snapshot, what it read and
 * what it added, whence the deduplication), the repository's size and snapshot count on disk, and the weekly
 * read-back (restore test) from the routine's log.
 */
final class BackupsPage {
    static final int MAX_RUNS = 60;
    private static final Pattern SIZES = Pattern.compile("(\\d+) files .*?, ([0-9.]+ ?[KMGTP]?i?B) read, .*?"
            + "([0-9.]+ ?[KMGTP]?i?B) added");

    private BackupsPage() {}

    static String render(Sources sources) {
        StringBuilder b = new StringBuilder("<section id=\"repository\"><h2>Repository</h2>");
        Path repo = sources.repository();
        if (!Files.isDirectory(repo, LinkOption.NOFOLLOW_LINKS)) {
            b.append("<p class=\"none\">No repository at ").append(Html.escape(repo.toString())).append(" yet.</p>");
        } else {
            try {
                long snapshots = count(repo.resolve("snapshots"));
                long packBytes = size(repo.resolve("packs"));
                b.append("<dl>").append(Pages.dt("Path", repo.toString()))
                        .append("<dt>Snapshots</dt><dd id=\"snapshots\">").append(snapshots).append("</dd>")
                        .append(Pages.dt("Data on disk", Html.bytes(packBytes))).append("</dl>");
            } catch (IOException | RuntimeException e) {
                b.append(Html.errorBox("The repository is unreadable", Pages.reason(e)));
            }
        }
        b.append("</section>\n<section id=\"runs\"><h2>Runs</h2>");
        List<BackupLog.Line> runs = lines(sources.backupLog());
        List<List<String>> rows = new ArrayList<>();
        for (int i = runs.size() - 1; i >= 0 && rows.size() < MAX_RUNS; i--) {
            BackupLog.Line l = runs.get(i);
            Matcher m = SIZES.matcher(l.detail());
            rows.add(List.of(Html.escape(l.time().toString()), Html.state(l.status().name(), !l.ok()),
                    Html.escape(l.snapshot().orElse("")), Html.escape(m.find() ? m.group(2) : ""),
                    Html.escape(m.find(0) ? m.group(3) : ""), Html.escape(l.detail())));
        }
        b.append(Html.table(List.of("ended", "result", "snapshot", "read", "added", "summary"), rows,
                "No backup has run (no " + sources.backupLog() + ")."));
        b.append(dedup(runs)).append("</section>\n<section id=\"readback\"><h2>Read-back (restore test)</h2>");
        List<BackupLog.Line> checks = lines(RoutineLog.BACKUP_VERIFY.file(sources.routineLogs()));
        rows = new ArrayList<>();
        for (int i = checks.size() - 1; i >= 0 && rows.size() < MAX_RUNS; i--) {
            BackupLog.Line l = checks.get(i);
            rows.add(List.of(Html.escape(l.time().toString()), Html.state(l.status().name(), !l.ok()),
                    Html.escape(l.detail())));
        }
        b.append(Html.table(List.of("ended", "result", "detail"), rows, "The weekly read-back has not run yet."));
        return b.append("</section>\n").toString();
    }

    /** Bytes read over bytes added, over every run the log holds. */
    private static String dedup(List<BackupLog.Line> runs) {
        double read = 0;
        double added = 0;
        for (BackupLog.Line l : runs) {
            Matcher m = SIZES.matcher(l.detail());
            if (!l.ok() || !m.find()) continue;
            Optional<Double> r = bytes(m.group(2));
            Optional<Double> a = bytes(m.group(3));
            if (r.isEmpty() || a.isEmpty()) continue;
            read += r.get();
            added += a.get();
        }
        if (read == 0) return "";
        return "<p>Deduplication: <span id=\"dedup\">" + (added == 0 ? "all data already stored"
                : String.format(Locale.ROOT, "%.1f×", read / added)) + "</span> (" + Html.escape(Html.bytes(
                (long) read)) + " read, " + Html.escape(Html.bytes((long) added)) + " added over these runs)</p>";
    }

    static Optional<Double> bytes(String text) {
        Matcher m = Pattern.compile("([0-9.]+) ?([KMGTP]?)i?B").matcher(text.strip());
        if (!m.matches()) return Optional.empty();
        int power = "KMGTP".indexOf(m.group(2)) + 1;
        return Optional.of(Double.parseDouble(m.group(1)) * Math.pow(1024, m.group(2).isEmpty() ? 0 : power));
    }

    private static List<BackupLog.Line> lines(Path log) {
        if (!Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) return List.of();
        try (Stream<String> s = Files.lines(log, StandardCharsets.UTF_8)) {
            return s.map(BackupLog::parse).flatMap(Optional::stream).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).count();
        }
    }

    private static long size(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return 0;
        try (Stream<Path> s = Files.walk(dir, 4)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }
}
