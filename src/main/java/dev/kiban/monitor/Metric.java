package dev.kiban.monitor;

/**
 * What {@link MetricHistory} keeps of a subject: CPU in percent (a container's of its limit, the host's of all its
 * cores), memory in bytes (a container's working set, the host's memory in use), disk in bytes (the host's watched
 * filesystems; the collector reads no container's writable layer, so containers have none).
 */
public enum Metric { CPU_PERCENT, MEMORY_BYTES, DISK_BYTES }
