package dev.kiban.engine;

import java.util.function.Consumer;

/** The engine's stream of container events, as the monitor agent follows it. */
public interface EngineEvents {

    /**
     * Follows the engine's container events from {@code sinceEpochSeconds}, calling {@code sink} for each
     * until the stream ends (the engine went away) or the thread is interrupted by closing the engine.
     */
    void followEvents(long sinceEpochSeconds, Consumer<EngineEvent> sink);
}
