package dev.kiban.monitor;

/**
 * One value of one sweep for {@link MetricHistory.Writer#record}: {@code subject} is "host" or a container's name
 * (a Swarm task's slot), {@code limit} the memory limit in bytes beside a {@link Metric#MEMORY_BYTES} value (NaN
 * when there is none or for another metric).
 */
public record HistorySample(String subject, Metric metric, double value, double limit) {
    public HistorySample(String subject, Metric metric, double value) {
        this(subject, metric, value, Double.NaN);
    }
}
