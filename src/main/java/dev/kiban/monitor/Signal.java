package dev.kiban.monitor;

/**
 * One rule's reading of one subject in a sweep: over the threshold ({@code BREACHED}), under the clear
 * level ({@code CLEAR}), or in between ({@code HOLD}: whatever state the alert is in, it stays).
 */
public record Signal(AlertKey key, Level level, double value, String summary) {
    public enum Level { BREACHED, HOLD, CLEAR }

    public static Signal of(AlertPolicy p, String subject, double value, String summary) {
        Level level = value > p.above() ? Level.BREACHED : value < p.clear() ? Level.CLEAR : Level.HOLD;
        return new Signal(new AlertKey(p.name(), subject), level, value, summary);
    }

    public static Signal condition(AlertPolicy p, String subject, boolean breached, double value, String summary) {
        return new Signal(new AlertKey(p.name(), subject), breached ? Level.BREACHED : Level.CLEAR, value, summary);
    }
}
