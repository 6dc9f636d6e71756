package dev.kiban.monitor;

import dev.kiban.engine.Containers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The disk of each running container for the history: its writable layer (what it wrote over its image), read from
 * the engine at most once per {@link #PERIOD}, never at every sweep: to answer, the engine walks the files of every
 * running container's layer (one call for all: about 50 ms for 10 containers, one with 20,000 files in its layer,
 * against 1 ms for the plain listing, on the 2-core test machine; it grows with the files the layers hold), made
 * on the sweep thread after the alerts, so a slow one delays no alert. The reading is made at the first sweep of
 * each period of the clock; the period is the history's aggregate one, so each 5-minute aggregate holds one reading
 * and the 7-day graph has no holes. Only those sweeps record a disk figure for a container: every stored point is
 * a reading made when it says, never a value carried on (which would hide a container that filled its layer since,
 * or a reading that failed).
 */
final class ContainerDisks {
    /** How often the writable layers are read; the history's aggregate period. */
    static final Duration PERIOD = Duration.ofSeconds(MetricHistory.BUCKET_SECONDS);
    private final Containers engine;
    private long lastPeriod = Long.MIN_VALUE;

    ContainerDisks(Containers engine) {
        this.engine = engine;
    }

    /**
     * The bytes of each running container's writable layer by id, when this period has not been read yet; else
     * empty. A reading that fails is not tried again before the next period (it is the costly call).
     */
    Optional<Map<String, Long>> due(Instant now) {
        long period = Math.floorDiv(now.getEpochSecond(), PERIOD.toSeconds());
        if (period == lastPeriod) return Optional.empty();
        lastPeriod = period;
        return Optional.of(engine.writableLayers());
    }
}
