package dev.kiban.monitor;

import dev.kiban.engine.ContainerState;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Engine;
import dev.kiban.host.FilesystemUsage;
import dev.kiban.host.Tool;
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

    public record Inputs(Engine engine, List<Path> filesystems, MonitorState state, Path backupLog, Instant since, Instant now, String host) {}

    public static String render(Inputs in) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("kiban daily report for ").append(in.host()).append(", ").append(in.since()).append(" to ").append(in.now()).append("\n\n");
        containers(in, b);
        journal(in, b);
        disks(in, b);
        backup(in, b);
        alerts(in, b);
        return b.toString();
    }

    private static void containers(Inputs in, StringBuilder b) {
        b.append("== Containers\n");
        if (in.engine() == null) {
            b.append("  no engine answered\n\n");
            return;
        }
        List<ContainerSummary> all = in.engine().containers();
        long running = all.stream().filter(ContainerSummary::running).count();
        b.append(String.format(Locale.ROOT, "  %d containers, %d running%n", all.size(), running));
        for (ContainerSummary c : all.stream().sorted(Comparator.comparing(ContainerSummary::name)).toList()) {
            ContainerState s = in.engine().inspectContainer(c.id());
            b.append(String.format(Locale.ROOT, "  %-36s %-10s restarts %-3d%s%s%n", c.name(), c.state(), s.restartCount(),
                    s.oomKilled() ? " OOM-killed" : "", c.health() == ContainerSummary.Health.UNHEALTHY ? " UNHEALTHY" : ""));
        }
        b.append("\n== Error lines (most frequent per container)\n");
        boolean any = false;
        for (ContainerSummary c : all.stream().filter(ContainerSummary::running).sorted(Comparator.comparing(ContainerSummary::name)).toList()) {
            Map<String, Integer> counts = new TreeMap<>();
            for (String line : in.engine().logLines(c.id(), in.since().getEpochSecond(), 100_000)) {
                int sp = line.indexOf(' ');
                String text = sp < 0 ? line : line.substring(sp + 1);
                if (Collector.ERROR.matcher(text).find()) counts.merge(normalise(text), 1, Integer::sum);
            }
            if (counts.isEmpty()) continue;
            any = true;
            b.append("  ").append(c.name()).append(": ").append(counts.values().stream().mapToInt(Integer::intValue).sum()).append(" error lines\n");
            counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5)
                    .forEach(e -> b.append(String.format(Locale.ROOT, "    %5d x %s%n", e.getValue(), e.getKey())));
        }
        if (!any) b.append("  none\n");
        b.append('\n');
    }

    /** Numbers and hex ids vary between otherwise identical lines; group on the rest. */
    static String normalise(String line) {
        String s = line.strip().replaceAll("\\b[0-9a-f]{12,}\\b", "<id>").replaceAll("\\d+", "N");
        return s.length() > 160 ? s.substring(0, 159) + "…" : s;
    }

    private static void journal(Inputs in, StringBuilder b) throws IOException {
        b.append("== sshd and fail2ban (journal)\n");
        Optional<Path> journalctl = Tool.find("journalctl");
        if (journalctl.isEmpty()) {
            b.append("  journalctl is not installed\n\n");
            return;
        }
        Tool.Result r = Tool.run(List.of(journalctl.get().toString(), "--no-pager", "-o", "cat", "--since", "@" + in.since().getEpochSecond(), "-u", "ssh",
                "-u", "sshd", "-u", "fail2ban"), Duration.ofSeconds(60));
        if (!r.ok() && r.output().isBlank()) {
            b.append("  the journal could not be read\n\n");
            return;
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("failed logins", r.output().lines().filter(l -> l.contains("Failed password") || l.contains("Invalid user")).count());
        counts.put("accepted logins", r.output().lines().filter(l -> l.startsWith("Accepted ")).count());
        counts.put("bans", r.output().lines().filter(l -> l.contains(" Ban ")).count());
        counts.put("unbans", r.output().lines().filter(l -> l.contains(" Unban ")).count());
        if (r.output().contains("No entries") || r.output().isBlank()) b.append("  no entries (is the journal persistent? R6.1)\n");
        counts.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-16s %d%n", k, v)));
        b.append('\n');
    }

    private static void disks(Inputs in, StringBuilder b) throws IOException {
        b.append("== Disks\n");
        Map<String, List<String[]>> history = new TreeMap<>();
        Path log = in.state().dir().resolve("disk.log");
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                String[] f = line.split(" ");
                if (f.length == 3) history.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f);
            }
        }
        for (Path p : in.filesystems()) {
            Optional<FilesystemUsage> u = FilesystemUsage.of(p);
            if (u.isEmpty()) {
                b.append("  ").append(p).append(": not present\n");
                continue;
            }
            String trend = "";
            List<String[]> h = history.getOrDefault(p.toString(), List.of());
            Instant dayAgo = in.now().minus(Duration.ofDays(1));
            Optional<String[]> then = h.stream().filter(f -> !Instant.parse(f[0]).isAfter(dayAgo)).reduce((x, y) -> y);
            if (then.isPresent()) trend = String.format(Locale.ROOT, " (%+.1f points in 24 h)", u.get().usedPercent() - Double.parseDouble(then.get()[2]));
            b.append(String.format(Locale.ROOT, "  %-28s %5.1f%% used%s%n", p, u.get().usedPercent(), trend));
        }
        b.append('\n');
    }

    private static void backup(Inputs in, StringBuilder b) throws IOException {
        b.append("== Backup\n");
        if (in.backupLog() == null || !Files.exists(in.backupLog())) b.append("  no backup has run (no ").append(in.backupLog()).append(")\n\n");
        else {
            List<String> lines = Files.readAllLines(in.backupLog());
            b.append("  last run: ").append(lines.isEmpty() ? "none" : lines.get(lines.size() - 1)).append("\n\n");
        }
    }

    private static void alerts(Inputs in, StringBuilder b) throws IOException {
        b.append("== Alerts\n");
        List<String> lines = in.state().history(in.since());
        if (lines.isEmpty()) b.append("  none\n");
        lines.forEach(l -> b.append("  ").append(l).append('\n'));
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
