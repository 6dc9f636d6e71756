package dev.kiban.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.engine.EngineEvent;
import dev.kiban.failure.UsageException;
import dev.kiban.monitor.HistorySample;
import dev.kiban.monitor.Metric;
import dev.kiban.monitor.MetricHistory;
import dev.kiban.os.LatestResults;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakeEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard over a real socket on an ephemeral loopback port, the engine a {@link FakeEngine}: the routes, the
 * security rules (method, Host, token and session, query limits, headers on every response), escaping and masking.
 */
class DashboardServerTest {
    static final String HOSTILE = "<script>alert(1)</script>";
    static final String SECRET = "hunter2-do-not-show";
    static final String TOKEN = "a-token-of-at-least-16-characters";
    static final List<String> PAGES = List.of("/", "/stacks", "/metrics", "/alerts", "/backups", "/results",
            "/events");

    @TempDir
    Path temp;
    Path state;

    final FakeEngine engine = engine();
    final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    DashboardServer server;

    static FakeEngine engine() {
        FakeEngine e = FakeEngine.withContainers(FakeEngine.container("web", "running", "Up 3 minutes"));
        e.addContainer(HOSTILE, "running", Map.of("DB_PASSWORD", SECRET, "com.docker.compose.project", "shop"),
                List.of());
        String oom = e.addContainer("eater", "exited", Map.of(), List.of());
        e.setRestarts(oom, 3, true);
        String web = e.addService("shop_web", 2, Map.of("com.docker.stack.namespace", "shop"));
        e.setUpdateStatus(web, new dev.kiban.engine.ServiceSummary.Update("rollback_completed",
                "update rolled back due to failure"));
        e.addTask(new dev.kiban.engine.TaskSummary("t1", web, 1, "shutdown", "failed", "task: non-zero exit (1)",
                "2026-12-05T11:59:00Z", "c1"));
        e.queueEvent(new EngineEvent("container", "start", "abcdef0123456789", Map.of("name", HOSTILE,
                "image", "kiban-test/base", "SECRET_TOKEN", SECRET), Instant.now().toEpochMilli() * 1_000_000));
        e.queueEvent(new EngineEvent("node", "update", "node0123456789", Map.of("name", "worker-2",
                "state.old", "ready", "state.new", "down"), Instant.now().toEpochMilli() * 1_000_000));
        e.queueEvent(new EngineEvent("image", "pull", "img", Map.of("name", "not-shown-image-event"),
                Instant.now().toEpochMilli() * 1_000_000));
        return e;
    }

