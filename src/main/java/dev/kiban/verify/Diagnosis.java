package dev.kiban.verify;

import dev.kiban.engine.ContainerState;
import dev.kiban.engine.ContainerStats;
import java.util.List;
import java.util.Optional;

/**
 * The facts the troubleshooting flow of R9.2 gathers for one container, in the order the design walks
 * them, and the most likely cause they point to. {@link #cause()} is pure, so each rule is tested alone.
 * {@code notes} say where in the Swarm it was gathered when that limits what it saw (on a worker).
 */
public record Diagnosis(String target, ContainerState state, List<String> taskErrors, String logs,
                        Optional<ContainerStats> stats, List<String> events, HostResources host,
                        Optional<Integer> selinuxDenials, List<String> notes) {
    public Diagnosis(String target, ContainerState state, List<String> taskErrors, String logs,
                     Optional<ContainerStats> stats, List<String> events, HostResources host,
                     Optional<Integer> selinuxDenials) {
        this(target, state, taskErrors, logs, stats, events, host, selinuxDenials, List.of());
    }

    /** The host at the time: load, memory available, and how full the engine's data root is. */
    public record HostResources(double load1, long memoryAvailable, long memoryTotal, double dataRootUsedPercent) {}

    /** The most likely cause, and whether it is a fault: doctor's exit code follows this, not the wording. */
    public record Finding(String cause, boolean fault) {}

    /** The most likely cause, in words. */
    public String cause() {
        return finding().cause();
    }

    /** The most likely cause, first rule that matches wins. */
    public Finding finding() {
        ContainerState s = state;
        if (s.oomKilled()) {
            return fault("killed by the kernel for memory (OOMKilled) at its limit of " + mebibytes(s.memoryLimit())
                    + ": raise deploy.resources.limits.memory or find what grows");
        }
        if (taskErrors.stream().anyMatch(e -> e.contains("No such image") || e.contains("not found"))) {
            return fault("the image cannot be found: " + taskErrors.get(0));
        }
        if (!s.error().isEmpty()) return fault("the engine could not run it: " + s.error());
        if (!s.running() && s.exitCode() != 0) {
            String last = lastErrorLine();
            boolean loop = s.restartCount() > 2 || events.stream().filter(e -> e.endsWith(" die")).count() > 2;
            String what = loop ? "a crash loop" : "it exited";
            return fault(what + " with code " + s.exitCode() + (last.isEmpty() ? "" : "; its last words: " + last));
        }
        if (s.health().filter("unhealthy"::equals).isPresent()) {
            return fault("its health check fails"
                    + (s.lastHealthOutput().isEmpty() ? "" : ": " + s.lastHealthOutput()));
        }
        if (selinuxDenials.orElse(0) > 0) {
            return fault(selinuxDenials.get()
                    + " SELinux denials in the audit log: label its volumes with semanage fcontext + restorecon (D8)");
        }
        if (host.dataRootUsedPercent() > 95) {
            return fault("the engine's disk is " + Math.round(host.dataRootUsedPercent()) + "% full");
        }
        if (host.memoryTotal() > 0 && host.memoryAvailable() < host.memoryTotal() / 20) {
            return fault("the host is short of memory: " + mebibytes(host.memoryAvailable()) + " available");
        }
        if (stats.isPresent() && s.nanoCpus() > 0 && stats.get().cpuPercent() >= 0.9 * s.nanoCpus() / 1e7) {
            return fault("CPU-bound at its limit of " + s.nanoCpus() / 1e9
                    + " CPU: raise deploy.resources.limits.cpus or find the hot loop");
        }
        if (stats.isPresent() && stats.get().memoryLimit() > 0
                && stats.get().memoryUsed() > 0.9 * stats.get().memoryLimit()) {
            return fault("close to its memory limit (" + mebibytes(stats.get().memoryUsed()) + " of "
                    + mebibytes(stats.get().memoryLimit()) + ")");
        }
        if (!s.running()) return fault("it is stopped (exit code 0): it finished, or was stopped on purpose");
        return new Finding("no fault found: running" + s.health().map(h -> ", " + h).orElse("") + ", within its limits",
                false);
    }

    private static Finding fault(String cause) {
        return new Finding(cause, true);
    }

    private String lastErrorLine() {
        List<String> lines = logs.lines().filter(l -> !l.isBlank()).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i).toLowerCase();
            if (l.contains("error") || l.contains("fatal") || l.contains("panic")
                    || l.contains("exception")) return lines.get(i).strip();
        }
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }

    private static String mebibytes(long bytes) {
        return bytes <= 0 ? "none" : (bytes >> 20) + "M";
    }
}
