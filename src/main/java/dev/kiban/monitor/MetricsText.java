package dev.kiban.monitor;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The collected metrics and alert states in Prometheus' text exposition format (version 0.0.4): one
 * HELP and TYPE line per family, label values escaped, NaN left out rather than exported.
 */
public final class MetricsText {
    private final StringBuilder out = new StringBuilder();

    private MetricsText() {}

    public static String render(Sweep sweep, Collection<Alert> alerts, int outboxPending, long eventsSeen) {
        MetricsText m = new MetricsText();
        m.family("kiban_container_up", "gauge", "1 when the container is running");
        sweep.containers().forEach(c -> m.sample("kiban_container_up", c.running() ? 1 : 0, labels(c)));
        m.family("kiban_container_cpu_limit_ratio", "gauge",
                "CPU use as a fraction of the container's CPU limit (of the host without one)");
        sweep.containers().forEach(c -> m.sample("kiban_container_cpu_limit_ratio", c.cpuPercentOfLimit() / 100,
                labels(c)));
        m.family("kiban_container_cpu_host_ratio", "gauge", "CPU use as a fraction of all the host's CPUs");
        sweep.containers().forEach(c -> m.sample("kiban_container_cpu_host_ratio", c.cpuPercentOfHost() / 100,
                labels(c)));
        m.family("kiban_container_memory_working_set_bytes", "gauge",
                "memory in use minus inactive page cache, as docker stats computes it");
        running(sweep).forEach(c -> m.sample("kiban_container_memory_working_set_bytes", c.workingSet(), labels(c)));
        m.family("kiban_container_memory_limit_ratio", "gauge",
                "working set as a fraction of the memory limit (of the host without one)");
        running(sweep).forEach(c -> m.sample("kiban_container_memory_limit_ratio", c.memoryPercent() / 100, labels(c)));
        m.family("kiban_container_restarts_total", "counter", "restarts the engine counted for the container");
        sweep.containers().forEach(c -> m.sample("kiban_container_restarts_total", c.restartCount(), labels(c)));
        m.family("kiban_container_oom_kills_total", "counter", "OOM kills in the container's memory cgroup");
        sweep.containers().forEach(c -> m.sample("kiban_container_oom_kills_total", c.oomKills(), labels(c)));
        // A per-sweep count, not a running total: a gauge, named for what one sample holds.
        m.family("kiban_container_log_error_lines_last_sweep", "gauge",
                "error-level lines the container wrote since the previous sweep");
        sweep.containers().forEach(c -> m.sample("kiban_container_log_error_lines_last_sweep", c.logErrors(),
                labels(c)));
        m.family("kiban_service_replicas_running", "gauge", "running tasks of a Swarm service");
        sweep.services().forEach(s -> m.sample("kiban_service_replicas_running", s.running(), "service", s.name()));
        m.family("kiban_service_replicas_desired", "gauge", "tasks a Swarm service wants");
        sweep.services().forEach(s -> m.sample("kiban_service_replicas_desired", s.desired(), "service", s.name()));
        m.family("kiban_swarm_node_up", "gauge",
                "1 when the Swarm node is up as the managers see it (ready, and reachable if a manager); on a manager");
        Evaluator.byHostname(sweep.nodes().orElse(List.of())).forEach(n -> m.sample("kiban_swarm_node_up",
                Evaluator.down(n) ? 0 : 1, "node", n.hostname()));
        m.family("kiban_filesystem_used_ratio", "gauge", "used fraction of a watched filesystem, as df shows it");
        sweep.filesystems().forEach(f -> m.sample("kiban_filesystem_used_ratio", f.usedPercent() / 100, "path",
                f.path()));
        m.family("kiban_alert", "gauge", "1 for each pending or firing alert");
        alerts.forEach(a -> m.sample("kiban_alert", 1, "rule", a.key().rule(), "subject", a.key().subject(),
                "state", a.state().name().toLowerCase(Locale.ROOT)));
        m.family("kiban_outbox_pending", "gauge", "notifications waiting to be delivered");
        m.sample("kiban_outbox_pending", outboxPending);
        m.family("kiban_engine_events_total", "counter", "container events received from the engine");
        m.sample("kiban_engine_events_total", eventsSeen);
        m.family("kiban_sweep_duration_seconds", "gauge", "how long the last collection sweep took");
        m.sample("kiban_sweep_duration_seconds", sweep.nanos() / 1e9);
        return m.out.toString();
    }

    private static String[] labels(Sweep.ContainerSample c) {
        return new String[] {"container", c.name(), "service", c.service()};
    }

    private static java.util.stream.Stream<Sweep.ContainerSample> running(Sweep sweep) {
        return sweep.containers().stream().filter(Sweep.ContainerSample::running);
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, double value, String... labels) {
        if (Double.isNaN(value)) return;
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) out.append(',');
                out.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        out.append(' ');
        out.append(value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.6f", value));
        out.append('\n');
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
