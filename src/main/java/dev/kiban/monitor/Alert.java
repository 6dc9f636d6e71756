package dev.kiban.monitor;

import java.time.Instant;
import java.util.List;

/**
 * The state of one alert: pending from the first breach, firing once the rule's {@code for} has passed,
 * and gone again when resolved. {@code lastSent} drives the repeat interval.
 */
public record Alert(AlertKey key, State state, Instant since, Instant firedAt, Instant lastSent, double value,
        String summary, List<String> channels) {
    public enum State { PENDING, FIRING }

    Alert with(State s, Instant fired, Instant sent, double v, String text) {
        return new Alert(key, s, since, fired, sent, v, text, channels);
    }
}
