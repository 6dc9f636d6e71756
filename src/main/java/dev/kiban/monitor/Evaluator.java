package dev.kiban.monitor;

import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.ServiceReplicas;
import dev.kiban.engine.TaskSummary;
import dev.kiban.os.BackupLog;
import dev.kiban.spec.ByteSize;
import dev.kiban.spec.PlatformSpec.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a sweep and the event tracker into the signals each rule reads. Pure apart from remembering when a
 * container last logged an error.
 */
public final class Evaluator {
    /** An error-log alert resolves after this long without a new error line. */
    static final Duration LOG_QUIET = Duration.ofMinutes(10);
    private final List<AlertPolicy> policies;
    private final Map<String, Instant> lastError = new HashMap<>();

    public Evaluator(List<AlertPolicy> policies) {
        this.policies = policies;
    }

    public List<String> ruleNames() {
        return policies.stream().map(AlertPolicy::name).toList();
    }

    public List<String> downRuleNames() {
        return policies.stream().filter(p -> p.metric() == Metric.CONTAINER_DOWN).map(AlertPolicy::name).toList();
    }

    /** The rules that need no sweep: what an event can change at once. */
    public List<String> eventRuleNames() {
        return policies.stream().filter(p -> p.metric() == Metric.CONTAINER_DOWN
                || p.metric() == Metric.RESTART_LOOP).map(AlertPolicy::name).toList();
    }

    /** The rules on the Swarm's nodes, which the agent also reads between sweeps. */
    public List<String> nodeRuleNames() {
        return policies.stream().filter(p -> p.metric() == Metric.NODE_DOWN).map(AlertPolicy::name).toList();
    }

    /**
     * The rules a sweep evaluated: every one, but the node rules only when the nodes were read — a failed
     * listing is no reason for a node's alert to resolve.
     */
    public List<String> evaluated(Sweep sweep) {
        if (sweep.nodes().isPresent()) return ruleNames();
        return policies.stream().filter(p -> p.metric() != Metric.NODE_DOWN).map(AlertPolicy::name).toList();
    }

    /**
     * The signals of an agent whose manager does not lead the swarm: the cluster's rules (node-down, replicas)
     * may resolve or hold the alerts it raised while it led, never raise one; the leader's agent does that.
     */
    public List<Signal> asFollower(List<Signal> signals) {
        List<String> cluster = policies.stream().filter(p -> p.metric() == Metric.NODE_DOWN
                || p.metric() == Metric.REPLICAS).map(AlertPolicy::name).toList();
        return signals.stream().map(s -> s.level() == Signal.Level.BREACHED && cluster.contains(s.key().rule())
                ? new Signal(s.key(), Signal.Level.HOLD, s.value(), s.summary()) : s).toList();
    }

    /** The node rules alone, from a node listing: one signal per node (by hostname). */
    public List<Signal> nodes(List<NodeSummary> nodes) {
        List<Signal> out = new ArrayList<>();
        for (AlertPolicy p : policies) {
            if (p.metric() == Metric.NODE_DOWN) byHostname(nodes).forEach(n -> out.add(node(p, n)));
        }
        return out;
    }

    public List<Signal> events(ContainerTracker tracker, Instant now) {
        List<Signal> out = new ArrayList<>();
        for (AlertPolicy p : policies) {
            if (p.metric() == Metric.CONTAINER_DOWN) out.addAll(tracker.down(p));
            if (p.metric() == Metric.RESTART_LOOP) out.addAll(tracker.restartLoops(p, now));
        }
        return out;
    }

