package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalErrorsTest {
    static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");

    static String entry(Instant at, String unit, String message) {
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
        return "{\"__REALTIME_TIMESTAMP\":\"" + micros + "\",\"_SYSTEMD_UNIT\":\"" + unit
                + "\",\"PRIORITY\":\"3\",\"MESSAGE\":\"" + message + "\"}";
    }

    @Test
    void groupsByUnitAndSkipsWhatTheLastReadSaw() {
        String out = String.join("\n", entry(T0.minusMillis(10), "docker.service", "seen last time"),
                entry(T0.plusMillis(5), "docker.service", "level=error msg=\\\"failed to start daemon\\\""),
                entry(T0.plusSeconds(1), "fail2ban.service", "ERROR Failed during configuration"), "-- cut short {");
        Map<String, List<String>> got = JournalErrors.parse(out, T0);
        assertThat(got).containsOnlyKeys("docker", "fail2ban");
        assertThat(got.get("docker")).containsExactly("level=error msg=\"failed to start daemon\"");
    }

    @Test
    void journalErrorsFeedTheLogRuleUnderTheirUnit() {
        AlertPolicy p = new AlertPolicy("log-errors", Metric.LOG_ERRORS, 0, 0, Duration.ZERO, Duration.ofHours(4), 3,
                Duration.ofMinutes(10), List.of("mail"));
        Evaluator e = new Evaluator(List.of(p));
        Sweep withError = new Sweep(T0, List.of(), List.of(), List.of(), 0, "cgroup", java.util.Optional.empty(),
                Map.of("docker", List.of("boom")));
        assertThat(e.all(withError, new ContainerTracker())).singleElement().satisfies(s -> {
            assertThat(s.key().subject()).isEqualTo("journal:docker");
            assertThat(s.level()).isEqualTo(Signal.Level.BREACHED);
        });
        Sweep later = new Sweep(T0.plusSeconds(60), List.of(), List.of(), List.of(), 0, "cgroup",
                java.util.Optional.empty(), Map.of());
        assertThat(e.all(later, new ContainerTracker())).singleElement().extracting(Signal::level)
                .isEqualTo(Signal.Level.HOLD);
        Sweep quiet = new Sweep(T0.plus(Duration.ofMinutes(11)), List.of(), List.of(), List.of(), 0, "cgroup",
                java.util.Optional.empty(), Map.of());
        assertThat(e.all(quiet, new ContainerTracker())).singleElement().extracting(Signal::level)
                .isEqualTo(Signal.Level.CLEAR);
    }
}
