package dev.kiban.monitor;

import dev.kiban.engine.ContainerState;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Engine;
import dev.kiban.os.FilesystemUsage;
import dev.kiban.os.HostPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The daily report of R6.1, logwatch's role for the platform: containers and their restarts, the most
 * frequent error lines per container, sshd and fail2ban events from the journal, disk use and its trend,
 * the last backup's result, and the day's alerts. Plain text, for a terminal or a mail.
 */
public final class DailyReport {
    private DailyReport() {}

    public record Inputs(Engine engine, List<Path> filesystems, MonitorState state, Path backupLog, Instant since,
                         Instant now, String host, HostPrograms programs, Map<String, Path> routineLogs) {
        /** Without the weekly routine's logs. */
        public Inputs(Engine engine, List<Path> filesystems, MonitorState state, Path backupLog, Instant since,
                      Instant now, String host, HostPrograms programs) {
            this(engine, filesystems, state, backupLog, since, now, host, programs, Map.of());
        }
    }

    /** Everything the report says, gathered first; {@link #render} only formats it. */
    public record Facts(String host, Instant since, Instant now, Optional<List<ContainerLine>> containers,
                        Map<String, Map<String, Integer>> errorLines, Journal journal, List<Disk> disks,
                        Path backupLog, Optional<String> lastBackup, List<String> alerts, List<RoutineLast> routine) {
        /** Without the weekly routine. */
        public Facts(String host, Instant since, Instant now, Optional<List<ContainerLine>> containers,
                     Map<String, Map<String, Integer>> errorLines, Journal journal, List<Disk> disks,
                     Path backupLog, Optional<String> lastBackup, List<String> alerts) {
            this(host, since, now, containers, errorLines, journal, disks, backupLog, lastBackup, alerts, List.of());
        }
    }

    /** A job of the weekly routine (R9.1) and its log's last line; empty: it never ran. */
    public record RoutineLast(String job, Optional<String> lastLine) {}

    /** One container; {@code containers} is empty when no engine answered. */
    public record ContainerLine(String name, String state, int restarts, boolean oomKilled, boolean unhealthy) {}

    /** A watched filesystem: empty use when it is not there; the trend in points over the last 24 h. */
    public record Disk(Path path, Optional<Double> usedPercent, Optional<Double> trendPoints) {}

    /** What the journal said about sshd and fail2ban, or why it could not say. */
    public sealed interface Journal {
        record NotInstalled() implements Journal {}

        record Unreadable(String reason) implements Journal {}

        record Counts(Map<String, Long> counts, boolean noEntries) implements Journal {}
    }

    public static String render(Inputs in) throws IOException {
        return render(gather(in));
    }

    public static Facts gather(Inputs in) throws IOException {
        Optional<List<ContainerLine>> containers = Optional.empty();
        Map<String, Map<String, Integer>> errors = new LinkedHashMap<>();
        if (in.engine() != null) {
            List<ContainerSummary> all = in.engine().containers().stream()
                    .sorted(Comparator.comparing(ContainerSummary::name)).toList();
            List<ContainerLine> lines = new ArrayList<>();
            for (ContainerSummary c : all) {
                ContainerState s = in.engine().inspectContainer(c.id());
                lines.add(new ContainerLine(c.name(), c.state(), s.restartCount(), s.oomKilled(),
                        c.health() == ContainerSummary.Health.UNHEALTHY));
                if (c.running()) {
                    Map<String, Integer> counts = errorCounts(in.engine().logLines(c.id(), in.since().getEpochSecond(),
                            100_000));
                    if (!counts.isEmpty()) errors.put(c.name(), counts);
                }
            }
            containers = Optional.of(lines);
        }
        Optional<String> lastBackup = Optional.empty();
        if (in.backupLog() != null && Files.exists(in.backupLog())) {
            List<String> lines = Files.readAllLines(in.backupLog());
            lastBackup = Optional.of(lines.isEmpty() ? "none" : lines.get(lines.size() - 1));
        }
        List<RoutineLast> routine = new ArrayList<>();
        for (Map.Entry<String, Path> e : in.routineLogs().entrySet()) {
            Optional<String> last;
            try {
                last = new dev.kiban.os.BackupLog(e.getValue()).lastLine();
            } catch (IOException unreadable) {
                last = Optional.of("unreadable " + e.getValue()); // not a line kiban writes: shown as unreadable
            }
            routine.add(new RoutineLast(e.getKey(), last));
        }
        return new Facts(in.host(), in.since(), in.now(), containers, errors, journal(in.programs(), in.since()),
                disks(in), in.backupLog(), lastBackup, in.state().history(in.since()), List.copyOf(routine));
    }

