package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule engine on a simulated clock: one sweep every 30 s. */
class AlertBookTest {
    static final AlertPolicy CPU = new AlertPolicy("cpu-high", Metric.CPU, 80, 72, Duration.ofMinutes(5),
            Duration.ofHours(4), 3, Duration.ofMinutes(10), List.of("discord"));
    static final AlertPolicy MEMORY = new AlertPolicy("memory-high", Metric.MEMORY, 70, 63, Duration.ofMinutes(5),
            Duration.ofHours(4), 3, Duration.ofMinutes(10), List.of("discord", "mail"));
    static final AlertPolicy DOWN = new AlertPolicy("container-down", Metric.CONTAINER_DOWN, 0, 0, Duration.ZERO,
            Duration.ofHours(4), 3, Duration.ofMinutes(10), List.of("discord"));
    static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");

    final AlertBook book = new AlertBook(List.of(CPU, MEMORY, DOWN), "ws1");
    Instant now = T0;

    List<Notification> sweep(Signal... signals) {
        List<Notification> out = book.update(now, List.of(signals), List.of("cpu-high", "memory-high",
                "container-down"), List.of());
        now = now.plusSeconds(30);
        return out;
    }

    List<Notification> sweepFor(Duration d, Signal... signals) {
        List<Notification> all = new java.util.ArrayList<>();
        Instant end = now.plus(d);
        while (now.isBefore(end)) all.addAll(sweep(signals));
        return all;
    }

    static Signal cpu(String c, double v) {
        return Signal.of(CPU, c, v, "CPU " + v + "% of its limit");
    }

    @Test
    void aBreachIsPendingForItsForDurationThenFiresOnceThenResolves() {
        assertThat(sweepFor(Duration.ofMinutes(5), cpu("web-1", 95)))
                .as("pending for 5 minutes (sweeps at 0:00 .. 4:30)").isEmpty();
        assertThat(book.alerts()).singleElement().extracting(Alert::state).isEqualTo(Alert.State.PENDING);
        List<Notification> fired = sweep(cpu("web-1", 95));
        assertThat(fired).singleElement().satisfies(n -> {
            assertThat(n.channel()).isEqualTo("discord");
            assertThat(n.lines()).containsExactly("FIRING   cpu-high/web-1: CPU 95.0% of its limit");
        });
        assertThat(sweepFor(Duration.ofMinutes(30), cpu("web-1", 95))).as("firing, not repeated within 4 h").isEmpty();
        List<Notification> resolved = sweep(cpu("web-1", 10));
        assertThat(resolved).singleElement().extracting(Notification::lines).asList()
                .containsExactly("RESOLVED cpu-high/web-1: CPU 10.0% of its limit");
        assertThat(book.alerts()).isEmpty();
    }

    @Test
    void aShortSpikeNeverFiresAndIsNeverSent() {
        sweepFor(Duration.ofMinutes(2), cpu("web-1", 99));
        assertThat(sweep(cpu("web-1", 5))).isEmpty();
        assertThat(book.alerts()).isEmpty();
    }

    @Test
    void betweenClearAndThresholdTheStateHolds() {
        sweepFor(Duration.ofMinutes(6), cpu("web-1", 90));
        assertThat(book.byState().get(Alert.State.FIRING)).hasSize(1);
        assertThat(sweepFor(Duration.ofMinutes(10), cpu("web-1", 75), cpu("web-1", 79)))
                .as("75..79 is above clear (72): still firing").isEmpty();
        assertThat(book.byState().get(Alert.State.FIRING)).hasSize(1);
        assertThat(sweep(cpu("web-1", 71))).hasSize(1);
        // and a pending alert is not reset by a dip into the hold band
        sweepFor(Duration.ofMinutes(3), cpu("web-2", 90));
        sweepFor(Duration.ofMinutes(1), cpu("web-2", 76));
        assertThat(sweepFor(Duration.ofMinutes(1).plusSeconds(30), cpu("web-2", 90))).hasSize(1);
    }

