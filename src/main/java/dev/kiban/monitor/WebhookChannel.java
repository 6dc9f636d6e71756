package dev.kiban.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A generic JSON webhook: the notification with its id, which is also sent as {@code Idempotency-Key}
 * so a receiver can drop the repeat of a notification whose first delivery was interrupted.
 */
public final class WebhookChannel implements Channel {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    static final String KEY = "monitor.channels.webhook.url";
    private final URI uri;
    /** The URL and its parts as they may be quoted back (a receiver's token is often in the path). */
    private final String[] secrets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The URL may hold a token: errors name {@link #KEY}, never the value. */
    public WebhookChannel(String url) {
        this.uri = ChannelUrls.parse(KEY, url, false);
        this.secrets = ChannelUrls.secretsOf(url.strip(), uri);
    }

    @Override
    public String toString() {
        return "WebhookChannel[" + uri.getHost() + ", URL hidden]";
    }

    @Override
    public String name() {
        return "webhook";
    }

    static ObjectNode payload(Notification n, boolean redelivery) {
        ObjectNode body = JSON.createObjectNode().put("id", n.id()).put("host", n.host()).put("title", n.title())
                .put("test", n.test()).put("redelivery", redelivery).put("created", n.created().toString());
        var events = body.putArray("events");
        for (AlertEvent e : n.events()) {
            events.addObject().put("kind", e.kind().name().toLowerCase()).put("rule", e.key().rule())
                    .put("subject", e.key().subject()).put("value", e.value()).put("summary", e.summary())
                    .put("since", e.since().toString()).put("at", e.at().toString());
        }
        return body;
    }

    @Override
    public Delivery send(Notification n, boolean redelivery) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", n.id())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(payload(n, redelivery))))
                    .build();
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            int s = r.statusCode();
            if (s >= 200 && s < 300) return new Delivery.Delivered("webhook answered " + s);
            if (s == 429 || s >= 500) return new Delivery.Retry(Duration.ZERO, "webhook answered " + s);
            return new Delivery.Rejected("webhook answered " + s, s == 404 || s == 410);
        } catch (IOException e) {
            String why = ChannelUrls.describe(e, name(), secrets);
            return new Delivery.Retry(Duration.ZERO, "webhook did not answer (" + why + ")");
        } catch (RuntimeException e) { // the client's argument checks quote the URL: only the redacted text is kept
            String why = ChannelUrls.describe(e, name(), secrets);
            return new Delivery.Rejected("the webhook could not be asked (" + why + ")", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Retry(Duration.ofSeconds(1), "interrupted");
        }
    }
}
