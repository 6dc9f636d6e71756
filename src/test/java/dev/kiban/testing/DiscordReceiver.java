package dev.kiban.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for Discord's webhook endpoint, on 127.0.0.1, as Discord documents it: {@code POST
 * /api/v10/webhooks/ID/TOKEN} answers 200 with the message (wait=true) or 204; 400 with code 50035 when
 * the message breaks a size limit; 404 "Unknown Webhook" for another id or after {@link #delete()};
 * 429 with {@code retry_after} (seconds) and the rate-limit headers for the next {@link #rateLimit} requests.
 */
public final class DiscordReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String ID = "1234567890";
    public static final String TOKEN = "s3cr3t-token-do-not-log";
    private final HttpServer server;
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final List<Long> receivedAt = new CopyOnWriteArrayList<>();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger answered429 = new AtomicInteger();
    private final AtomicLong snowflake = new AtomicLong(1_000_000_000_000L);
    private volatile double retryAfter = 0.2;
    private volatile boolean deleted;

    public DiscordReceiver() throws IOException {
        this("127.0.0.1");
    }

    /** Listening on {@code address} (a rig network's gateway, for hosts on it to reach). */
    public DiscordReceiver(String address) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/api/", this::handle);
        server.start();
    }

    /** The URL an operator would paste (unversioned, as Discord shows it). */
    public String webhookUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort()
                + "/api/webhooks/" + ID + "/" + TOKEN;
    }

    /** The next {@code n} requests get 429 with {@code retry_after} seconds. */
    public void rateLimit(int n, double retryAfterSeconds) {
        retryAfter = retryAfterSeconds;
        rateLimited.set(n);
    }

    public void delete() {
        deleted = true;
    }

    public List<JsonNode> messages() {
        return List.copyOf(messages);
    }

    public List<Long> receivedAtMillis() {
        return List.copyOf(receivedAt);
    }

    public int requests() {
        return requests.get();
    }

    public int answered429() {
        return answered429.get();
    }

    private void handle(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        String path = x.getRequestURI().getPath();
        boolean wait = "wait=true".equals(x.getRequestURI().getQuery());
        byte[] body = x.getRequestBody().readAllBytes();
        if (!x.getRequestMethod().equals("POST") || !path.startsWith("/api/v10/webhooks/")) {
            answer(x, 404, "{\"message\": \"404: Not Found\", \"code\": 0}");
            return;
        }
        if (deleted || !path.equals("/api/v10/webhooks/" + ID + "/" + TOKEN)) {
            answer(x, 404, "{\"message\": \"Unknown Webhook\", \"code\": 10015}");
            return;
        }
        if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answered429.incrementAndGet();
            x.getResponseHeaders().add("Retry-After", String.valueOf((int) Math.ceil(retryAfter)));
            x.getResponseHeaders().add("X-RateLimit-Limit", "5");
            x.getResponseHeaders().add("X-RateLimit-Remaining", "0");
            x.getResponseHeaders().add("X-RateLimit-Reset-After", String.valueOf(retryAfter));
            x.getResponseHeaders().add("X-RateLimit-Scope", "shared");
            answer(x, 429, "{\"message\": \"You are being rate limited.\", \"retry_after\": " + retryAfter
                    + ", \"global\": false}");
            return;
        }
        JsonNode msg;
        try {
            msg = JSON.readTree(body);
        } catch (IOException e) {
            answer(x, 400, "{\"message\": \"Cannot send an empty message\", \"code\": 50006}");
            return;
        }
        List<String> problems = limits(msg);
        if (!problems.isEmpty()) {
            answer(x, 400, "{\"message\": \"Invalid Form Body\", \"code\": 50035, \"errors\": "
                    + JSON.writeValueAsString(problems) + "}");
            return;
        }
        messages.add(msg);
        receivedAt.add(System.currentTimeMillis());
        x.getResponseHeaders().add("X-RateLimit-Limit", "5");
        x.getResponseHeaders().add("X-RateLimit-Remaining", "4");
        x.getResponseHeaders().add("X-RateLimit-Reset-After", "1");
        if (!wait) {
            x.sendResponseHeaders(204, -1);
            x.close();
            return;
        }
        answer(x, 200, "{\"id\": \"" + snowflake.incrementAndGet()
                + "\", \"type\": 0, \"channel_id\": \"42\", \"webhook_id\": \"" + ID + "\"}");
    }

    /** Discord's documented message and embed limits. */
    public static List<String> limits(JsonNode m) {
        List<String> p = new ArrayList<>();
        if (m.path("content").asText("").length() > 2000) p.add("content > 2000");
        if (m.path("username").asText("").length() > 80) p.add("username > 80");
        if (m.path("embeds").size() > 10) p.add("more than 10 embeds");
        if (m.path("content").asText("").isEmpty() && m.path("embeds").size() == 0) p.add("empty message");
        int total = 0;
        for (JsonNode e : m.path("embeds")) {
            int title = e.path("title").asText("").length();
            int description = e.path("description").asText("").length();
            int footer = e.path("footer").path("text").asText("").length();
            if (title > 256) p.add("title > 256");
            if (description > 4096) p.add("description > 4096");
            if (footer > 2048) p.add("footer > 2048");
            if (e.path("fields").size() > 25) p.add("more than 25 fields");
            total += title + description + footer + e.path("author").path("name").asText("").length();
            for (JsonNode f : e.path("fields")) total += f.path("name").asText("").length()
                    + f.path("value").asText("").length();
        }
        if (total > 6000) p.add("embeds total " + total + " > 6000");
        return p;
    }

    private static void answer(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
