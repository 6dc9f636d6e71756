package dev.kiban.monitor;

import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.ServiceReplicas;
import dev.kiban.engine.TaskSummary;
import java.time.Instant;
import java.util.List;

/**
 * One collection: every container, service and watched filesystem at one moment, the backup log's last
 * line, the error-level journal entries of docker, sshd and fail2ban since the last sweep, how long
 * it took, and what could not be sampled (a container or the service listing whose engine call failed:
 * missing from this sweep, so the agent says why rather than the container seeming to vanish).
 * {@code nodes} are the Swarm's nodes as a manager sees them: none on a worker or outside a swarm, absent
 * when they could not be read (then the node rules are not evaluated, so no alert resolves for want of a
 * reading); {@code tasks} holds, for each service short of replicas only, its tasks newest first;
 * {@code routineRuns} the last line of each weekly routine job's log that has one, by job (R9.1).
 */
public record Sweep(Instant at, List<ContainerSample> containers, List<ServiceReplicas> services,
                    List<FilesystemSample> filesystems, long nanos, String counterSource,
                    java.util.Optional<String> lastBackup, java.util.Map<String, List<String>> journalErrors,
                    List<String> failures, java.util.Optional<List<NodeSummary>> nodes,
                    java.util.Map<String, List<TaskSummary>> tasks, java.util.Map<String, String> routineRuns) {

    /** A sweep that read no log of the weekly routine. */
    public Sweep(Instant at, List<ContainerSample> containers, List<ServiceReplicas> services,
                 List<FilesystemSample> filesystems, long nanos, String counterSource,
                 java.util.Optional<String> lastBackup, java.util.Map<String, List<String>> journalErrors,
                 List<String> failures, java.util.Optional<List<NodeSummary>> nodes,
                 java.util.Map<String, List<TaskSummary>> tasks) {
        this(at, containers, services, filesystems, nanos, counterSource, lastBackup, journalErrors, failures, nodes,
                tasks, java.util.Map.of());
    }

    /** A sweep that read no Swarm nodes nor tasks. */
    public Sweep(Instant at, List<ContainerSample> containers, List<ServiceReplicas> services,
                 List<FilesystemSample> filesystems, long nanos, String counterSource,
                 java.util.Optional<String> lastBackup, java.util.Map<String, List<String>> journalErrors,
                 List<String> failures) {
        this(at, containers, services, filesystems, nanos, counterSource, lastBackup, journalErrors, failures,
                java.util.Optional.empty(), java.util.Map.of());
    }

    /** A sweep in which every sample was taken. */
    public Sweep(Instant at, List<ContainerSample> containers, List<ServiceReplicas> services,
                 List<FilesystemSample> filesystems, long nanos, String counterSource,
                 java.util.Optional<String> lastBackup, java.util.Map<String, List<String>> journalErrors) {
        this(at, containers, services, filesystems, nanos, counterSource, lastBackup, journalErrors, List.of());
    }

    /**
     * One container. CPU percentages are NaN on a container's first sweep (a rate needs two readings);
     * {@code cpuLimit} is in cores (the host's count when it has none); memory is the working set
     * against the limit, or against the host's memory when there is none.
     */
    public record ContainerSample(String id, String name, String service, String image, String state, String health,
                                  double cpuPercentOfLimit, double cpuPercentOfHost, double cpuLimit, long workingSet,
                                  long memoryLimit, double memoryPercent, long oomKills, int restartCount,
                                  int logErrors, List<String> errorLines) {
        public boolean running() {
            return "running".equals(state);
        }
    }

    public record FilesystemSample(String path, String mount, long total, long used, double usedPercent) {}
}
