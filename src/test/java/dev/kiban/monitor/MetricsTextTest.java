package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ServiceReplicas;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /metrics as Prometheus' naming conventions ask: counters end in _total, fractions are ratios, bytes are bytes. */
class MetricsTextTest {
    static final Sweep SWEEP = new Sweep(Instant.EPOCH,
            List.of(new Sweep.ContainerSample("id1", "web-1", "web", "nginx", "running", "", 50.0, 12.5, 1, 64L << 20,
                    128L << 20, 50.0, 2, 3, 4, List.of())),
            List.of(new ServiceReplicas("s1", "web", 1, 2)),
            List.of(new Sweep.FilesystemSample("/var/lib/docker", "/", 100, 85, 85.0)), 250_000_000L, "cgroup",
            Optional.empty(), Map.of());

    final String text = MetricsText.render(SWEEP, List.of(), 1, 7);

    @Test
    void restartsAndOomKillsAreCountersEndingInTotal() {
        assertThat(text).contains("# TYPE kiban_container_restarts_total counter",
                "kiban_container_restarts_total{container=\"web-1\",service=\"web\"} 3",
                "# TYPE kiban_container_oom_kills_total counter",
                "kiban_container_oom_kills_total{container=\"web-1\",service=\"web\"} 2",
                "# TYPE kiban_engine_events_total counter");
    }

    @Test
    void fractionsAreRatiosBetweenZeroAndOne() {
        assertThat(text).contains("kiban_container_cpu_limit_ratio{container=\"web-1\",service=\"web\"} 0.500000",
                "kiban_container_cpu_host_ratio{container=\"web-1\",service=\"web\"} 0.125000",
                "kiban_container_memory_limit_ratio{container=\"web-1\",service=\"web\"} 0.500000",
                "kiban_filesystem_used_ratio{path=\"/var/lib/docker\"} 0.850000",
                "kiban_sweep_duration_seconds 0.250000",
                "kiban_container_memory_working_set_bytes{container=\"web-1\",service=\"web\"} 67108864");
        assertThat(text).doesNotContain("percent");
    }

    @Test
    void everyCounterEndsInTotalAndNothingElseDoes() {
        Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(text);
        int families = 0;
        while (m.find()) {
            families++;
            assertThat(m.group(1).endsWith("_total")).as(m.group(1)).isEqualTo(m.group(2).equals("counter"));
            assertThat(m.group(1)).matches("kiban_[a-z_]+");
        }
        assertThat(families).isEqualTo(16);
    }
}
