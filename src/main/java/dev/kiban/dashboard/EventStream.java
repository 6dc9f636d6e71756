package dev.kiban.dashboard;

import com.sun.net.httpserver.HttpExchange;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /events/stream}: the engine's container and node events as server-sent events, one engine connection per page
 * that follows them, at most {@link #MAX_STREAMS} at once (each holds a thread). A comment line every
 * {@link #HEARTBEAT_SECONDS} finds a page that went away on a quiet engine, and closing its engine connection
 * ends the stream. An event shows its time, verb, container and image (a node's: its state, availability and role
 * changes) only: no label or command line, which may hold a secret.
 */
final class EventStream {
    static final int MAX_STREAMS = 4;
    static final int HEARTBEAT_SECONDS = 15;
    /** The containers' events and, on a manager, the Swarm nodes' (a node down, drained, promoted). */
    static final java.util.Set<String> TYPES = java.util.Set.of("container", "node");
    private final Supplier<Engine> engines;
    private final Clock clock;
    private final Semaphore slots = new Semaphore(MAX_STREAMS);
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kiban-dashboard-heartbeat");
        t.setDaemon(true);
        return t;
    });

    EventStream(Supplier<Engine> engines, Clock clock) {
        this.engines = engines;
        this.clock = clock;
    }

    /** Whether a stream may start; the caller answers 503 when not and calls {@link #serve} when so. */
    boolean reserve() {
        return slots.tryAcquire();
    }

    /** Serves one stream until the page or the engine goes; the slot {@link #reserve} took is given back. */
    void serve(HttpExchange exchange, Engine engine) throws IOException {
        try (engine) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            Object lock = new Object();
            write(out, lock, ": connected\nretry: 3000\n\n");
            ScheduledFuture<?> beat = heartbeat.scheduleAtFixedRate(() -> {
                try {
                    write(out, lock, ":\n\n");
                } catch (IOException e) {
                    engine.close();
                }
            }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
            try {
                engine.followEvents(clock.instant().getEpochSecond(), TYPES, e -> {
                    try {
                        write(out, lock, "data: " + line(e) + "\n\n");
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                });
            } catch (RuntimeException e) {
                // the page went away or the engine did: either ends this stream, and the page reconnects
            } finally {
                beat.cancel(false);
            }
        } finally {
            slots.release();
            exchange.close();
        }
    }

    void release() {
        slots.release();
    }

    void close() {
        heartbeat.shutdownNow();
    }

    /** One event as the page shows it, on one line. */
    static String line(EngineEvent e) {
        String verb = e.verb().equals("health_status") ? e.action() : e.verb();
        String image = e.attributes().getOrDefault("image", "");
        String exit = e.verb().equals("die") ? " exit " + e.attributes().getOrDefault("exitCode", "?") : "";
        if (e.type().equals("node")) {
            // a node's change: its state, availability or role, old and new (the only attributes shown)
            StringBuilder change = new StringBuilder();
            for (String what : java.util.List.of("state", "availability", "role")) {
                String now = e.attributes().get(what + ".new");
                if (now != null) {
                    change.append(' ').append(what).append(' ').append(e.attributes().getOrDefault(what + ".old", "?"))
                            .append(" -> ").append(now);
                }
            }
            exit = change.toString();
        }
        String text = Instant.ofEpochSecond(0, e.timeNanos()) + " " + e.type() + " " + verb + " " + e.name()
                + (image.isEmpty() ? "" : " (" + image + ")") + exit;
        return text.replaceAll("[\\r\\n\\x00-\\x1f]", " ");
    }

    private static void write(OutputStream out, Object lock, String text) throws IOException {
        synchronized (lock) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
