package dev.kiban.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.spec.SpecException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Discord webhook delivery, as Discord documents it: POST to the versioned API ({@code /api/v10}) with
 * {@code wait=true} so a 200 means the message exists; 429 waits its {@code retry_after}; an exhausted
 * bucket ({@code X-RateLimit-Remaining: 0}) waits {@code X-RateLimit-Reset-After} before the next send;
 * 404 means the webhook was deleted and the channel stops. The URL holds a token and never appears in
 * a message.
 */
public final class DiscordChannel implements Channel {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "monitor.channels.discord.webhook";
    private final URI uri;
    /** The URL and its parts as they may be quoted back (the path holds Discord's token). */
    private final String[] secrets;
    private final HttpClient http;
    private Instant quietUntil = Instant.EPOCH;

    /** Errors name {@link #KEY}, never the URL. */
    public DiscordChannel(String webhookUrl) {
        this.uri = versioned(webhookUrl);
        this.secrets = ChannelUrls.secretsOf(webhookUrl.strip(), uri);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * {@code https://discord.com/api/webhooks/ID/TOKEN} →
     * {@code https://discord.com/api/v10/webhooks/ID/TOKEN?wait=true}.
     */
    static URI versioned(String url) {
        URI u = ChannelUrls.parse(KEY, url, true);
        String raw = u.getRawPath() == null ? "" : u.getRawPath();
        String path = raw.replaceFirst("^/api(/v\\d+)?/webhooks/", "/api/v10/webhooks/");
        if (!path.matches("/api/v10/webhooks/[^/]+/[^/]+/?")) {
            throw new SpecException(KEY + ": not a Discord webhook URL (https://discord.com/api/webhooks/ID/TOKEN); "
                    + "the value is not shown");
        }
        return URI.create(u.getScheme() + "://" + u.getRawAuthority() + path + "?wait=true");
    }

    @Override
    public String toString() {
        return "DiscordChannel[" + uri.getHost() + ", webhook hidden]";
    }

    @Override
    public String name() {
        return "discord";
    }

    @Override
    public Delivery send(Notification n, boolean redelivery) {
        Instant now = Instant.now();
        if (now.isBefore(quietUntil)) return new Delivery.Retry(Duration.between(now, quietUntil),
                "Discord's rate limit bucket is empty");
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(DiscordMessage.of(n, redelivery));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header("User-Agent", "kiban (https://github.com/kiban, 1)")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (RuntimeException e) { // the client's argument checks quote the URL: only the redacted text is kept
            String why = ChannelUrls.describe(e, name(), secrets);
            return new Delivery.Rejected("Discord could not be asked (" + why + ")", false);
        } catch (IOException e) {
            String why = ChannelUrls.describe(e, name(), secrets);
            return new Delivery.Retry(Duration.ZERO, "Discord did not answer (" + why + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Retry(Duration.ofSeconds(1), "interrupted");
        }
        if ("0".equals(r.headers().firstValue("X-RateLimit-Remaining").orElse(""))) {
            quietUntil = Instant.now().plus(seconds(r.headers().firstValue("X-RateLimit-Reset-After").orElse("1")));
        }
        int status = r.statusCode();
        if (status == 200 || status == 204) return new Delivery.Delivered("Discord message " + field(r.body(), "id"));
        if (status == 429) {
            Duration wait = seconds(field(r.body(), "retry_after").isEmpty()
                    ? r.headers().firstValue("Retry-After").orElse("1") : field(r.body(), "retry_after"));
            quietUntil = Instant.now().plus(wait);
            return new Delivery.Retry(wait, "Discord rate limit (429), retry after " + wait.toMillis() + " ms");
        }
        if (status == 404) return new Delivery.Rejected("the Discord webhook no longer exists (404); give a new one "
                + "in monitor.channels.discord.webhook", true);
        if (status == 401 || status == 403) return new Delivery.Rejected("Discord refused the webhook's token ("
                + status + ")", true);
        if (status >= 500) return new Delivery.Retry(Duration.ZERO, "Discord answered " + status);
        String said = ChannelUrls.redact(DiscordMessage.cut(r.body(), 300), name(), secrets);
        return new Delivery.Rejected("Discord answered " + status + ": " + said, false);
    }

    private static String field(String body, String name) {
        try {
            JsonNode json = JSON.readTree(body);
            return json == null ? "" : json.path(name).asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static Duration seconds(String s) {
        try {
            return Duration.ofMillis((long) Math.ceil(Double.parseDouble(s) * 1000));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }
}
