package dev.kiban.engine;

import java.util.function.Consumer;

/** The engine's stream of container events, as the monitor agent follows it. */
public interface EngineEvents {

    /**
     * Follows the engine's container events from {@code sinceEpochSeconds}, calling {@code sink} for each
     * until the stream ends (the engine went away) or the thread is interrupted by closing the engine.
     */
    void followEvents(long sinceEpochSeconds, Consumer<EngineEvent> sink);

    /**
     * The same for the events of these {@code types} ("container", "node", …: lower-case words); where an
     * implementation knows only its container events, those of them whose type is asked for.
     */
    default void followEvents(long sinceEpochSeconds, java.util.Set<String> types, Consumer<EngineEvent> sink) {
        followEvents(sinceEpochSeconds, e -> {
            if (types.contains(e.type())) sink.accept(e);
        });
    }
}
