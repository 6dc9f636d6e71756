package dev.kiban.monitor;

import dev.kiban.os.MemInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link MetricHistory} records of a sweep (pure): for the host, its CPU, memory in use (limit: all of it) and
 * the used bytes of its watched filesystems (each filesystem once, however many watched paths are on it); for each
 * running container, its CPU of its limit, working set and memory limit, and its disk (its writable layer) at the
 * sweeps that read it ({@link ContainerDisks}: once per 5 minutes). A Swarm task is recorded under its slot
 * ({@code web.1}, the name without the task id), so a replaced task goes on the same graph; a container named
 * "host" as "host (container)", a name no container can have, so it never mixes with the host's.
 */
public final class HistorySamples {
    private HistorySamples() {}

    public static List<HistorySample> of(Sweep sweep, double hostCpuPercent, Optional<MemInfo> memory) {
        return of(sweep, hostCpuPercent, memory, Map.of());
    }

    /** As above, with the bytes of each container's writable layer by id, where this sweep read them. */
    public static List<HistorySample> of(Sweep sweep, double hostCpuPercent, Optional<MemInfo> memory,
                                         Map<String, Long> writableLayers) {
        List<HistorySample> out = new ArrayList<>();
        String host = MetricHistory.HOST;
        if (!Double.isNaN(hostCpuPercent)) out.add(new HistorySample(host, Metric.CPU_PERCENT, hostCpuPercent));
        memory.filter(m -> m.totalBytes() > 0).ifPresent(m -> out.add(new HistorySample(host, Metric.MEMORY_BYTES,
                m.usedBytes(), m.totalBytes())));
        Map<String, Long> used = new LinkedHashMap<>();
        for (Sweep.FilesystemSample f : sweep.filesystems()) used.putIfAbsent(f.mount(), f.used());
        if (!used.isEmpty()) {
            long total = used.values().stream().mapToLong(Long::longValue).sum();
            out.add(new HistorySample(host, Metric.DISK_BYTES, total));
        }
        for (Sweep.ContainerSample c : sweep.containers()) {
            if (!c.running()) continue;
            String subject = subject(c);
            if (!Double.isNaN(c.cpuPercentOfLimit())) {
                out.add(new HistorySample(subject, Metric.CPU_PERCENT, c.cpuPercentOfLimit()));
            }
            out.add(new HistorySample(subject, Metric.MEMORY_BYTES, c.workingSet(),
                    c.memoryLimit() > 0 ? c.memoryLimit() : Double.NaN));
            Long disk = writableLayers.get(c.id());
            if (disk != null) out.add(new HistorySample(subject, Metric.DISK_BYTES, disk));
        }
        return out;
    }

    /** A Swarm task's slot ({@code stack_web.1} of {@code stack_web.1.<task id>}), else the container's name. */
    static String subject(Sweep.ContainerSample c) {
        String name = c.name();
        if (!c.service().isEmpty() && name.startsWith(c.service() + ".")) {
            int last = name.lastIndexOf('.');
            // a task id is 25 lower-case letters and digits; a compose container's name is left as it is
            if (last > c.service().length() + 1 && name.substring(last + 1).matches("[a-z0-9]{25}")) {
                name = name.substring(0, last);
            }
        }
        return name.equals(MetricHistory.HOST) ? MetricHistory.HOST + " (container)" : name;
    }
}
