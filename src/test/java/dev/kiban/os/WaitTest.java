package dev.kiban.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WaitTest {
    /** A clock that moves only when the wait pauses, so the tests take no time and cannot flake. */
    private final AtomicLong now = new AtomicLong();
    private final Wait wait = new Wait(now::get, d -> now.addAndGet(d.toNanos()));

    @Test
    void answersWhatTheProbeFoundOnceItFindsIt() throws IOException {
        var answers = new ArrayDeque<>(List.of(Optional.<String>empty(), Optional.<String>empty(),
                Optional.of("ready")));
        assertThat(wait.poll(answers::poll, Duration.ofSeconds(5), Duration.ofMillis(200), "x")).isEqualTo("ready");
        assertThat(now.get()).isEqualTo(Duration.ofMillis(400).toNanos());
    }

    @Test
    void aTimeoutIsAnErrorNamingWhatItWaitedFor() {
        assertThatThrownBy(() -> wait.poll(Optional::empty, Duration.ofSeconds(20), Duration.ofMillis(100),
                "the ingress network"))
                .isInstanceOf(Wait.TimedOut.class)
                .hasMessage("timed out after 20 s waiting for the ingress network");
        assertThat(now.get()).isBetween(Duration.ofSeconds(20).toNanos(), Duration.ofMillis(20_100).toNanos());
    }

    @Test
    void aFailedLookEndsTheWaitWithItsOwnError() {
        assertThatThrownBy(() -> wait.poll(() -> {
            throw new IOException("engine gone");
        }, Duration.ofSeconds(5), Duration.ofMillis(100), "x")).hasMessage("engine gone");
    }

    @Test
    void steadyNeedsTheConditionToHoldWithoutABreak() throws IOException {
        // true for 1 s, false once, then true for good: done 3 s after the break, not after the first second
        long breakAt = Duration.ofSeconds(1).toNanos();
        boolean[] broke = {false};
        wait.holdSteady(() -> {
            if (!broke[0] && now.get() >= breakAt) {
                broke[0] = true;
                return false;
            }
            return true;
        }, Duration.ofSeconds(3), Duration.ofSeconds(20), "one ingress");
        assertThat(now.get()).isBetween(Duration.ofMillis(4_200).toNanos(), Duration.ofMillis(4_400).toNanos());
    }

    @Test
    void steadyThatNeverSettlesTimesOut() {
        boolean[] flip = {false};
        assertThatThrownBy(() -> wait.holdSteady(() -> flip[0] = !flip[0], Duration.ofSeconds(3),
                Duration.ofSeconds(20),
                "one ingress")).isInstanceOf(Wait.TimedOut.class)
                .hasMessage("timed out after 20 s waiting for one ingress (steady for 3 s)");
    }

    @Test
    void anInterruptStopsTheWaitAndKeepsTheFlag() {
        Wait interrupted = new Wait(now::get, d -> {
            throw new InterruptedException();
        });
        assertThatThrownBy(() -> interrupted.poll(Optional::empty, Duration.ofSeconds(5), Duration.ofMillis(100), "x"))
                .isInstanceOf(InterruptedIOException.class);
        assertThat(Thread.interrupted()).isTrue();
    }
}
