package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.kiban.spec.SpecException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {
    record Received(String idempotencyKey, JsonNode body) {}

    @Test
    void postsTheNotificationWithItsIdAsIdempotencyKeyAndRetriesOn5xx() throws Exception {
        List<Received> got = new CopyOnWriteArrayList<>();
        AtomicInteger status = new AtomicInteger(503);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", x -> {
            got.add(new Received(x.getRequestHeaders().getFirst("Idempotency-Key"),
                    new ObjectMapper().readTree(x.getRequestBody())));
            x.sendResponseHeaders(status.get(), -1);
            x.close();
        });
        server.start();
        try {
            WebhookChannel hook = new WebhookChannel("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
            Instant at = Instant.parse("2026-11-28T02:00:00Z");
            Notification n = new Notification("1764295200000-hook0001", "webhook", "ws1", at,
                    List.of(new AlertEvent(AlertEvent.Kind.FIRING, new AlertKey("disk-high", "/data"), 91.5,
                    "/data 92% used", at, at)), false);
            assertThat(hook.send(n, false)).isInstanceOf(Delivery.Retry.class);
            status.set(204);
            assertThat(hook.send(n, true)).isInstanceOf(Delivery.Delivered.class);
            assertThat(got).hasSize(2).allSatisfy(r -> assertThat(r.idempotencyKey())
                    .isEqualTo("1764295200000-hook0001"));
            JsonNode body = got.get(1).body();
            assertThat(body.path("redelivery").asBoolean()).isTrue();
            assertThat(body.path("events").get(0).path("rule").asText()).isEqualTo("disk-high");
            assertThat(body.path("events").get(0).path("value").asDouble()).isEqualTo(91.5);
            status.set(404);
            assertThat(hook.send(n, false)).isInstanceOfSatisfying(Delivery.Rejected.class,
                    r -> assertThat(r.channelGone()).isTrue());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBadUrlNamesTheKeyAndNeverTheValue() {
        for (String bad : List.of("https://user:SECRETPASS@hooks.example.org/",
                "https://hooks.example.org/SECRETPASS with space",
                "ftp://hooks.example.org/SECRETPASS", "hooks.example.org/SECRETPASS",
                "https://hooks.example.org/SECRETPASS\r\nX-Injected: 1")) {
            assertThatThrownBy(() -> new WebhookChannel(bad)).as(bad).isInstanceOf(SpecException.class)
                    .hasMessageStartingWith("monitor.channels.webhook.url: ").hasMessageNotContaining("SECRETPASS");
        }
    }

    @Test
    void aReceiverThatIsDownIsRetriedWithoutQuotingTheUrl() {
        WebhookChannel hook = new WebhookChannel("http://127.0.0.1:1/hook/SECRETPASS-in-path");
        Instant at = Instant.parse("2026-11-28T02:00:00Z");
        Delivery d = hook.send(new Notification("1-x", "webhook", "ws1", at, List.of(), true), false);
        assertThat(d).isInstanceOf(Delivery.Retry.class);
        assertThat(d.toString()).doesNotContain("SECRETPASS").doesNotContain("Exception");
        assertThat(hook.toString()).doesNotContain("SECRETPASS");
    }
}