    public List<Signal> all(Sweep sweep, ContainerTracker tracker) {
        List<Signal> out = new ArrayList<>(events(tracker, sweep.at()));
        for (AlertPolicy p : policies) {
            switch (p.metric()) {
                case CPU -> sweep.containers().stream().filter(c -> c.running() && !Double.isNaN(c.cpuPercentOfLimit()))
                        .forEach(c -> out.add(Signal.of(p, c.name(), c.cpuPercentOfLimit(),
                                String.format(Locale.ROOT, "CPU %.0f%% of its %s-core limit (%.0f%% of the host)",
                                        c.cpuPercentOfLimit(), trim(c.cpuLimit()), c.cpuPercentOfHost()))));
                case MEMORY -> sweep.containers().stream().filter(Sweep.ContainerSample::running)
                        .forEach(c -> out.add(Signal.of(p, c.name(), c.memoryPercent(),
                                String.format(Locale.ROOT, "memory %s, %.0f%% of %s", ByteSize.ofBytes(c.workingSet()),
                                        c.memoryPercent(), c.memoryLimit() > 0
                                                ? "its " + ByteSize.ofBytes(c.memoryLimit()) + " limit"
                                                : "the host (no limit set)"))));
                case DISK -> sweep.filesystems().forEach(f -> out.add(Signal.of(p, f.path(), f.usedPercent(),
                        String.format(Locale.ROOT, "%s %.0f%% used (%s of %s)", f.path(), f.usedPercent(),
                                ByteSize.ofBytes(f.used()), ByteSize.ofBytes(f.total())))));
                case REPLICAS -> {
                    for (ServiceReplicas s : sweep.services()) {
                        if (s.desired() == 0) continue;
                        out.add(Signal.condition(p, "service:" + s.name(), s.running() < s.desired(), s.running(),
                                s.running() + " of " + s.desired() + " replicas running" + (s.running() < s.desired()
                                        ? whereShort(sweep.tasks().getOrDefault(s.id(), List.of()), sweep.nodes()
                                                .orElse(List.of())) : "")));
                    }
                }
                case LOG_ERRORS -> {
                    for (Sweep.ContainerSample c : sweep.containers()) out.add(logSignal(p, c.name(), c.errorLines(),
                            c.logErrors(), sweep.at()));
                    java.util.Set<String> units = new java.util.TreeSet<>(sweep.journalErrors().keySet());
                    lastError.keySet().stream().filter(k -> k.startsWith("journal:"))
                            .forEach(k -> units.add(k.substring("journal:".length())));
                    for (String unit : units) {
                        List<String> lines = sweep.journalErrors().getOrDefault(unit, List.of());
                        out.add(logSignal(p, "journal:" + unit, lines, lines.size(), sweep.at()));
                    }
                }
                case BACKUP -> {
                    sweep.lastBackup().ifPresent(line -> out.add(backup(p, line, sweep.at())));
                    sweep.routineRuns().forEach((job, line) -> out.add(routine(p, job, line)));
                }
                case NODE_DOWN -> sweep.nodes().ifPresent(ns -> byHostname(ns).forEach(n -> out.add(node(p, n))));
                default -> { }
            }
        }
        return out;
    }

    /** Error lines fire at once; the alert resolves after {@link #LOG_QUIET} without a new one. */
    private Signal logSignal(AlertPolicy p, String subject, List<String> lines, int count, Instant at) {
        if (count > 0) {
            lastError.put(subject, at);
            return new Signal(new AlertKey(p.name(), subject), Signal.Level.BREACHED, count,
                    count + " error line" + (count == 1 ? "" : "s") + ", last: " + lines.get(lines.size() - 1));
        }
        Instant last = lastError.get(subject);
        boolean quiet = last == null || !at.isBefore(last.plus(LOG_QUIET));
        if (quiet) lastError.remove(subject);
        return new Signal(new AlertKey(p.name(), subject), quiet ? Signal.Level.CLEAR : Signal.Level.HOLD, 0,
                quiet ? "no error lines for " + LOG_QUIET.toMinutes() + " min" : "no new error lines");
    }

    /** The backup log's last line: FAILED fires at once; OK older than 8 days (a weekly schedule missed) fires too. */
    static Signal backup(AlertPolicy p, String line, Instant now) {
        Optional<BackupLog.Line> parsed = BackupLog.parse(line);
        if (parsed.isEmpty()) {
            return Signal.condition(p, "backup", true, 0, "the backup log's last line is not kiban's: " + line);
        }
        Instant when = parsed.get().time();
        long days = Duration.between(when, now).toDays();
        String rest = parsed.get().detail();
        if (!parsed.get().ok()) {
            return Signal.condition(p, "backup", true, days, "the backup of " + when + " failed: " + rest);
        }
        if (days > 8) return Signal.condition(p, "backup", true, days, "the last successful backup is " + days
                + " days old (" + when + ")");
        return Signal.condition(p, "backup", false, days, "the backup of " + when + " succeeded");
    }

