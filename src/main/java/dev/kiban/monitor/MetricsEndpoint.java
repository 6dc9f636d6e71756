package dev.kiban.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} in Prometheus' text format, on the spec's address (127.0.0.1 by default).
 *
 * <p>A small server of its own rather than the JDK's {@code HttpServer}: that one reads a request on a
 * single thread with no time limit unless JVM-wide system properties are set before its first use, so
 * one client that sends half a request stalls every scrape. Here a thread accepts, {@link #THREADS}
 * workers answer, and every connection is closed {@link #DEFAULT_TIMEOUT} after a worker took it,
 * whatever it is doing (slow request, unread response). One request per connection.
 */
public final class MetricsEndpoint implements AutoCloseable {
    static final int THREADS = 4;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_REQUEST_HEAD = 8192;
    private final ServerSocket server;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService deadlines;
    private final Supplier<String> metrics;
    private final Duration timeout;

    public MetricsEndpoint(String host, int port, Supplier<String> metrics) throws IOException {
        this(host, port, metrics, DEFAULT_TIMEOUT);
    }

    MetricsEndpoint(String host, int port, Supplier<String> metrics, Duration timeout) throws IOException {
        this.metrics = metrics;
        this.timeout = timeout;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(host, port), 64);
        // a full queue turns connections away at once rather than letting them wait past their scrape timeout
        workers = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(32),
                daemons("kiban-metrics"));
        deadlines = Executors.newSingleThreadScheduledExecutor(daemons("kiban-metrics-deadline"));
        Thread acceptor = daemons("kiban-metrics-accept").newThread(this::accept);
        acceptor.start();
    }

    private static java.util.concurrent.ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) return;
                continue; // one failed accept (a reset before it was taken) is no reason to stop serving
            }
            try {
                workers.execute(() -> {
                    // the limit starts when a worker takes the connection: time spent queued is not the client's fault
                    var deadline = deadlines.schedule(() -> closeQuietly(client), timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
                    try {
                        answer(client);
                    } finally {
                        deadline.cancel(false);
                        closeQuietly(client);
                    }
                });
            } catch (RejectedExecutionException e) {
                closeQuietly(client);
            }
        }
    }

    private void answer(Socket client) {
        try {
            client.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            String head = readHead(client.getInputStream());
            if (head == null) return;
            String[] request = head.lines().findFirst().orElse("").split(" ");
            OutputStream out = client.getOutputStream();
            if (request.length != 3 || !request[2].startsWith("HTTP/")) {
                respond(out, "400 Bad Request", null, false);
                return;
            }
            String method = request[0];
            String path = request[1].replaceFirst("\\?.*", "");
            if (!method.equals("GET") && !method.equals("HEAD")) {
                respond(out, "405 Method Not Allowed", null, false);
            } else if (!path.equals("/metrics")) {
                respond(out, "404 Not Found", null, false);
            } else {
                respond(out, "200 OK", metrics.get().getBytes(StandardCharsets.UTF_8), method.equals("HEAD"));
            }
        } catch (IOException e) {
            // a client that hung up, or ran into its deadline: nothing to answer
        }
    }

    /** The request line and headers, or null when the client sent nothing usable in time. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int state = 0; // how much of "\r\n\r\n" (or "\n\n") has just been seen
        while (head.size() < MAX_REQUEST_HEAD) {
            int b = in.read();
            if (b < 0) return null;
            head.write(b);
            if (b == '\n') {
                if (state == 1) break;
                state = 1;
            } else if (b != '\r') {
                state = 0;
            }
        }
        return state == 1 ? head.toString(StandardCharsets.ISO_8859_1) : null;
    }

    private static void respond(OutputStream out, String status, byte[] body, boolean headOnly) throws IOException {
        byte[] content = body == null ? new byte[0] : body;
        String head = "HTTP/1.1 " + status + "\r\n"
                + (body == null ? "" : "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n")
                + (status.startsWith("405") ? "Allow: GET, HEAD\r\n" : "")
                + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) out.write(content);
        out.flush();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // the port is released either way
        }
        workers.shutdownNow();
        deadlines.shutdownNow();
    }
}
