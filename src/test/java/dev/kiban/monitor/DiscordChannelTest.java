package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiban.spec.SpecException;
import dev.kiban.testing.DiscordReceiver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscordChannelTest {
    static final Instant NOW = Instant.parse("2026-11-28T02:00:00Z");

    static Notification notification(int events, int summaryLength) {
        List<AlertEvent> list = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            list.add(new AlertEvent(i % 3 == 0 ? AlertEvent.Kind.RESOLVED : AlertEvent.Kind.FIRING,
                    new AlertKey("container-down", "web-" + i + "x".repeat(300)),
                    137, "exited 137: " + "y".repeat(summaryLength), NOW, NOW));
        }
        return new Notification("1764295200000-abcd1234", "discord", "ws1", NOW, list, false);
    }

    @Test
    void anyNotificationFitsDiscordsLimits() {
        for (int events : new int[] {1, 3, 10, 11, 60}) {
            for (int length : new int[] {10, 1000, 5000, 20_000}) {
                ObjectNode msg = DiscordMessage.of(notification(events, length), true);
                assertThat(DiscordReceiver.limits(msg)).as(events + " events of " + length).isEmpty();
                assertThat(DiscordMessage.counted(msg)).isLessThanOrEqualTo(6000);
            }
        }
        ObjectNode many = DiscordMessage.of(notification(60, 10), false);
        assertThat(many.path("embeds")).hasSize(10);
        assertThat(many.path("embeds").get(9).path("title").asText())
                .isEqualTo("… and 51 more: kiban alert ls on ws1");
        assertThat(many.path("allowed_mentions").path("parse")).isEmpty();
    }

    @Test
    void aSmallNotificationIsSentWhole() {
        ObjectNode msg = DiscordMessage.of(notification(1, 20), false);
        assertThat(msg.path("content").asText()).isEqualTo("[kiban] ws1: 1 resolved");
        assertThat(msg.path("embeds").get(0).path("description").asText()).isEqualTo("exited 137: " + "y".repeat(20));
        assertThat(msg.path("embeds").get(0).path("color").asInt()).isEqualTo(0x2ECC71);
    }

    @Test
    void deliversAndHonoursRateLimitsAndAGoneWebhook() throws Exception {
        try (DiscordReceiver discord = new DiscordReceiver()) {
            DiscordChannel channel = new DiscordChannel(discord.webhookUrl());
            assertThat(channel.send(notification(2, 10), false)).isInstanceOfSatisfying(Delivery.Delivered.class,
                    d -> assertThat(d.detail()).startsWith("Discord message 1000000000001"));
            discord.rateLimit(1, 0.35);
            assertThat(channel.send(notification(1, 10), false)).isInstanceOfSatisfying(Delivery.Retry.class,
                    r -> assertThat(r.after().toMillis()).isEqualTo(350));
            assertThat(channel.send(notification(1, 10), false)).as("the bucket is still empty: not even asked")
                    .isInstanceOf(Delivery.Retry.class);
            assertThat(discord.requests()).isEqualTo(2);
            Thread.sleep(400);
            assertThat(channel.send(notification(1, 10), false)).isInstanceOf(Delivery.Delivered.class);
            discord.delete();
            assertThat(channel.send(notification(1, 10), false)).isInstanceOfSatisfying(Delivery.Rejected.class, r -> {
                assertThat(r.channelGone()).isTrue();
                assertThat(r.reason()).contains("404").doesNotContain(DiscordReceiver.TOKEN);
            });
        }
    }

    @Test
    void theWebhookUrlIsMovedToTheVersionedApi() {
        assertThat(DiscordChannel.versioned("https://discord.com/api/webhooks/1/abc").toString())
                .isEqualTo("https://discord.com/api/v10/webhooks/1/abc?wait=true");
        assertThat(DiscordChannel.versioned("https://discord.com/api/v9/webhooks/1/abc").toString())
                .isEqualTo("https://discord.com/api/v10/webhooks/1/abc?wait=true");
    }

    @Test
    void aMalformedWebhookNamesTheKeyNeverTheToken() {
        for (String bad : List.of("https://discord.com/api/webhooks/123/SECRETTOKEN with space",
                "htps://discord.com/api/webhooks/123/SECRETTOKEN",
                "https://discord.com/api/webhooks/123/SECRETTOKEN\nX",
                "http://discord.com/api/webhooks/123/SECRETTOKEN", "https://discord.com/elsewhere/SECRETTOKEN",
                "https://user:SECRETTOKEN@discord.com/api/webhooks/1/x", "SECRETTOKEN", "https://[SECRETTOKEN")) {
            assertThatThrownBy(() -> new DiscordChannel(bad)).as(bad).isInstanceOf(SpecException.class)
                    .hasMessageStartingWith("monitor.channels.discord.webhook: ")
                    .hasMessageNotContaining("SECRETTOKEN");
        }
    }

    @Test
    void aFailedSendNeverQuotesTheUrl() {
        // a closed loopback port: the client's error must not carry the token
        DiscordChannel channel = new DiscordChannel("http://127.0.0.1:1/api/webhooks/123/" + DiscordReceiver.TOKEN);
        Delivery d = channel.send(notification(1, 10), false);
        assertThat(d).isInstanceOf(Delivery.Retry.class);
        assertThat(d.toString()).doesNotContain(DiscordReceiver.TOKEN).doesNotContain("127.0.0.1:1/api")
                .doesNotContain("Exception");
        assertThat(channel.toString()).doesNotContain(DiscordReceiver.TOKEN);
    }

    @Test
    void redactionRemovesUrlsSecretsAndTheirBase64() {
        String token = "abcdefgh12345678";
        byte[] bytes = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String base64 = java.util.Base64.getEncoder().encodeToString(bytes);
        String said = ChannelUrls.redact("failed https://discord.com/api/v10/webhooks/1/" + token + "?wait=true and "
                + token + " and " + base64 + "\nnext", "discord", token);
        assertThat(said).doesNotContain(token).doesNotContain(base64).doesNotContain("discord.com")
                .contains("<discord URL>").doesNotContain("\n");
    }
}
