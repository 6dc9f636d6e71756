package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.EngineEvent;
import dev.kiban.spec.PlatformSpec.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Event-driven rules from engine events, and the backup rule, without an engine. */
class EvaluatorTest {
    static final AlertPolicy DOWN = new AlertPolicy("container-down", Metric.CONTAINER_DOWN, 0, 0, Duration.ZERO,
            Duration.ofHours(4), 3, Duration.ofMinutes(10), List.of("discord"));
    static final AlertPolicy LOOP = new AlertPolicy("restart-loop", Metric.RESTART_LOOP, 0, 0, Duration.ZERO,
            Duration.ofHours(4), 3, Duration.ofMinutes(10), List.of("discord"));
    static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");

    static EngineEvent event(String action, String id, String... attributes) {
        Map<String, String> a = new java.util.HashMap<>(Map.of("name", id));
        for (int i = 0; i < attributes.length; i += 2) a.put(attributes[i], attributes[i + 1]);
        return new EngineEvent("container", action, id, a, 0);
    }

    static Signal.Level level(List<Signal> signals, String subject) {
        return signals.stream().filter(s -> s.key().subject().equals(subject)).findFirst().orElseThrow().level();
    }

    @Test
    void aStopIsDeliberateAKillOrACrashIsNot() {
        ContainerTracker t = new ContainerTracker();
        for (String c : List.of("stopped", "killed", "crashed", "done")) t.onEvent(event("start", c), T0);
        t.onEvent(event("kill", "stopped", "signal", "15"), T0);
        t.onEvent(event("die", "stopped", "exitCode", "143"), T0);
        t.onEvent(event("stop", "stopped"), T0);
        t.onEvent(event("kill", "killed", "signal", "9"), T0);
        t.onEvent(event("die", "killed", "exitCode", "137"), T0);
        t.onEvent(event("die", "crashed", "exitCode", "1"), T0);
        t.onEvent(event("die", "done", "exitCode", "0"), T0);
        List<Signal> down = t.down(DOWN);
        assertThat(level(down, "stopped")).isEqualTo(Signal.Level.CLEAR);
        assertThat(level(down, "killed")).isEqualTo(Signal.Level.BREACHED);
        assertThat(level(down, "crashed")).isEqualTo(Signal.Level.BREACHED);
        assertThat(level(down, "done")).as("a job that finished").isEqualTo(Signal.Level.CLEAR);
        assertThat(down.stream().filter(s -> s.key().subject().equals("killed")).findFirst().orElseThrow().summary())
                .startsWith("killed (exit 137)");
        t.onEvent(event("start", "crashed"), T0.plusSeconds(5));
        assertThat(level(t.down(DOWN), "crashed")).isEqualTo(Signal.Level.CLEAR);
    }

    @Test
    void aSwarmSlotIsDownOnlyUntilItsReplacementRuns() {
        ContainerTracker t = new ContainerTracker();
        t.onEvent(event("start", "old", "com.docker.swarm.task.name", "web.1.aaa", "com.docker.swarm.service.name",
                "web"), T0);
        t.onEvent(event("die", "old", "exitCode", "2", "com.docker.swarm.task.name", "web.1.aaa"), T0);
        assertThat(level(t.down(DOWN), "web.1")).isEqualTo(Signal.Level.BREACHED);
        t.onEvent(event("start", "new", "com.docker.swarm.task.name", "web.1.bbb", "com.docker.swarm.service.name",
                "web"), T0.plusSeconds(5));
        assertThat(level(t.down(DOWN), "web.1")).isEqualTo(Signal.Level.CLEAR);
        assertThat(t.restartLoops(LOOP, T0.plusSeconds(6))).anySatisfy(s -> assertThat(s.key().subject())
                .isEqualTo("service:web"));
    }

    @Test
    void threeCrashesInTheWindowAreALoopThatClearsWhenTheWindowEmpties() {
        ContainerTracker t = new ContainerTracker();
        for (int i = 0; i < 3; i++) {
            t.onEvent(event("start", "loop"), T0.plusSeconds(i * 10));
            t.onEvent(event("die", "loop", "exitCode", "3"), T0.plusSeconds(i * 10 + 1));
        }
        assertThat(level(t.restartLoops(LOOP, T0.plusSeconds(30)), "loop")).isEqualTo(Signal.Level.BREACHED);
        assertThat(level(t.restartLoops(LOOP, T0.plusSeconds(305)), "loop")).as("all three still in the window")
                .isEqualTo(Signal.Level.BREACHED);
        assertThat(t.restartLoops(LOOP, T0.plus(Duration.ofMinutes(11))).stream()
                .filter(s -> s.key().subject().equals("loop")).toList())
                .allMatch(s -> s.level() != Signal.Level.BREACHED);
    }