    @Test
    void aFiringAlertIsRepeatedAtItsInterval() {
        sweepFor(Duration.ofMinutes(5).plusSeconds(30), cpu("web-1", 95));
        List<Notification> later = sweepFor(Duration.ofHours(8).plusMinutes(1), cpu("web-1", 95));
        assertThat(later).hasSize(2).allSatisfy(n -> assertThat(n.events()).singleElement().extracting(AlertEvent::kind)
                .isEqualTo(AlertEvent.Kind.REPEAT));
    }

    @Test
    void alertsOfOneSweepAreGroupedPerChannel() {
        Signal[] down = {Signal.condition(DOWN, "web-1", true, 137, "exited 137"),
                Signal.condition(DOWN, "web-2", true, 1, "exited 1"),
                Signal.condition(DOWN, "db", true, 1, "exited 1")};
        List<Notification> out = sweep(down);
        assertThat(out).singleElement().satisfies(n -> {
            assertThat(n.events()).hasSize(3);
            assertThat(n.title()).isEqualTo("[kiban] ws1: 3 firing");
        });
        Signal[] downAndMemory = java.util.Arrays.copyOf(down, 4);
        downAndMemory[3] = Signal.of(MEMORY, "db", 80, "memory 80%");
        sweepFor(Duration.ofMinutes(5).plusSeconds(30), downAndMemory);
        assertThat(book.byState().get(Alert.State.FIRING)).hasSize(4);
    }

    @Test
    void aRuleWithTwoChannelsSendsToBoth() {
        List<Notification> out = sweepFor(Duration.ofMinutes(5).plusSeconds(30),
                Signal.of(MEMORY, "db", 80, "memory 80%"));
        assertThat(out).extracting(Notification::channel).containsExactly("discord", "mail");
        assertThat(out.get(0).events()).isEqualTo(out.get(1).events());
    }

    @Test
    void aSubjectThatDisappearsResolves() {
        sweep(Signal.condition(DOWN, "web-1", true, 1, "exited 1"));
        List<Notification> out = sweep();
        assertThat(out).singleElement().extracting(n -> n.events().get(0).kind()).isEqualTo(AlertEvent.Kind.RESOLVED);
        assertThat(out.get(0).lines().get(0)).contains("gone");
    }

    @Test
    void silencedAlertsAreTrackedButNotSentUntilTheSilenceEnds() {
        Silence quiet = new Silence("s1", "container-down/web-*", now.plus(Duration.ofHours(2)), "maintenance");
        List<Notification> out = book.update(now, List.of(Signal.condition(DOWN, "web-1", true, 1, "exited 1"),
                Signal.condition(DOWN, "db", true, 1, "x")), List.of("container-down"), List.of(quiet));
        assertThat(out).singleElement().satisfies(n -> assertThat(n.events()).extracting(e -> e.key().subject())
                .containsExactly("db"));
        assertThat(book.alerts()).hasSize(2);
        assertThat(quiet.matches(new AlertKey("container-down", "web-1"), now.plus(Duration.ofHours(3)))).isFalse();
        assertThat(new Silence("s2", "web-1", now.plusSeconds(60), "").matches(new AlertKey("cpu-high", "web-1"), now))
                .isTrue();
        assertThat(new Silence("s3", "cpu-high", now.plusSeconds(60), "").matches(new AlertKey("cpu-high", "db"), now))
                .isTrue();
        assertThat(new Silence("s4", "cpu-high", now.plusSeconds(60), "").matches(new AlertKey("memory-high", "db"),
                now)).isFalse();
    }

    @Test
    void aRestoredBookNeitherRefiresNorForgets() {
        sweepFor(Duration.ofMinutes(5).plusSeconds(30), cpu("web-1", 95));
        AlertBook after = new AlertBook(List.of(CPU, MEMORY, DOWN), "ws1");
        after.restore(book.alerts());
        assertThat(after.update(now, List.of(cpu("web-1", 95)), List.of("cpu-high"), List.of())).as("already sent")
                .isEmpty();
        assertThat(after.update(now.plusSeconds(30), List.of(cpu("web-1", 1)), List.of("cpu-high"), List.of()))
                .hasSize(1);
    }
}
