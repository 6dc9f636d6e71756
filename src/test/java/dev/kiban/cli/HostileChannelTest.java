package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile channel settings and outbox contents: secrets in malformed URLs, SMTP AUTH that would go out
 * in the clear, files in the outbox that are not notifications. Nothing here sends traffic off this
 * machine: the refusals happen before any connection, and the receivers that are asked are closed
 * loopback ports.
 */
class HostileChannelTest {
    static final String TOKEN = "SECRETTOKEN-7f3a9c";
    static final String PASSWORD = "smtp-s3cret-pw-41";

    @TempDir
    Path dir;

    /** A filled spec with these channel settings, its state under the test's directory. */
    Path spec(String channels, String rules) throws Exception {
        Path f = dir.resolve("kiban.yaml");
        Files.writeString(f, "admin: {email: ops@example.org}\n"
                + "monitor:\n"
                + "  state: " + dir.resolve("state") + "\n"
                + (rules == null ? "" : "  rules: " + rules + "\n")
                + "  channels: " + channels + "\n"
                + "security: {ssh: {allowUsers: [deploy]}}\n");
        return f;
    }

    static final String DISCORD = "{discord: {webhook: env:DISCORD_WEBHOOK}}";
    static final String HOOK = "{webhook: {url: env:HOOK}}";

    HostileCorpus.Outcome alertTest(Map<String, String> env, String channels, String channel) throws Exception {
        return HostileCorpus.run(env, a -> {
            throw new AssertionError("alert test must not reach the engine");
        }, "", "-c", spec(channels, null).toString(), "alert", "test", "--channel", channel);
    }

    // --- Discord: the token is in the URL's path ---

    @Test
    void discordWebhookWithASpaceNamesTheKeyNotTheToken() throws Exception {
        var o = alertTest(Map.of("DISCORD_WEBHOOK", "https://discord.com/api/webhooks/123/" + TOKEN + " with space"),
                DISCORD, "discord");
        HostileCorpus.expect(o, 2, "monitor.channels.discord.webhook: not a valid https URL", TOKEN);
    }

    @Test
    void discordWebhookWithAMistypedSchemeNamesTheKeyNotTheToken() throws Exception {
        var o = alertTest(Map.of("DISCORD_WEBHOOK", "htps://discord.com/api/webhooks/123/" + TOKEN), DISCORD,
                "discord");
        HostileCorpus.expect(o, 2, "monitor.channels.discord.webhook: not a valid https URL", TOKEN);
    }

    @Test
    void discordWebhookWithANewlineNamesTheKeyNotTheToken() throws Exception {
        String injected = "https://discord.com/api/webhooks/123/" + TOKEN + "\nX-Injected: 1";
        var o = alertTest(Map.of("DISCORD_WEBHOOK", injected), DISCORD, "discord");
        HostileCorpus.expect(o, 2, "monitor.channels.discord.webhook: not a valid https URL", TOKEN);
    }

    @Test
    void discordWebhookOverPlainHttpIsRefusedWithoutTheToken() throws Exception {
        var o = alertTest(Map.of("DISCORD_WEBHOOK", "http://discord.com/api/webhooks/123/" + TOKEN), DISCORD,
                "discord");
        HostileCorpus.expect(o, 2, "monitor.channels.discord.webhook: not a valid https URL (plain http", TOKEN);
    }

    @Test
    void discordWebhookThatIsNotAWebhookPathNamesTheKey() throws Exception {
        var o = alertTest(Map.of("DISCORD_WEBHOOK", "https://discord.com/channels/123/" + TOKEN), DISCORD, "discord");
        HostileCorpus.expect(o, 2, "monitor.channels.discord.webhook: not a Discord webhook URL", TOKEN);
    }

    @Test
    void discordWebhookFromAFileWithGarbageNamesTheKeyNotTheContent() throws Exception {
        Path secret = dir.resolve("discord-webhook");
        Files.writeString(secret, "https://discord.com/api/webhooks/123/" + TOKEN + "\u0000\u0007 trailing garbage\n");
        var o = alertTest(Map.of(), "{discord: {webhook: 'file:" + secret + "'}}", "discord");
        HostileCorpus.expect(o, 2, "monitor.channels.discord.webhook: not a valid https URL", TOKEN);
    }

