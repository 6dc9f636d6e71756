package dev.kiban.engine;

import java.time.Duration;

/**
 * How long kiban waits for the local engine: to connect, for {@code /_ping} (the first thing every
 * command asks, so a hung dockerd fails fast), and for any other request to say something (its read
 * limit; streams such as the event feed, image save/load and exec set none).
 */
public record EngineTimeouts(Duration connect, Duration ping, Duration read) {
    public static final EngineTimeouts DEFAULT =
            new EngineTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60));
}
