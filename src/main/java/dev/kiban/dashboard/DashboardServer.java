package dev.kiban.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kiban.engine.Engine;
import dev.kiban.failure.UsageException;
import dev.kiban.os.LatestResults;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code kiban dashboard}: the read-only pages over the JDK's own HTTP server ({@code jdk.httpserver}: no
 * dependency, up in milliseconds, and all a page server with one event stream needs). Every request passes the
 * {@link Gate} (method, Host, path, query), then the token rule where one is set, and every response carries the
 * same security headers, errors included.
 */
public final class DashboardServer implements AutoCloseable {
    static final String CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    static final int THREADS = 8;
    private static final Set<String> TOKEN_ONLY = Set.of("token");
    private static final Map<String, String> STATIC = Map.of("/static/dashboard.css", "text/css; charset=utf-8",
            "/static/events.js", "text/javascript; charset=utf-8");

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final DashboardSettings settings;
    private final Sources sources;
    private final Set<String> hosts;
    private final Optional<Sessions> sessions;
    private final EventStream events;
    private final Map<String, byte[]> statics;

    private DashboardServer(HttpServer server, DashboardSettings settings, Sources sources) throws IOException {
        this.server = server;
        this.settings = settings;
        this.sources = sources;
        this.hosts = Gate.allowedHosts(settings.hostName(), server.getAddress().getPort());
        this.sessions = settings.token().map(t -> new Sessions(t, sources.clock()));
        this.events = new EventStream(sources.engines(), sources.clock());
        this.statics = Map.of("/static/dashboard.css", resource("dashboard.css"), "/static/events.js",
                resource("events.js"));
        // a full queue answers 503 at once rather than letting requests pile up
        this.workers = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(64), r -> {
                    Thread t = new Thread(r, "kiban-dashboard");
                    t.setDaemon(true);
                    return t;
                });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    /**
     * Starts serving. Beyond loopback it refuses to start without TLS and a token (a usage error, exit 2): the
     * pages would otherwise be open, in clear, to the network.
     */
    public static DashboardServer start(DashboardSettings settings, Sources sources) throws IOException {
        if (!settings.loopback() && (settings.tls().isEmpty() || settings.token().isEmpty())) {
            throw new UsageException("the dashboard binds " + settings.hostName() + ", beyond loopback: that needs "
                    + "dashboard.tls (certificate and key) and dashboard.tokenFile in the spec; or keep it on "
                    + "127.0.0.1 and reach it through an SSH tunnel");
        }
        if (settings.address().isAnyLocalAddress()) {
            throw new UsageException("the dashboard binds a wildcard address (" + settings.hostName() + "): give the "
                    + "one address it is reached at, so that it can refuse requests for other names");
        }
        // the JDK server reads a request with no time limit unless told: a client sending half a request would
        // hold a worker. Only the request's time: a response (the event stream) may last.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "10");
        }
        InetSocketAddress at = new InetSocketAddress(settings.address(), settings.port());
        HttpServer server;
        if (settings.tls().isPresent()) {
            HttpsServer https = HttpsServer.create(at, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(settings.tls().get()));
            server = https;
        } else {
            server = HttpServer.create(at, 64);
        }
        DashboardServer dashboard = new DashboardServer(server, settings, sources);
        server.start();
        return dashboard;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        events.close();
        workers.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            secure(ex.getResponseHeaders());
            route(ex);
        } catch (Gate.RefusedRequest r) {
            text(ex, r.status, r.getMessage());
        } catch (RuntimeException | IOException e) {
            try {
                text(ex, 500, "The page failed: " + Pages.reason(e));
            } catch (IOException | RuntimeException ignored) {
                // the response was already under way; the connection closes
            }
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException, Gate.RefusedRequest {
        Optional<Gate.Refusal> refused = Gate.method(ex.getRequestMethod());
        if (refused.isPresent()) ex.getResponseHeaders().set("Allow", "GET, HEAD");
        if (refused.isEmpty()) refused = Gate.host(ex.getRequestHeaders().get("Host"), hosts);
        URI uri = ex.getRequestURI();
        if (refused.isEmpty()) refused = Gate.path(uri.getRawPath());
        if (refused.isPresent()) {
            text(ex, refused.get().status(), refused.get().text());
            return;
        }
        String path = uri.getRawPath();
        Set<String> names = new java.util.HashSet<>(TOKEN_ONLY);
        if (path.equals("/metrics")) names.addAll(MetricsPage.PARAMETERS);
        Map<String, String> query = Gate.query(uri.getRawQuery(), names);
        if (sessions.isPresent() && !authorised(ex, path, query)) return;
        query.remove("token");

        if (STATIC.containsKey(path)) {
            send(ex, 200, STATIC.get(path), statics.get(path));
            return;
        }
        Optional<ResultsPage.Download> download = ResultsPage.download(path);
        if (download.isPresent()) {
            LatestResults.Format f = download.get().format();
            Optional<String> body = sources.results().report(download.get().kind(), f);
            if (body.isEmpty()) {
                text(ex, 404, "Not found: that report was not saved yet.");
                return;
            }
            ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\""
                    + download.get().kind().word() + f.ending() + "\"");
            send(ex, 200, f.mediaType(), body.get().getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.equals("/events/stream")) {
            stream(ex);
            return;
        }
        String title = Html.PAGES.stream().filter(p -> p.getKey().equals(path)).map(Map.Entry::getValue).findFirst()
                .orElse(null);
        if (title == null) {
            text(ex, 404, "Not found.");
            return;
        }
        String body = switch (path) {
            case "/" -> OverviewPage.render(sources);
            case "/stacks" -> StacksPage.render(sources);
            case "/metrics" -> MetricsPage.render(sources, query);
            case "/alerts" -> AlertsPage.render(sources);
            case "/backups" -> BackupsPage.render(sources);
            case "/results" -> ResultsPage.render(sources);
            default -> EventsPage.render();
        };
        String html = path.equals("/events") ? Html.page(path, title, settings.tunnel(), body, "/static/events.js")
                : Html.page(path, title, settings.tunnel(), body);
        send(ex, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The token rule: a valid session cookie passes; the token (query or Bearer) is exchanged for a new session and
     * a redirect to the same page without it; anything else is 401 with no hint of which part was wrong.
     */
    private boolean authorised(HttpExchange ex, String path, Map<String, String> query) throws IOException {
        Sessions s = sessions.orElseThrow();
        Optional<String> cookie = Gate.cookie(ex.getRequestHeaders().get("Cookie"), Sessions.COOKIE);
        if (cookie.isPresent() && s.valid(cookie.get()) && !query.containsKey("token")) return true;
        String offered = query.get("token");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (offered == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            offered = auth.substring(7).strip();
        }
        if (offered != null && s.isToken(offered.getBytes(StandardCharsets.UTF_8))) {
            ex.getResponseHeaders().add("Set-Cookie", Sessions.COOKIE + "=" + s.open()
                    + "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=" + Sessions.LIFETIME.toSeconds());
            StringBuilder location = new StringBuilder(path);
            String sep = "?";
            for (var e : query.entrySet()) {
                if (e.getKey().equals("token")) continue;
                location.append(sep).append(e.getKey()).append('=').append(java.net.URLEncoder.encode(e.getValue(),
                        StandardCharsets.UTF_8));
                sep = "&";
            }
            ex.getResponseHeaders().set("Location", location.toString());
            text(ex, 303, "See other.");
            return false;
        }
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        text(ex, 401, "Unauthorized.");
        return false;
    }

    private void stream(HttpExchange ex) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, -1);
            return;
        }
        if (!events.reserve()) {
            text(ex, 503, "Too many event streams are open.");
            return;
        }
        Engine engine;
        try {
            engine = sources.engines().get();
        } catch (RuntimeException e) {
            events.release();
            text(ex, 503, "The engine did not answer: " + Pages.reason(e));
            return;
        }
        events.serve(ex, engine);
    }

    /** The headers every response carries. */
    private void secure(Headers h) {
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        h.set("X-Frame-Options", "DENY");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        if (settings.tls().isPresent()) h.set("Strict-Transport-Security", "max-age=31536000");
    }

    private static void text(HttpExchange ex, int status, String text) throws IOException {
        send(ex, status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("kiban's dashboard resource " + name + " is missing from the jar");
            return in.readAllBytes();
        }
    }
}