    static Map<String, Integer> errorCounts(List<String> logLines) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : logLines) {
            int sp = line.indexOf(' ');
            String text = sp < 0 ? line : line.substring(sp + 1);
            if (Collector.ERROR.matcher(text).find()) counts.merge(normalise(text), 1, Integer::sum);
        }
        return counts;
    }

    public static String render(Facts f) {
        StringBuilder b = new StringBuilder();
        b.append("kiban daily report for ").append(f.host()).append(", ").append(f.since()).append(" to ")
                .append(f.now()).append("\n\n");
        b.append("== Containers\n");
        if (f.containers().isEmpty()) {
            b.append("  no engine answered\n\n");
        } else {
            List<ContainerLine> all = f.containers().get();
            long running = all.stream().filter(c -> c.state().equals("running")).count();
            b.append(String.format(Locale.ROOT, "  %d containers, %d running%n", all.size(), running));
            for (ContainerLine c : all) {
                b.append(String.format(Locale.ROOT, "  %-36s %-10s restarts %-3d%s%s%n", c.name(), c.state(),
                        c.restarts(), c.oomKilled() ? " OOM-killed" : "", c.unhealthy() ? " UNHEALTHY" : ""));
            }
            b.append("\n== Error lines (most frequent per container)\n");
            f.errorLines().forEach((name, counts) -> {
                b.append("  ").append(name).append(": ").append(counts.values().stream()
                        .mapToInt(Integer::intValue).sum()).append(" error lines\n");
                counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5)
                        .forEach(e -> b.append(String.format(Locale.ROOT, "    %5d x %s%n", e.getValue(), e.getKey())));
            });
            if (f.errorLines().isEmpty()) b.append("  none\n");
            b.append('\n');
        }
        b.append("== sshd and fail2ban (journal)\n");
        if (f.journal() instanceof Journal.NotInstalled) {
            b.append("  journalctl is not installed\n");
        } else if (f.journal() instanceof Journal.Unreadable u) {
            b.append("  the journal could not be read: ").append(u.reason()).append('\n');
        } else if (f.journal() instanceof Journal.Counts c) {
            if (c.noEntries()) b.append("  no entries; is the journal persistent? (R6.1)\n");
            c.counts().forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-16s %d%n", k, v)));
        }
        b.append("\n== Disks\n");
        for (Disk d : f.disks()) {
            if (d.usedPercent().isEmpty()) {
                b.append("  ").append(d.path()).append(": not present\n");
                continue;
            }
            String trend = d.trendPoints().map(t -> String.format(Locale.ROOT, " (%+.1f points in 24 h)", t))
                    .orElse("");
            b.append(String.format(Locale.ROOT, "  %-28s %5.1f%% used%s%n", d.path(), d.usedPercent().get(), trend));
        }
        b.append("\n== Backup\n");
        if (f.lastBackup().isEmpty()) b.append("  no backup has run (no ").append(f.backupLog()).append(")\n\n");
        else b.append("  last run: ").append(f.lastBackup().get()).append("\n\n");
        if (!f.routine().isEmpty()) {
            b.append("== Weekly routine (last runs)\n");
            int width = f.routine().stream().mapToInt(r -> r.job().length()).max().orElse(0);
            for (RoutineLast r : f.routine()) b.append(routineLine(r, width)).append('\n');
            b.append('\n');
        }
        b.append("== Alerts\n");
        if (f.alerts().isEmpty()) b.append("  none\n");
        f.alerts().forEach(l -> b.append("  ").append(l).append('\n'));
        return b.toString();
    }

    /** {@code  image-prune  ok      2026-11-29T03:00:05Z}; a failure with its detail; "never" with no run. */
    static String routineLine(RoutineLast r, int width) {
        String job = String.format(Locale.ROOT, "  %-" + Math.max(width, 1) + "s  ", r.job());
        if (r.lastLine().isEmpty()) return job + "never";
        Optional<dev.kiban.os.BackupLog.Line> line = dev.kiban.os.BackupLog.parse(r.lastLine().get());
        if (line.isEmpty()) return job + "unreadable: " + dev.kiban.spec.SpecText.shown(r.lastLine().get());
        if (line.get().ok()) return job + "ok      " + line.get().time();
        return job + "FAILED  " + line.get().time() + "  " + line.get().detail();
    }

    /** Numbers and hex ids vary between otherwise identical lines; group on the rest. */
    static String normalise(String line) {
        String s = line.strip().replaceAll("\\b[0-9a-f]{12,}\\b", "<id>").replaceAll("\\d+", "N");
        return s.length() > 160 ? s.substring(0, 159) + "…" : s;
    }

    static Journal journal(HostPrograms programs, Instant since) throws IOException {
        Optional<Path> journalctl = programs.find("journalctl");
        if (journalctl.isEmpty()) return new Journal.NotInstalled();
        HostPrograms.Result r = programs.run(List.of(journalctl.get().toString(), "--no-pager", "-o", "cat", "--since",
                "@" + since.getEpochSecond(), "-u", "ssh", "-u", "sshd", "-u", "fail2ban"), Duration.ofSeconds(60));
        // A failed journalctl is not "no logins": say it could not be read, with its first line.
        if (!r.ok()) {
            return new Journal.Unreadable(r.output().lines().findFirst().orElse("journalctl failed").strip());
        }
        return journalCounts(r.output());
    }

    static Journal.Counts journalCounts(String journal) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("failed logins", journal.lines().filter(l -> l.contains("Failed password")
                || l.contains("Invalid user")).count());
        counts.put("accepted logins", journal.lines().filter(l -> l.startsWith("Accepted ")).count());
        counts.put("bans", journal.lines().filter(l -> l.contains(" Ban ")).count());
        counts.put("unbans", journal.lines().filter(l -> l.contains(" Unban ")).count());
        return new Journal.Counts(counts, journal.contains("No entries") || journal.isBlank());
    }

    private static List<Disk> disks(Inputs in) throws IOException {
        Map<String, List<String[]>> history = new TreeMap<>();
        Path log = in.state().dir().resolve("disk.log");
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                String[] f = line.split(" ");
                if (f.length == 3) history.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f);
            }
        }
        List<Disk> disks = new ArrayList<>();
        Instant dayAgo = in.now().minus(Duration.ofDays(1));
        for (Path p : in.filesystems()) {
            Optional<FilesystemUsage> u = FilesystemUsage.of(p);
            if (u.isEmpty()) {
                disks.add(new Disk(p, Optional.empty(), Optional.empty()));
                continue;
            }
            Optional<Double> trend = history.getOrDefault(p.toString(), List.of()).stream()
                    .filter(f -> !Instant.parse(f[0]).isAfter(dayAgo)).reduce((x, y) -> y)
                    .map(then -> u.get().usedPercent() - Double.parseDouble(then[2]));
            disks.add(new Disk(p, Optional.of(u.get().usedPercent()), trend));
        }
        return disks;
    }

    /** What the agent appends hourly so the report can show a trend: time, path, used percent. */
    public static void recordDisks(MonitorState state, Sweep sweep) throws IOException {
        Path log = state.dir().resolve("disk.log");
        if (Files.exists(log)) {
            List<String> lines = Files.readAllLines(log);
            if (!lines.isEmpty()) {
                Instant last = Instant.parse(lines.get(lines.size() - 1).split(" ")[0]);
                if (Duration.between(last, sweep.at()).toMinutes() < 60) return;
            }
        }
        StringBuilder b = new StringBuilder();
        sweep.filesystems().forEach(f -> b.append(sweep.at()).append(' ').append(f.path()).append(' ')
                .append(String.format(Locale.ROOT, "%.2f", f.usedPercent())).append('\n'));
        Files.writeString(log, b, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
}