    @Test
    void discordThatDoesNotAnswerIsKeptForRetryWithoutTheToken() throws Exception {
        // a closed loopback port: the HTTP client's error would quote the URL, token and all
        var o = alertTest(Map.of("DISCORD_WEBHOOK", "http://127.0.0.1:1/api/webhooks/123/" + TOKEN), DISCORD,
                "discord");
        HostileCorpus.expect(o, 1, "discord: not delivered, kept for retry: Discord did not answer", TOKEN,
                "/api/v10/webhooks/123");
        try (var left = Files.list(dir.resolve("state/outbox"))) {
            for (Path p : left.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(p)).doesNotContain(TOKEN);
            }
        }
    }

    // --- the generic webhook ---

    @Test
    void webhookUrlWithUserinfoIsRefusedWithoutThePassword() throws Exception {
        var o = alertTest(Map.of("HOOK", "https://user:" + PASSWORD + "@hooks.example.org/kiban"), HOOK, "webhook");
        HostileCorpus.expect(o, 2,
                "monitor.channels.webhook.url: credentials in the URL (user:password@) are not supported", PASSWORD);
    }

    @Test
    void webhookUrlWithABadSchemeNamesTheKeyNotTheValue() throws Exception {
        var o = alertTest(Map.of("HOOK", "ftp://hooks.example.org/" + TOKEN), HOOK, "webhook");
        HostileCorpus.expect(o, 2, "monitor.channels.webhook.url: not a valid http(s) URL", TOKEN);
    }

    @Test
    void webhookThatDoesNotAnswerIsKeptForRetryWithoutTheUrl() throws Exception {
        var o = alertTest(Map.of("HOOK", "http://127.0.0.1:1/hook/" + TOKEN), HOOK, "webhook");
        HostileCorpus.expect(o, 1, "webhook: not delivered, kept for retry: webhook did not answer", TOKEN);
    }

    // --- SMTP: AUTH never in the clear ---

    // The spec refuses these before any channel starts (exit 2, at the key); MailChannelTest covers the
    // channel's own refusal, the second line of defence for settings that reach it another way.
    @Test
    void mailWithAPasswordToAnotherHostWithoutTlsIsRefusedByTheSpec() throws Exception {
        var o = alertTest(Map.of("SMTP_PASSWORD", PASSWORD), "{mail: {smtpHost: smtp.example.org, smtpPort: 587, "
                + "starttls: false, username: kiban, password: env:SMTP_PASSWORD, from: kiban@example.org}}", "mail");
        HostileCorpus.expect(o, 2, "the SMTP login would cross the network in cleartext", PASSWORD);
        assertThat(dir.resolve("state/outbox")).as("nothing was queued").doesNotExist();
    }

    @Test
    void mailWithAPasswordFromAFileToAnotherHostWithoutTlsIsRefusedByTheSpec() throws Exception {
        Path secret = dir.resolve("smtp-password");
        Files.writeString(secret, PASSWORD + "\n");
        var o = alertTest(Map.of(), "{mail: {smtpHost: 192.0.2.10, smtpPort: 25, username: kiban, "
                + "password: 'file:" + secret + "', from: kiban@example.org}}", "mail");
        HostileCorpus.expect(o, 2, "the SMTP login would cross the network in cleartext", PASSWORD);
    }

    // --- the outbox: files that are not notifications; the agent sets them aside and goes on ---

    /** An engine with no containers and no services, whose event stream stays quiet until the agent stops. */
    static Function<EngineAddress, Engine> quietEngine() {
        return address -> (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "address" -> address;
                    case "containers", "serviceReplicas", "services", "tasks", "logLines" -> List.of();
                    case "counters", "stats" -> Optional.empty();
                    case "close" -> null;
                    case "followEvents" -> {
                        Thread.sleep(Long.MAX_VALUE); // until the agent interrupts it
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "quiet engine";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** {@code monitor --once} over an outbox holding {@code name}, made by {@code plant}; the sentinel stays. */
    void agentSetsAside(String name, String reason, ThrowingConsumer<Path> plant) throws Exception {
        HostileCorpus.Sentinel sentinel = HostileCorpus.Sentinel.plant(dir.resolve("sentinel"));
        Path outbox = Files.createDirectories(dir.resolve("state/outbox/failed")).getParent();
        plant.accept(outbox.resolve(name));
        Path spec = spec(DISCORD, "[{name: container-down, metric: container-down, channels: [discord]}]");
        var env = Map.of("DISCORD_WEBHOOK", "http://127.0.0.1:1/api/webhooks/123/" + TOKEN);
        var o = HostileCorpus.run(env, quietEngine(), "", "-c", spec.toString(), "monitor", "--once",
                "--state", dir.resolve("state").toString(), "--filesystem", dir.toString(),
                "--backup-log", dir.resolve("no-backup.log").toString());
        HostileCorpus.expect(o, 0, "outbox: set aside " + name + ": " + reason, TOKEN);
        assertThat(o.all()).contains("0 alerts firing");
        assertThat(outbox.resolve(name)).doesNotExist();
        assertThat(outbox.resolve("failed/" + name + ".bad.reason")).exists();
        sentinel.assertUnchanged();
    }

    interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }

    @Test
    void outboxFileWithGarbageJsonIsSetAside() throws Exception {
        agentSetsAside("1-garbage.discord.json", "not a notification's JSON",
                f -> Files.writeString(f, "{\"notification\": [1, 2, " + TOKEN));
    }

    @Test
    void emptyOutboxFileIsSetAside() throws Exception {
        agentSetsAside("1-empty.discord.json", "empty", f -> Files.createFile(f));
    }

    @Test
    void outboxSymlinkToASentinelIsSetAsideNeverFollowed() throws Exception {
        agentSetsAside("1-link.discord.json", "a symbolic link",
                f -> Files.createSymbolicLink(f, dir.resolve("sentinel/secret.txt")));
        assertThat(Files.isSymbolicLink(dir.resolve("state/outbox/failed/1-link.discord.json.bad"))).isTrue();
    }

    @Test
    void outboxDirectoryIsSetAside() throws Exception {
        agentSetsAside("1-dir.discord.json", "a directory",
                f -> Files.writeString(Files.createDirectory(f).resolve("inner"), "x"));
    }

    @Test
    void hugeOutboxFileIsSetAsideUnread() throws Exception {
        agentSetsAside("1-huge.discord.json", "larger than 1 MiB", f -> {
            try (var ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {'{'}), 64L << 20); // sparse
            }
        });
    }

    @Test
    void outboxFileThatEscapesItsDirectoryIsSetAside() throws Exception {
        String escaping = "{\"notification\": {\"id\": \"../../../sentinel/secret\", \"channel\": \"discord\", "
                + "\"host\": \"h\", \"created\": \"2026-11-28T02:00:00Z\", \"events\": [], \"test\": true}, "
                + "\"attempts\": 0, \"nextAttempt\": \"2026-11-28T02:00:00Z\", \"inFlight\": false, "
                + "\"redelivery\": false, \"lastError\": \"\"}";
        agentSetsAside("1-escape.discord.json", "a notification whose id or channel is not a plain name",
                f -> Files.writeString(f, escaping));
    }
}
