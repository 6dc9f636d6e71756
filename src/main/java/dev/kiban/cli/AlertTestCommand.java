package dev.kiban.cli;

import dev.kiban.monitor.Channel;
import dev.kiban.monitor.ChannelSettings;
import dev.kiban.monitor.MonitorState;
import dev.kiban.monitor.Notification;
import dev.kiban.monitor.Outbox;
import dev.kiban.spec.PlatformSpec;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "test", mixinStandardHelpOptions = true,
        header = "Send a test notification through the real path and say whether it arrived (R11.2).",
        description = {"The notification goes through the outbox and the channel as an alert would. Exit 0 when every "
                + "channel took it, 1 otherwise (a notification that could not be sent stays in the outbox for the "
                + "agent to retry).", ""})
final class AlertTestCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    final KibanContext context;

    @Mixin
    StateOptions stateOptions;

    @Option(names = "--channel", paramLabel = "NAME",
            description = "Only this channel (discord, mail, webhook). Default: every channel a rule uses.")
    String channel;

    AlertTestCommand(KibanContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PlatformSpec platform = SpecLoading.spec(spec).require();
        List<String> names = channel != null ? List.of(channel) : ChannelSettings.used(platform);
        Map<String, Channel> channels = ChannelSettings.of(platform, context.environment(), names);
        MonitorState state = stateOptions.open(platform);
        Outbox outbox = state.outbox();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Instant now = Instant.now();
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        for (String name : names) {
            Notification n = new Notification(now.toEpochMilli() + "-test-" + name, name, host, now, List.of(), true);
            outbox.add(n);
            Outbox.Report r = outbox.drainOne(channels, n, now);
            if (!r.delivered().isEmpty()) out.println(name + ": delivered ("
                    + r.delivered().get(0).replaceFirst("^\\S+ \\S+: ", "") + ")");
            else {
                failed++;
                String why = !r.rejected().isEmpty() ? "refused: " + r.rejected().get(0) : !r.retrying().isEmpty()
                        ? "not delivered, kept for retry: " + r.retrying().get(0) : "not sent";
                out.println(name + ": " + why.replaceFirst(name + " \\S+: ", ""));
            }
        }
        return failed == 0 ? ExitCode.OK : ExitCode.FINDINGS;
    }
}
