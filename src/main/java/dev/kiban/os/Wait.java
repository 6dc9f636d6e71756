package dev.kiban.os;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Polling until the engine or the host has caught up, the one way kiban does it: a deadline, a short
 * pause between looks, and a loud failure naming what it waited for. Carrying on after a timeout would
 * report done what is not, so a timeout is always an exception.
 */
public final class Wait {
    static final Duration DEFAULT_PAUSE = Duration.ofMillis(200);

    /** A look at the world; answers the value waited for, or empty while it is not there yet. */
    @FunctionalInterface
    public interface Probe<T> {
        Optional<T> look() throws IOException;
    }

    /** A yes/no look at the world. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws IOException;
    }

    /** The wait ran out; says what for and how long. */
    public static final class TimedOut extends IOException {
        private final String what;

        TimedOut(String what, Duration timeout) {
            super("timed out after " + seconds(timeout) + " waiting for " + what);
            this.what = what;
        }

        public String what() {
            return what;
        }
    }

    @FunctionalInterface
    interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    private static final Wait REAL = new Wait(System::nanoTime, d -> Thread.sleep(d.toMillis()));

    private final LongSupplier clock;
    private final Pause pause;

    Wait(LongSupplier clock, Pause pause) {
        this.clock = clock;
        this.pause = pause;
    }

    /** Looks every 200 ms until {@code condition} holds; throws {@link TimedOut} after {@code timeout}. */
    public static void until(Condition condition, Duration timeout, String what) throws IOException {
        REAL.poll(() -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty(), timeout, DEFAULT_PAUSE, what);
    }

    /** Looks every {@code pause} until {@code probe} answers; throws {@link TimedOut} after {@code timeout}. */
    public static <T> T until(Probe<T> probe, Duration timeout, Duration pause, String what) throws IOException {
        return REAL.poll(probe, timeout, pause, what);
    }

    /**
     * Waits until {@code condition} has held without a break for {@code holdFor}: for views that settle
     * only after flapping (an engine bringing a network up and down again).
     */
    public static void steady(Condition condition, Duration holdFor, Duration timeout, String what) throws IOException {
        REAL.holdSteady(condition, holdFor, timeout, what);
    }

    <T> T poll(Probe<T> probe, Duration timeout, Duration every, String what) throws IOException {
        long deadline = clock.getAsLong() + timeout.toNanos();
        while (true) {
            Optional<T> seen = probe.look();
            if (seen.isPresent()) return seen.get();
            if (clock.getAsLong() - deadline >= 0) throw new TimedOut(what, timeout);
            sleep(every);
        }
    }

    void holdSteady(Condition condition, Duration holdFor, Duration timeout, String what) throws IOException {
        long deadline = clock.getAsLong() + timeout.toNanos();
        long since = 0;
        boolean holding = false;
        while (true) {
            long now = clock.getAsLong();
            if (!condition.holds()) {
                holding = false;
            } else if (!holding) {
                holding = true;
                since = now;
            } else if (now - since >= holdFor.toNanos()) {
                return;
            }
            if (now - deadline >= 0) throw new TimedOut(what + " (steady for " + seconds(holdFor) + ")", timeout);
            sleep(DEFAULT_PAUSE);
        }
    }

    private void sleep(Duration d) throws InterruptedIOException {
        try {
            pause.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting");
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
