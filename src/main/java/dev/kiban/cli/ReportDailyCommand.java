package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.monitor.ChannelSettings;
import dev.kiban.monitor.DailyReport;
import dev.kiban.monitor.Delivery;
import dev.kiban.monitor.MailChannel;
import dev.kiban.spec.PlatformSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "daily", mixinStandardHelpOptions = true,
        header = "The daily report: containers and restarts, error lines, sshd/fail2ban, disks, backup, alerts.",
        description = {"Covers the last 24 hours. With --mail it goes to the mail channel's recipients "
                + "(monitor.channels.mail); 'kiban apply' installs a timer that mails it every morning.", ""})
final class ReportDailyCommand extends EngineBoundCommand {
    @Mixin
    StateOptions stateOptions;

    @Option(names = "--mail", description = "Mail the report instead of printing it.")
    boolean mail;

    @Option(names = "--backup-log", paramLabel = "FILE",
            description = "The backup log to read. Default: the spec's backup.log.")
    Path backupLog;

    @Mixin
    OutputOptions output;

    ReportDailyCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws Exception {
        PlatformSpec platform = SpecLoading.spec(spec).require();
        Engine engine = connectIfAvailable(why -> { }); // the report says so in its containers section
        Instant now = Instant.now();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        DailyReport.Facts facts;
        try {
            facts = DailyReport.gather(new DailyReport.Inputs(engine, MonitorCommand.filesystems(platform),
                    stateOptions.open(platform),
                    backupLog != null ? backupLog : Path.of(platform.backup().log().value()),
                    now.minus(Duration.ofDays(1)), now, host, context.programs(), routineLogs(platform)));
        } finally {
            if (engine != null) engine.close();
        }
        String text = DailyReport.render(facts);
        if (!mail) {
            if (output.json) OutputOptions.print(spec, Report.of(facts));
            else spec.commandLine().getOut().print(text);
            return ExitCode.OK;
        }
        MailChannel channel = (MailChannel) ChannelSettings.of(platform, context.environment(), List.of("mail"))
                .get("mail");
        Delivery d = channel.send("[kiban] daily report for " + host, text, now.toEpochMilli() + "-daily");
        if (output.json) {
            String detail = d instanceof Delivery.Delivered ok ? ok.detail()
                    : d instanceof Delivery.Retry retry ? retry.reason() : ((Delivery.Rejected) d).reason();
            OutputOptions.print(spec, Map.of("mailed", d instanceof Delivery.Delivered, "detail", detail));
        } else {
            spec.commandLine().getOut().println(outcome(d));
        }
        return d instanceof Delivery.Delivered ? ExitCode.OK : ExitCode.FINDINGS;
    }

    /**
     * The mailing's outcome as the operator reads it (the unit's journal). The report is sent once, not
     * through the alert outbox, so a passing failure is not retried: it says so and what to do.
     */
    static String outcome(Delivery d) {
        if (d instanceof Delivery.Delivered ok) return "mailed: " + ok.detail();
        if (d instanceof Delivery.Retry retry) {
            return "not mailed: " + retry.reason() + "; this report is not retried: "
                    + "run 'kiban report daily --mail' again once the mail server answers";
        }
        return "not mailed: " + ((Delivery.Rejected) d).reason() + "; the mail server will not take this report";
    }

    /**
     * report daily --json: the facts the text is made of. Times and paths as text; containers is null when no
     * engine answered; journal.status is counts, not-installed or unreadable.
     */
    record Report(String host, String since, String until, Optional<List<DailyReport.ContainerLine>> containers,
                  Map<String, Map<String, Integer>> errorLines, Journal journal, List<Disk> disks, String backupLog,
                  Optional<String> lastBackup, List<String> alerts, List<DailyReport.RoutineLast> routine) {
        record Journal(String status, String reason, Map<String, Long> counts, boolean noEntries) {}

        record Disk(String path, Optional<Double> usedPercent, Optional<Double> trendPoints) {}

        static Report of(DailyReport.Facts f) {
            Journal journal = f.journal() instanceof DailyReport.Journal.Counts c
                    ? new Journal("counts", "", c.counts(), c.noEntries())
                    : f.journal() instanceof DailyReport.Journal.Unreadable u
                    ? new Journal("unreadable", u.reason(), Map.of(), true)
                    : new Journal("not-installed", "", Map.of(), true);
            List<Disk> disks = f.disks().stream()
                    .map(d -> new Disk(d.path().toString(), d.usedPercent(), d.trendPoints())).toList();
            return new Report(f.host(), f.since().toString(), f.now().toString(), f.containers(), f.errorLines(),
                    journal, disks, f.backupLog().toString(), f.lastBackup(), f.alerts(), f.routine());
        }
    }

    /** The logs of the weekly routine's jobs the spec has, by job, in the routine's order. */
    static Map<String, Path> routineLogs(PlatformSpec platform) {
        Map<String, Path> out = new java.util.LinkedHashMap<>();
        Path dir = Path.of(platform.maintenance().logs().value());
        for (dev.kiban.os.RoutineLog job : dev.kiban.os.RoutineLog.enabled(platform)) out.put(job.job(), job.file(dir));
        return out;
    }
}