    @Test
    void theBackupRuleReadsTheLogsLastLine() {
        AlertPolicy p = new AlertPolicy("backup-failed", Metric.BACKUP, 0, 0, Duration.ZERO, Duration.ofHours(4), 3,
                Duration.ofMinutes(10), List.of("mail"));
        Instant now = T0.plus(Duration.ofDays(1));
        assertThat(Evaluator.backup(p, T0 + " FAILED /mnt/backup/docker: disk full", now).level())
                .isEqualTo(Signal.Level.BREACHED);
        assertThat(Evaluator.backup(p, T0 + " OK snapshot x", now).level()).isEqualTo(Signal.Level.CLEAR);
        assertThat(Evaluator.backup(p, T0 + " OK snapshot x", T0.plus(Duration.ofDays(9))).summary())
                .contains("9 days old");
    }

    @Test
    void theBackupRuleAlsoFiresWhenAWeeklyRoutineJobFailed() {
        AlertPolicy p = new AlertPolicy("backup-failed", Metric.BACKUP, 0, 0, Duration.ZERO, Duration.ofHours(4), 3,
                Duration.ofMinutes(10), List.of("mail"));
        Sweep s = new Sweep(T0, List.of(), List.of(), List.of(), 0, "cgroup",
                java.util.Optional.of(T0 + " OK snapshot x"), Map.of(), List.of(), java.util.Optional.empty(),
                Map.of(), Map.of("image-prune", T0 + " OK image-prune: the image clean-up succeeded",
                        "engine-update", T0 + " FAILED engine-update: the engine's update window failed: exit-code",
                        "backup-verify", "garbage",
                        "backup-copy", T0 + " FAILED backup-copy: the off-site copy failed: exit-code (exited 3)"));
        List<Signal> signals = new Evaluator(List.of(p)).all(s, new ContainerTracker());
        assertThat(signals).filteredOn(g -> g.level() == Signal.Level.BREACHED).extracting(g -> g.key().subject())
                .containsExactlyInAnyOrder("engine-update", "backup-verify", "backup-copy");
        assertThat(signals).filteredOn(g -> g.key().subject().equals("engine-update")).singleElement()
                .satisfies(g -> assertThat(g.summary()).contains("the engine's update window failed: exit-code"));
        assertThat(signals).filteredOn(g -> g.key().subject().equals("image-prune")).singleElement()
                .satisfies(g -> assertThat(g.level()).isEqualTo(Signal.Level.CLEAR));
    }

    @Test
    void aServiceShortOfReplicasIsBreachedAndAFullOneClear() {
        AlertPolicy p = new AlertPolicy("replicas-missing", Metric.REPLICAS, 0, 0, Duration.ofMinutes(2),
                Duration.ofHours(4), 3, Duration.ofMinutes(10), List.of("discord"));
        Sweep s = new Sweep(T0, List.of(), List.of(new dev.kiban.engine.ServiceReplicas("1", "web", 1, 3),
                new dev.kiban.engine.ServiceReplicas("2", "db", 1, 1),
                new dev.kiban.engine.ServiceReplicas("3", "job", 0, 0)), List.of(), 0, "cgroup",
                java.util.Optional.empty(), Map.of());
        List<Signal> signals = new Evaluator(List.of(p)).all(s, new ContainerTracker());
        assertThat(signals).extracting(x -> x.key().subject() + " " + x.level() + " " + x.summary())
                .containsExactly("service:web BREACHED 1 of 3 replicas running",
                "service:db CLEAR 1 of 1 replicas running");
    }

    @Test
    void aRestartedAgentKeepsACrashThePreviousOneReportedAndIgnoresTheReplayedDie() {
        ContainerTracker t = new ContainerTracker();
        dev.kiban.engine.ContainerSummary exited = new dev.kiban.engine.ContainerSummary("x", "web", "img", "exited",
                "Exited (137) 2 seconds ago", Map.of());
        dev.kiban.engine.ContainerState state = new dev.kiban.engine.ContainerState("x", "web", "img", "exited", false,
                137, false, 0, java.util.Optional.empty(),
                "", java.util.Optional.empty(), "", 0, 0, Map.of(), T0.minusSeconds(60).toString(),
                T0.minusSeconds(2).toString());
        t.reconcile(List.of(exited), id -> state, T0, subject -> subject.equals("web"));
        assertThat(level(t.down(DOWN), "web"))
                .as("known down before the restart, though it exited before the last save")
                .isEqualTo(Signal.Level.BREACHED);
        assertThat(t.onEvent(event("die", "x", "exitCode", "137", "name", "web"), T0.plusSeconds(1)))
                .as("the replayed die").isFalse();
        assertThat(t.restartLoops(LOOP, T0.plusSeconds(2)).get(0).value()).as("counted once").isEqualTo(1);

        ContainerTracker fresh = new ContainerTracker();
        fresh.reconcile(List.of(exited), id -> state, T0, subject -> false);
        assertThat(level(fresh.down(DOWN), "web")).as("an old exit nobody reported is not news")
                .isEqualTo(Signal.Level.CLEAR);
    }
}
