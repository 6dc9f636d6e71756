package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.monitor.AlertPolicy;
import dev.kiban.monitor.CgroupFiles;
import dev.kiban.monitor.ChannelSettings;
import dev.kiban.monitor.Collector;
import dev.kiban.monitor.HostFacts;
import dev.kiban.monitor.MetricHistory;
import dev.kiban.monitor.MetricsEndpoint;
import dev.kiban.monitor.MonitorAgent;
import dev.kiban.monitor.MonitorState;
import dev.kiban.monitor.Sweep;
import dev.kiban.os.HostRoot;
import dev.kiban.spec.PlatformSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "monitor", mixinStandardHelpOptions = true, header = "Run the monitoring agent in the foreground (R6).",
        description = {
            "Discovers containers and Swarm services by itself and sweeps them at monitor.interval: CPU (of the "
                    + "container's limit and of the host), memory working set (of the limit, or the host without one), "
                    + "restarts, OOM kills, health, error lines in the output; running against desired replicas per "
                    + "service; used space of the data root, the data tree and the backup disk.",
            "Follows the engine's event stream, so a container that crashes or turns unhealthy is alerted within a "
                    + "second; a deliberate stop is not a crash. Restart loops: N crashes within a window.",
            "Rules (monitor.rules) fire after their 'for', resolve under their clear level, repeat while firing; one "
                    + "message per channel per evaluation. Every notification goes through a persistent outbox under "
                    + "monitor.state: an outage or a restart delays it, never loses it.",
            "Metrics: GET http://<monitor.metrics.listen>:<port>/metrics (Prometheus text format). 'kiban apply' "
                    + "installs this as kiban-monitor.service.",
            "History (monitor.history, on by default): every sweep's CPU, memory and disk per container and host "
                    + "into fixed-size files under monitor.state/history, for the dashboard's graphs.",
            ""})
final class MonitorCommand extends EngineBoundCommand {
    @Option(names = "--once", description = "One sweep: print it, send what it fires, exit (1 when alerts are firing).")
    boolean once;

    @Option(names = "--interval", paramLabel = "DURATION", description = "Override monitor.interval (e.g. 10s).",
            converter = DurationConverter.class)
    Duration interval;

    @Option(names = "--state", paramLabel = "DIR",
            description = "Override monitor.state (outbox, alert states, silences).")
    Path stateDir;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Override monitor.metrics.port; 0 picks a free port, -1 serves no metrics.")
    Integer metricsPort;

    @Option(names = "--filesystem", paramLabel = "PATH",
            description = "Watch this filesystem instead of the spec's (repeatable).")
    List<Path> filesystems;

    @Option(names = "--backup-log", paramLabel = "FILE",
            description = "Watch this backup log instead of the spec's backup.log.")
    Path backupLog;

    MonitorCommand(KibanContext context) {
        super(context);
    }

    static List<Path> filesystems(PlatformSpec spec) {
        List<Path> out = new ArrayList<>();
        out.add(Path.of(spec.engine().dataRoot().value()));
        out.add(Path.of(spec.storage().data().value()));
        out.add(Path.of(spec.backup().repository().value()));
        return out;
    }

    @Override
    public Integer call() throws Exception {
        PlatformSpec platform = SpecLoading.spec(spec).require();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, dev.kiban.monitor.Channel> channels = ChannelSettings.of(platform, context.environment(),
                ChannelSettings.used(platform));
        MonitorState state = new MonitorState(stateDir != null ? stateDir
                : HostRoot.resolve(Path.of("/"), platform.monitor().state().value()));
        Engine engine = connect();
        Collector collector = new Collector(engine, CgroupFiles.system(), HostFacts.read(),
                filesystems != null ? filesystems : filesystems(platform),
                backupLog != null ? backupLog : Path.of(platform.backup().log().value()), context.programs())
                .routineLogs(ReportDailyCommand.routineLogs(platform));
        String host = java.net.InetAddress.getLocalHost().getHostName();
        try (MonitorAgent agent = new MonitorAgent(engine, this::connect, collector, AlertPolicy.of(platform), channels,
                state, host, Clock.systemUTC(), out)) {
            Duration every = interval != null ? interval : platform.monitor().interval().duration();
            if (platform.monitor().history()) {
                try {
                    agent.recordHistory(MetricHistory.writer(state.dir().resolve("history"), every));
                } catch (java.io.IOException e) {
                    out.println("kiban monitor: no history recorded: " + e.getMessage());
                }
            }
            if (once) {
                agent.start();
                agent.sweep();
                Thread.sleep(1000); // a CPU rate needs two readings
                Sweep s = agent.sweep();
                print(out, s);
                Thread.sleep(1500); // let the delivery thread send what the sweep queued
                long firing = agent.alerts().stream().filter(a -> a.state() == dev.kiban.monitor.Alert.State.FIRING)
                        .count();
                out.println(firing + " alert" + (firing == 1 ? "" : "s") + " firing; state in " + state.dir());
                return firing == 0 ? ExitCode.OK : ExitCode.FINDINGS;
            }
            int port = metricsPort != null ? metricsPort : platform.monitor().metrics().port();
            MetricsEndpoint endpoint = port < 0 ? null
                    : new MetricsEndpoint(platform.monitor().metrics().listen().toString(), port, agent::metrics);
            try {
                agent.start();
                out.println("kiban monitor: " + channels.keySet() + " channels, every " + every.toSeconds()
                        + " s, state in " + state.dir()
                        + (endpoint == null ? "" : ", metrics on http://" + platform.monitor().metrics().listen() + ":"
                                + endpoint.port() + "/metrics"));
                out.flush();
                agent.runEvery(every);
            } finally {
                if (endpoint != null) endpoint.close();
            }
        }
        return ExitCode.OK;
    }

    static void print(PrintWriter out, Sweep s) {
        out.printf(Locale.ROOT, "%-32s %-10s %8s %8s %10s %6s %8s %6s%n", "CONTAINER", "STATE", "CPU%LIM", "CPU%HOST",
                "MEMORY", "MEM%", "RESTARTS", "ERRORS");
        for (Sweep.ContainerSample c : s.containers()) {
            out.printf(Locale.ROOT, "%-32s %-10s %8s %8s %10s %6.1f %8d %6d%n", c.name(), c.state(),
                    pct(c.cpuPercentOfLimit()), pct(c.cpuPercentOfHost()),
                    dev.kiban.spec.ByteSize.ofBytes(c.workingSet()), c.memoryPercent(), c.restartCount(),
                    c.logErrors());
        }
        s.services().forEach(v -> out.printf(Locale.ROOT, "service %-24s %d/%d replicas%n", v.name(), v.running(),
                v.desired()));
        s.filesystems().forEach(f -> out.printf(Locale.ROOT, "filesystem %-21s %.1f%% used%n", f.path(),
                f.usedPercent()));
        out.printf(Locale.ROOT, "swept %d containers in %.0f ms (counters from %s)%n", s.containers().size(),
                s.nanos() / 1e6, s.counterSource());
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
