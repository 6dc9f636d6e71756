package dev.kiban.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ContainerState;
import dev.kiban.engine.ContainerStats;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each rule of the doctor's conclusion on its own. */
class DiagnosisTest {
    static final Diagnosis.HostResources CALM = new Diagnosis.HostResources(0.2, 8L << 30, 32L << 30, 40);

    static ContainerState state(String status, boolean running, int exit, boolean oom, int restarts, String health,
            String probe) {
        return new ContainerState("id", "app", "example/app:1", status, running, exit, oom, restarts,
                Optional.ofNullable(health), probe, Optional.empty(),
                "", 256L << 20, 500_000_000L, Map.of("front", "10.20.1.5"), "", "");
    }

    static Diagnosis of(ContainerState s, String logs, List<String> events, Optional<ContainerStats> stats,
            Diagnosis.HostResources host,
                        Optional<Integer> avc, List<String> taskErrors) {
        return new Diagnosis("app", s, taskErrors, logs, stats, events, host, avc);
    }

    @Test
    void oomComesFirst() {
        assertThat(of(state("exited", false, 137, true, 5, null, ""), "", List.of(), Optional.empty(), CALM,
                Optional.empty(), List.of()).cause())
                .startsWith("killed by the kernel for memory (OOMKilled) at its limit of 256M");
    }

    @Test
    void aCrashLoopQuotesTheLastErrorLine() {
        String logs = "starting\nconnecting to db:5432\nFATAL: password authentication failed for user "
                + "\"app\"\nexiting\n";
        List<String> dies = List.of("t1 start", "t1 die", "t2 start", "t2 die", "t3 start", "t3 die");
        assertThat(of(state("exited", false, 1, false, 0, null, ""), logs, dies, Optional.empty(), CALM,
                Optional.empty(), List.of()).cause())
                .isEqualTo("a crash loop with code 1; its last words: FATAL: password authentication failed for user "
                + "\"app\"");
    }

    @Test
    void aFailingHealthCheckShowsItsOutput() {
        assertThat(of(state("running", true, 0, false, 0, "unhealthy", "curl: (7) Failed to connect"), "", List.of(),
                Optional.of(new ContainerStats(1, 10L << 20, 256L << 20)), CALM, Optional.empty(), List.of()).cause())
                .isEqualTo("its health check fails: curl: (7) Failed to connect");
    }

    @Test
    void aMissingImageFromTheTasks() {
        assertThat(of(state("created", false, 0, false, 0, null, ""), "", List.of(), Optional.empty(), CALM,
                Optional.empty(),
                List.of("No such image: example/app:1")).cause())
                .isEqualTo("the image cannot be found: No such image: example/app:1");
    }

    @Test
    void selinuxDenialsPointAtTheLabelsD8() {
        assertThat(of(state("running", true, 0, false, 0, null, ""), "", List.of(),
                Optional.of(new ContainerStats(1, 1L << 20, 256L << 20)), CALM,
                Optional.of(3), List.of()).cause()).contains("3 SELinux denials")
                .contains("semanage fcontext + restorecon (D8)");
    }

    @Test
    void cpuAtItsLimit() {
        assertThat(of(state("running", true, 0, false, 0, null, ""), "", List.of(),
                Optional.of(new ContainerStats(49.5, 1L << 20, 256L << 20)), CALM,
                Optional.empty(), List.of()).cause()).startsWith("CPU-bound at its limit of 0.5 CPU");
    }

    @Test
    void aHealthyContainerHasNoFault() {
        assertThat(of(state("running", true, 0, false, 0, "healthy", "ok"), "", List.of(),
                Optional.of(new ContainerStats(3, 30L << 20, 256L << 20)), CALM,
                Optional.of(0), List.of()).cause()).isEqualTo("no fault found: running, healthy, within its limits");
    }
}