    /**
     * A weekly routine job's last line (R9.1), under the backup rule: FAILED fires at once and resolves with the
     * next OK run; a line kiban did not write fires too. Its age is not judged: the job's schedule is the spec's.
     */
    static Signal routine(AlertPolicy p, String job, String line) {
        Optional<BackupLog.Line> parsed = BackupLog.parse(line);
        if (parsed.isEmpty()) {
            return Signal.condition(p, job, true, 0, "the " + job + " log's last line is not kiban's: " + line);
        }
        BackupLog.Line l = parsed.get();
        return l.ok() ? Signal.condition(p, job, false, 0, "the " + job + " run of " + l.time() + " succeeded")
                : Signal.condition(p, job, true, 1, "the " + job + " run of " + l.time() + " failed: " + l.detail());
    }

    /**
     * Whether a node is down as the managers see it: down, unknown or disconnected, or — a manager — unreachable
     * by the other managers. Availability plays no part: a node drained on purpose and ready is not down.
     */
    static boolean down(NodeSummary n) {
        return Set.of("down", "unknown", "disconnected").contains(n.state())
                || n.manager() && "unreachable".equals(n.reachability());
    }

    /**
     * One node's reading: "node ws3 (192.168.200.13, worker) is down". The address is left out when the engine
     * gives none, or 0.0.0.0 (as it may for a manager).
     */
    static Signal node(AlertPolicy p, NodeSummary n) {
        boolean down = down(n);
        boolean noAddress = n.address().isBlank() || "0.0.0.0".equals(n.address());
        String what = n.hostname() + " (" + (noAddress ? "" : n.address() + ", ") + n.role() + ")";
        List<String> state = new ArrayList<>();
        state.add(n.state());
        if (n.manager()) state.add("unreachable".equals(n.reachability()) ? "unreachable by the other managers"
                : n.reachability().isBlank() ? "" : n.reachability());
        if (!down && !"active".equals(n.availability())) state.add(n.availability().equals("drain") ? "drained"
                : n.availability());
        state.removeIf(String::isBlank);
        return Signal.condition(p, "node:" + n.hostname(), down, down ? 1 : 0,
                "node " + what + " is " + String.join(", ", state));
    }

    /**
     * One node per hostname: a node that left and joined again stays listed (down) under its old id until it is
     * removed, and the host is up if any of its entries is.
     */
    static java.util.Collection<NodeSummary> byHostname(List<NodeSummary> nodes) {
        Map<String, NodeSummary> out = new LinkedHashMap<>();
        for (NodeSummary n : nodes) out.merge(n.hostname(), n, (a, b) -> down(a) && !down(b) ? b : a);
        return out.values();
    }

    /**
     * Where a short service's tasks went: the nodes its latest failed or shut-down tasks were on (marked when
     * down), and the engine's error of the newest failed one; empty when the tasks say nothing.
     */
    static String whereShort(List<TaskSummary> tasks, List<NodeSummary> nodes) {
        Map<String, NodeSummary> byId = new HashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        Set<String> where = new LinkedHashSet<>();
        String error = "";
        for (TaskSummary t : tasks) {
            boolean stopped = t.failed() || "shutdown".equals(t.state()) || !"running".equals(t.desiredState());
            if (t.running() || !stopped) continue;
            if (error.isEmpty() && t.failed() && t.error() != null) error = t.error().strip();
            if (t.nodeId().isEmpty() || where.size() == 5) continue;
            NodeSummary n = byId.get(t.nodeId());
            where.add(n == null ? t.nodeId().substring(0, Math.min(12, t.nodeId().length()))
                    : n.hostname() + (!down(n) ? "" : " (" + ("ready".equals(n.state()) ? "unreachable" : n.state())
                            + ")"));
        }
        if (error.length() > 200) error = error.substring(0, 200) + "…";
        return (where.isEmpty() ? "" : "; tasks failed or shut down on " + String.join(", ", where))
                + (error.isEmpty() ? "" : "; last error: " + error);
    }

    private static String trim(double cores) {
        return cores == Math.rint(cores) ? String.valueOf((long) cores) : String.format(Locale.ROOT, "%.2f", cores);
    }
}
