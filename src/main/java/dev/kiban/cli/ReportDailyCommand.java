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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "daily", mixinStandardHelpOptions = true, header = "The daily report: containers and restarts, error lines, sshd/fail2ban, disks, backup, alerts.",
        description = {"Covers the last 24 hours. With --mail it goes to the mail channel's recipients (monitor.channels.mail); 'kiban apply' "
                + "installs a timer that mails it every morning.", ""})
final class ReportDailyCommand extends EngineCommandBase {
    @Mixin
    StateOptions stateOptions;

    @Option(names = "--mail", description = "Mail the report instead of printing it.")
    boolean mail;

    @Option(names = "--backup-log", paramLabel = "FILE", description = "The backup log to read. Default: the spec's backup.log.")
    Path backupLog;

    ReportDailyCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws Exception {
        PlatformSpec platform = CommandSupport.spec(spec).require();
        Engine engine = connectIfAvailable(why -> { }); // the report says so in its containers section
        Instant now = Instant.now();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        String text;
        try {
            text = DailyReport.render(new DailyReport.Inputs(engine, MonitorCommand.filesystems(platform), stateOptions.open(platform),
                    backupLog != null ? backupLog : Path.of(platform.backup().log().value()), now.minus(Duration.ofDays(1)), now, host));
        } finally {
            if (engine != null) engine.close();
        }
        if (!mail) {
            spec.commandLine().getOut().print(text);
            return ExitCode.OK;
        }
        MailChannel channel = (MailChannel) ChannelSettings.of(platform, context.environment(), List.of("mail")).get("mail");
        Delivery d = channel.send("[kiban] daily report for " + host, text, now.toEpochMilli() + "-daily");
        spec.commandLine().getOut().println(d instanceof Delivery.Delivered ok ? "mailed: " + ok.detail() : "not mailed: " + d);
        return d instanceof Delivery.Delivered ? ExitCode.OK : ExitCode.FINDINGS;
    }
}