    DashboardServer start(Optional<byte[]> token) throws IOException {
        state = temp.resolve("monitor");
        var spec = SpecDocument.builtin().require();
        Sources sources = new Sources(() -> engine, spec, "built-in", state, p -> Optional.empty(),
                Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC), temp.resolve("compose"));
        server = DashboardServer.start(new DashboardSettings(InetAddress.getLoopbackAddress(), 0, Optional.empty(),
                token, "ssh -L 9440:127.0.0.1:9440 admin@host"), sources);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.address().getPort();
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void secured(HttpResponse<?> r) {
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(DashboardServer.CSP);
        assertThat(DashboardServer.CSP).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'",
                "form-action 'none'", "base-uri 'none'");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void everyPageAnswersWithTheSecurityHeadersAndNoSecretAndEscapesHostileNames() throws Exception {
        start(Optional.empty());
        for (String page : PAGES) {
            HttpResponse<String> r = get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            secured(r);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(r.body()).as(page).doesNotContain(SECRET, HOSTILE, "<script>alert").contains("ssh -L 9440");
        }
        String stacks = get("/stacks").body();
        assertThat(stacks).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "OOMKilled", "shop")
                .contains("rolled back", "update rolled back due to failure", "failed: task: non-zero exit (1)");
        assertThat(get("/").body()).contains("<span id=\"running\">2</span>", "<span id=\"stopped\">1</span>",
                "href=\"/stacks\"", "href=\"/alerts\"", "href=\"/backups\"", "href=\"/results\"");
        assertThat(get("/events").body()).contains("<script src=\"/static/events.js\" defer></script>")
                .doesNotContainPattern("<script>[^<]");
    }

    @Test
    void theStacksPageShowsDriftFromTheComposeTree() throws Exception {
        Path shop = Files.createDirectories(temp.resolve("compose/shop"));
        Files.writeString(shop.resolve("docker-compose.yml"), "services:\n  web:\n    image: nginx:1.27\n"
                + "    deploy: {replicas: 3}\n  cache:\n    image: redis:7\n");
        Files.createDirectories(temp.resolve("compose/blog"));
        Files.writeString(temp.resolve("compose/blog/docker-compose.yml"), "services: [\n  " + SECRET + ": :\n");
        start(Optional.empty());
        String stacks = get("/stacks").body();
        assertThat(stacks).contains("<section id=\"drift\">", "nginx:1.27", "data-state=\"image\"",
                "data-state=\"replicas\"", "data-state=\"missing\"", "data-state=\"unreadable\"",
                temp.resolve("compose/blog/docker-compose.yml").toString(), "as swarm.nodes says")
                .doesNotContain(SECRET);
    }

    @Test
    void theEventStreamSendsEventsAsTextWithoutLabelsOrSecrets() throws Exception {
        start(Optional.empty());
        HttpResponse<String> r = get("/events/stream");
        assertThat(r.statusCode()).isEqualTo(200);
        secured(r);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(r.body()).contains("data: ", "container start " + HOSTILE + " (kiban-test/base)",
                "node update worker-2 state ready -> down").doesNotContain(SECRET, "not-shown-image-event");
    }

    @Test
    void staticFilesAndDownloadsAreServedAndUnknownPathsAre404() throws Exception {
        start(Optional.empty());
        assertThat(get("/static/dashboard.css").headers().firstValue("Content-Type")).hasValue("text/css; "
                + "charset=utf-8");
        assertThat(get("/static/events.js").body()).contains("EventSource(\"/events/stream\")");
        HttpResponse<String> missing = get("/results/audit.sarif");
        assertThat(missing.statusCode()).isEqualTo(404);
        secured(missing);
        Files.createDirectory(state);
        assertThat(new LatestResults(state).save(LatestResults.Kind.AUDIT, new LatestResults.Summary(
                Instant.parse("2026-12-05T10:00:00Z"), true, "2 checks failed at or above high: 5.1, 5.2"),
                Map.of(LatestResults.Format.SARIF, "{\"version\":\"2.1.0\"}", LatestResults.Format.TEXT,
                        "FAIL 5.1 " + HOSTILE))).isTrue();
        HttpResponse<String> sarif = get("/results/audit.sarif");
        assertThat(sarif.statusCode()).isEqualTo(200);
        assertThat(sarif.body()).isEqualTo("{\"version\":\"2.1.0\"}");
        assertThat(sarif.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"audit.sarif\"");
        assertThat(get("/results").body()).contains("2 checks failed at or above high", "href=\"/results/audit.sarif\"",
                "FAIL 5.1 &lt;script&gt;").doesNotContain(HOSTILE);
        assertThat(get("/").body()).contains("2 checks failed at or above high");
        for (String unknown : List.of("/nope", "/static/other.js", "/stacks/", "/index.html")) {
            HttpResponse<String> r = get(unknown);
            assertThat(r.statusCode()).as(unknown).isEqualTo(404);
            secured(r);
        }
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        start(Optional.empty());
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base() + "/"))
                    .method(method, HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
            secured(r);
        }
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create(base() + "/stacks"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        secured(head);
    }

    /** The JDK client will not send another Host: a raw request over a socket does. */
    String raw(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aForeignHostIsMisdirectedAndAMissingOneBad() throws Exception {
        start(Optional.empty());
        int port = server.address().getPort();
        for (String host : List.of("evil.example:" + port, "127.0.0.1:1", "localhost", "rebind.attacker.test")) {
            String answer = raw("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(host).startsWith("HTTP/1.1 421")
                    .containsIgnoringCase("Content-Security-Policy: default-src");
        }
        assertThat(raw("GET / HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 400");
        for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "LOCALHOST:" + port)) {
            assertThat(raw("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")).as(host)
                    .startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void hugeOrMalformedQueriesAreRefused() throws Exception {
        start(Optional.empty());
        assertThat(get("/?x=" + "a".repeat(5000)).statusCode()).isEqualTo(414);
        assertThat(get("/" + "a".repeat(300)).statusCode()).isEqualTo(414);
        int port = server.address().getPort();
        // a request line that is no URI at all the JDK's server refuses itself: 400, its fixed text, no input echoed
        for (String unparsable : List.of("/?token=%zz", "/?%")) {
            assertThat(raw("GET " + unparsable + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 400").doesNotContain("zz");
        }
        for (String bad : List.of("/?token", "/?range=24h&", "/?=x", "/?unknown=1", "/metrics?range=1y",
                "/metrics?range=24h&range=7d", "/?token=a%00b", "/%2e%2e/etc/passwd")) {
            String answer = raw("GET " + bad + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(bad).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Security-Policy:");
        }
        assertThat(get("/metrics?range=7d").statusCode()).isEqualTo(200);
    }

    @Test
    void withATokenItIsExchangedOnceForASessionCookie() throws Exception {
        start(Optional.of(TOKEN.getBytes(StandardCharsets.UTF_8)));
        for (String denied : List.of("/", "/?token=wrong-token-of-some-length", "/events/stream",
                "/static/events.js")) {
            HttpResponse<String> r = get(denied);
            assertThat(r.statusCode()).as(denied).isEqualTo(401);
            assertThat(r.body()).isEqualTo("Unauthorized.\n");
            secured(r);
        }
        HttpResponse<String> exchanged = get("/metrics?range=7d&token=" + TOKEN);
        assertThat(exchanged.statusCode()).isEqualTo(303);
        assertThat(exchanged.headers().firstValue("Location")).hasValue("/metrics?range=7d");
        String cookie = exchanged.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(Sessions.COOKIE + "=").contains("HttpOnly", "Secure", "SameSite=Strict")
                .doesNotContain(TOKEN);
        String session = cookie.substring(0, cookie.indexOf(';'));
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base() + "/metrics?range=7d"))
                .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain(TOKEN);
        HttpResponse<String> forged = client.send(HttpRequest.newBuilder(URI.create(base() + "/"))
                .header("Cookie", Sessions.COOKIE + "=" + "A".repeat(43)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);
        HttpResponse<String> bearer = client.send(HttpRequest.newBuilder(URI.create(base() + "/alerts"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bearer.statusCode()).isEqualTo(303);
        assertThat(bearer.headers().firstValue("Location")).hasValue("/alerts");
    }

    @Test
    void beyondLoopbackItRefusesToStartWithoutTlsAndToken() throws Exception {
        var spec = SpecDocument.builtin().require();
        Sources sources = new Sources(() -> engine, spec, "built-in", temp, p -> Optional.empty(), Clock.systemUTC());
        InetAddress lan = InetAddress.getByName("192.0.2.10");
        assertThatThrownBy(() -> DashboardServer.start(new DashboardSettings(lan, 0, Optional.empty(),
                Optional.of(TOKEN.getBytes(StandardCharsets.UTF_8)), "t"), sources))
                .isInstanceOf(UsageException.class).hasMessageContaining("beyond loopback")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> DashboardServer.start(new DashboardSettings(InetAddress.getByName("0.0.0.0"), 0,
                Optional.of(javax.net.ssl.SSLContext.getDefault()), Optional.of(new byte[16]), "t"), sources))
                .isInstanceOf(UsageException.class);
    }

    @Test
    void alertsAndBackupsAreReadFromTheirFiles() throws Exception {
        start(Optional.empty());
        assertThat(get("/alerts").body()).contains("no alert so far");
        Files.createDirectory(state);
        Files.writeString(state.resolve("history.log"), "2026-12-04T10:00:00Z FIRING disk/data mail disk "
                + HOSTILE + " full\n2026-12-04T11:00:00Z RESOLVED disk/data mail back under\n");
        Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        String alerts = get("/alerts").body();
        assertThat(alerts).contains("sent to mail", "disk/data", "back under").doesNotContain(HOSTILE);
        assertThat(get("/backups").body()).contains("No backup has run");
    }

    @Test
    void theMetricsPageDrawsTheHistoryTheAgentRecordedAndRefusesASubjectItDoesNotHold() throws Exception {
        start(Optional.empty());
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        Files.createDirectories(state); // the agent's MonitorState makes it
        try (var writer = MetricHistory.writer(state.resolve("history"), java.time.Duration.ofSeconds(30))) {
            for (int i = 120; i >= 0; i--) {
                Instant at = now.minusSeconds(30L * i);
                writer.record(at, List.of(
                        new HistorySample("host", Metric.CPU_PERCENT, 12.5),
                        new HistorySample("host", Metric.DISK_BYTES, 3e9),
                        new HistorySample(HOSTILE, Metric.MEMORY_BYTES,
                                64.0 * 1024 * 1024, 256.0 * 1024 * 1024)));
                // a container's disk is read once per 5 minutes: every 10th sweep carries it
                if (i % 10 == 0) writer.record(at, List.of(new HistorySample("web", Metric.DISK_BYTES, 5e6)));
            }
        }
        HttpResponse<String> host = get("/metrics");
        assertThat(host.statusCode()).isEqualTo(200);
        secured(host);
        assertThat(host.body()).contains("<svg", "<title>host — CPU</title>", "<title>host — disk used</title>")
                .doesNotContain("no-history", HOSTILE).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        String hostile = java.net.URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8);
        HttpResponse<String> container = get("/metrics?range=7d&subject=" + hostile);
        assertThat(container.statusCode()).isEqualTo(200);
        assertThat(container.body()).contains("memory limit: 256.0 MiB").doesNotContain(HOSTILE)
                .doesNotContain("disk used"); // no reading of its disk: no chart
        HttpResponse<String> web = get("/metrics?subject=web");
        assertThat(web.statusCode()).isEqualTo(200);
        assertThat(web.body()).contains("<title>web — disk used</title>");
        assertThat(get("/metrics?subject=nobody").statusCode()).isEqualTo(400);
    }
}
