package dev.kiban.monitor;

import dev.kiban.engine.ContainerState;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.EngineEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the event stream says about each container: running or not, and whether its last exit was a
 * crash. A deliberate stop shows as a kill with a polite signal (docker stop, a Swarm update) before the
 * die; a die without one, with a non-zero code or an OOM kill, is a crash — so is {@code docker kill},
 * which sends SIGKILL. Swarm task containers are tracked by their slot ({@code web.1}), since a failed
 * task is replaced by a new container in the same slot. Crashes are remembered per container and per
 * service for restart-loop detection.
 */
public final class ContainerTracker {
    /** One container (or Swarm slot) as the events left it. */
    public static final class Tracked {
        final String id;
        final String subject;
        final String service;
        boolean running;
        boolean deliberate;
        boolean oom;
        int exitCode;
        Instant downSince;
        String health = "";

        Tracked(String id, String subject, String service) {
            this.id = id;
            this.subject = subject;
            this.service = service;
        }
    }

    private final Map<String, Tracked> byId = new LinkedHashMap<>();
    private final Map<String, Deque<Instant>> crashes = new LinkedHashMap<>();

    static String subject(Map<String, String> labels, String name) {
        String task = labels.get("com.docker.swarm.task.name"); // web.1.abcdef…
        if (task != null) {
            int last = task.lastIndexOf('.');
            return last > 0 ? task.substring(0, last) : task;
        }
        return name;
    }

    private Tracked track(String id, Map<String, String> labels, String name) {
        return byId.computeIfAbsent(id, i -> new Tracked(i, subject(labels, name),
                labels.getOrDefault("com.docker.swarm.service.name", "")));
    }

    /** Applies one event; true when it may change an alert at once (a crash, an OOM kill, a health change, a start). */
    public boolean onEvent(EngineEvent e, Instant at) {
        if (!e.type().equals("container")) return false;
        Tracked t = track(e.id(), e.attributes(), e.name());
        // a replay of a die already counted (reconnects overlap a second)
        if (e.verb().equals("die") && !t.running && t.downSince != null) return false;
        switch (e.verb()) {
            case "start" -> {
                t.running = true;
                t.deliberate = false;
                t.oom = false;
                t.downSince = null;
                return true;
            }
            case "kill" -> {
                String signal = e.attributes().getOrDefault("signal", "");
                if (!signal.equals("9") && !signal.equals("KILL") && !signal.equals("SIGKILL")) t.deliberate = true;
                return false;
            }
            case "stop" -> {
                t.deliberate = true;
                t.downSince = null;
                return true;
            }
            case "oom" -> {
                t.oom = true;
                return false;
            }
            case "die" -> {
                t.running = false;
                t.exitCode = parse(e.attributes().getOrDefault("exitCode", "0"));
                if (!t.deliberate && (t.exitCode != 0 || t.oom)) crash(t, at);
                return true;
            }
            case "health_status" -> {
                t.health = e.action().contains("unhealthy") ? "unhealthy" : e.action().contains("healthy") ? "healthy"
                        : "starting";
                return true;
            }
            case "destroy" -> {
                byId.remove(e.id());
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void crash(Tracked t, Instant at) {
        t.downSince = at;
        crashes.computeIfAbsent(t.subject, s -> new ArrayDeque<>()).addLast(at);
        if (!t.service.isEmpty()) crashes.computeIfAbsent("service:" + t.service, s -> new ArrayDeque<>()).addLast(at);
    }

    /**
     * Brings the view in line with a container listing, after a (re)connect: events missed while away
     * are inferred. An exited container counts as crashed only if it exited after {@code since} (so an
     * agent start does not alert on the leftovers of last month), or if {@code knownDown} says a
     * previous agent already had it down (its alert is restored, and must not resolve by forgetting).
     */
    public void reconcile(List<ContainerSummary> listed, Function<String, ContainerState> inspect, Instant since,
                          java.util.function.Predicate<String> knownDown) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (ContainerSummary c : listed) {
            ids.add(c.id());
            boolean known = byId.containsKey(c.id());
            Tracked t = track(c.id(), c.labels(), c.name());
            if (c.running() || c.restarting()) {
                t.running = c.running();
                if (c.running()) t.downSince = null;
                t.health = c.health() == ContainerSummary.Health.UNHEALTHY ? "unhealthy" : "";
                continue;
            }
            if (known && !t.running) continue; // already seen die
            t.running = false;
            ContainerState s = inspect.apply(c.id());
            t.exitCode = s.exitCode();
            t.oom = s.oomKilled();
            Instant finished = parseTime(s.finishedAt());
            if ((t.exitCode != 0 || t.oom) && (finished.isAfter(since) || knownDown.test(t.subject))
                    && t.downSince == null) crash(t, finished);
        }
        byId.keySet().retainAll(ids);
    }

    /**
     * Per subject: down (crashed and not back), or unhealthy. Swarm slots are down only while no container of
     * the slot runs.
     */
    public List<Signal> down(AlertPolicy p) {
        Map<String, Tracked> worst = new LinkedHashMap<>();
        Map<String, Boolean> slotRunning = new LinkedHashMap<>();
        for (Tracked t : byId.values()) {
            slotRunning.merge(t.subject, t.running && !t.health.equals("unhealthy"), Boolean::logicalOr);
            Tracked w = worst.get(t.subject);
            if (w == null || (t.downSince != null && (w.downSince == null
                    || t.downSince.isAfter(w.downSince)))) worst.put(t.subject, t);
        }
        List<Signal> out = new ArrayList<>();
        for (Map.Entry<String, Tracked> e : worst.entrySet()) {
            Tracked t = e.getValue();
            boolean unhealthy = byId.values().stream().anyMatch(x -> x.subject.equals(e.getKey()) && x.running
                    && x.health.equals("unhealthy"));
            boolean crashed = t.downSince != null && !slotRunning.get(e.getKey());
            String why = unhealthy ? "unhealthy: its health check fails"
                    : t.oom ? "OOM-killed (exit " + t.exitCode + ")"
                    : t.exitCode == 137 ? "killed (exit 137) at " + t.downSince
                    : "exited " + t.exitCode + " at " + t.downSince;
            out.add(Signal.condition(p, e.getKey(), crashed || unhealthy, t.exitCode,
                    crashed || unhealthy ? why : "running"));
        }
        return out;
    }

    /** Per container and per service: crashes within the window against the rule's count. */
    public List<Signal> restartLoops(AlertPolicy p, Instant now) {
        List<Signal> out = new ArrayList<>();
        Instant from = now.minus(p.window());
        for (Map.Entry<String, Deque<Instant>> e : crashes.entrySet()) {
            Deque<Instant> q = e.getValue();
            while (!q.isEmpty() && q.peekFirst().isBefore(from)) q.pollFirst();
            int n = q.size();
            Signal.Level level = n >= p.count() ? Signal.Level.BREACHED : n == 0 ? Signal.Level.CLEAR
                    : Signal.Level.HOLD;
            out.add(new Signal(new AlertKey(p.name(), e.getKey()), level, n, n + " crashes in the last "
                    + p.window().toMinutes() + " min"));
        }
        crashes.values().removeIf(Deque::isEmpty);
        return out;
    }

    public int tracked() {
        return byId.size();
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Instant parseTime(String s) {
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
