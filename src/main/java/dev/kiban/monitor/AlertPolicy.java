package dev.kiban.monitor;

import dev.kiban.spec.PlatformSpec;
import java.time.Duration;
import java.util.List;

/**
 * A rule as the agent applies it: fire when the value is above {@code above} for {@code forDuration},
 * resolve only below {@code clear} (hysteresis, so a value hovering at the threshold does not flap),
 * send again every {@code repeat} while firing. Event rules (container down, restart loop) have no
 * threshold and fire at once.
 */
public record AlertPolicy(String name, PlatformSpec.Metric metric, double above, double clear, Duration forDuration,
                          Duration repeat, int count, Duration window, List<String> channels) {
    public static final Duration DEFAULT_REPEAT = Duration.ofHours(4);

    public static AlertPolicy of(PlatformSpec.AlertRule r) {
        double above = r.above().map(p -> p.value()).orElse(0.0);
        double clear = r.clear().map(p -> p.value()).orElse(above * 0.9);
        return new AlertPolicy(r.name(), r.metric(), above, clear,
                r.forDuration().map(t -> t.duration()).orElse(Duration.ZERO),
                r.repeat().map(t -> t.duration()).orElse(DEFAULT_REPEAT), r.count().orElse(3),
                r.window().map(t -> t.duration()).orElse(Duration.ofMinutes(10)), List.copyOf(r.channels()));
    }

    public static List<AlertPolicy> of(PlatformSpec spec) {
        return spec.monitor().rules().stream().map(AlertPolicy::of).toList();
    }
}
