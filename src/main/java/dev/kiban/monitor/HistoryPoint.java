package dev.kiban.monitor;

import java.time.Instant;

/**
 * One point of a {@link MetricHistory} series: a sweep's value (then {@code min}, {@code avg} and {@code max} are
 * equal) or a 5-minute aggregate starting at {@code at}.
 */
public record HistoryPoint(Instant at, double min, double avg, double max) {}
