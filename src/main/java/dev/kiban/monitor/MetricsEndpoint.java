package dev.kiban.monitor;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** {@code GET /metrics} in Prometheus' text format, on the spec's address (127.0.0.1 by default). */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;

    public MetricsEndpoint(String host, int port, Supplier<String> metrics) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/metrics", x -> {
            byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            x.sendResponseHeaders(x.getRequestMethod().equals("HEAD") ? -1 : 200, x.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (!x.getRequestMethod().equals("HEAD")) x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
