package dev.kiban.engine;

/**
 * A container's cumulative resource counters at one instant: CPU time used (ns), memory in use, the
 * part of it that is inactive page cache, and the memory limit (0: none). Rates come from two of these.
 */
public record ContainerCounters(long cpuNanos, long memoryUsage, long inactiveFile, long memoryLimit, long oomKills) {
    /** What {@code docker stats} calls memory usage: usage minus the page cache the kernel can drop. */
    public long workingSet() {
        return Math.max(0, memoryUsage - inactiveFile);
    }
}
