package dev.kiban.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One open line to an engine: the transport, the API version agreed at the ping, read limits, and the
 * engine's failures turned into kiban's (unavailable when the engine broke, a typed refusal when it said no).
 * {@link DockerEngine} says what to ask; this says how, so the requests there stay about the API.
 */
final class EngineConnection implements AutoCloseable {
    /**
     * The engine API kiban is written for, and asks for by path ({@code /v1.41/...}) so a newer engine
     * answers as 1.41 did: Docker 20.10, Debian's docker.io in bookworm. Newer engines (trixie's 26 is
     * 1.45) serve it too.
     */
    static final String PINNED_API = "1.41";
    /**
     * The oldest API kiban accepts; an engine below {@link #PINNED_API} but at least this is spoken to
     * in its own version. 1.41 too, for now: {@code /services?status=true} (replica counts) and
     * {@code one-shot} stats are 1.41's, and an older engine would silently report no replicas.
     */
    static final String MINIMUM_API = "1.41";
    static final ObjectMapper JSON = new ObjectMapper();
    private final EngineAddress address;
    private final DockerHttpClient http;
    private final EngineTimeouts timeouts;
    /** What the paths ask for: {@link #PINNED_API}, or the engine's own when it is older (set by the ping). */
    private String api = PINNED_API;

    private EngineConnection(EngineAddress address, DockerHttpClient http, EngineTimeouts timeouts) {
        this.address = address;
        this.http = http;
        this.timeouts = timeouts;
    }

    /** Connects and pings; an {@link EngineUnavailableException} says where it looked and why not. */
    static EngineConnection open(EngineAddress address, EngineTimeouts timeouts) {
        if (address.isUnixSocket() && !Files.exists(address.socketPath())) {
            throw unavailable(address, "no socket at " + address.socketPath());
        }
        DockerHttpClient http;
        try {
            if (address.isUnixSocket()) {
                http = new UnixSocketTransport(address.socketPath().toString(), timeouts);
            } else {
                // TCP engines may need TLS: DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, as the docker CLI reads them.
                http = new ZerodepDockerHttpClient.Builder()
                        .dockerHost(URI.create(address.uri()))
                        .sslConfig(PemTlsConfig.fromEnvironment(System.getenv(), System.getProperty("user.home"))
                                .orElse(null))
                        .connectionTimeout(timeouts.connect())
                        .responseTimeout(Duration.ofSeconds(30))
                        .build();
            }
        } catch (RuntimeException e) {
            throw unavailable(address, "cannot use this address: " + rootMessage(e));
        }
        EngineConnection connection = new EngineConnection(address, http, timeouts);
        try {
            connection.api = negotiate(connection.ping());
        } catch (EngineTooOldException e) {
            connection.close();
            throw new EngineUnavailableException("the Docker engine at " + address + " speaks API " + e.getMessage()
                    + "; kiban needs " + MINIMUM_API + " or newer (Docker 20.10 or later): upgrade the engine "
                    + "(apt-get install docker.io, or 'kiban engine install')");
        } catch (RuntimeException e) {
            connection.close();
            throw unavailable(address, rootMessage(e));
        }
        return connection;
    }

    private static EngineUnavailableException unavailable(EngineAddress address, String why) {
        String hint = address.isUnixSocket()
                ? "start one with 'systemctl start docker' (or 'scripts/test-engine' on a test machine), or point "
                + "DOCKER_HOST at a running engine"
                : "check that the engine listens there, or unset DOCKER_HOST to use the local socket";
        String from = address.source().equals("default") ? "" : " (from " + address.source() + ")";
        return new EngineUnavailableException("no Docker engine answers at " + address + from + ": " + why + "; "
                + hint);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = Objects.requireNonNullElse(t.getMessage(), "no reason given");
        if (m.contains("Permission denied") || m.contains("[13]")) return "permission denied (run as root or as a "
                + "member of the docker group)";
        if (m.contains("Connection refused") || m.contains("[111]")) return "connection refused (the socket exists but "
                + "nothing listens)";
        return m;
    }

    /** {@code /_ping}, unversioned as the API documents it; gives the engine's API-Version header ("" without one). */
    private String ping() {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path("/_ping").build();
        try (DockerHttpClient.Response r = send(request, timeouts.ping())) {
            r.getBody().readAllBytes();
            if (r.getStatusCode() != 200) throw new EngineApiException(r.getStatusCode(), "ping answered "
                    + r.getStatusCode());
            List<String> v = r.getHeaders().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("API-Version"))
                    .map(Map.Entry::getValue).findFirst().orElse(List.of());
            return v.isEmpty() ? "" : v.get(0).strip();
        } catch (IOException e) {
            throw broken("GET /_ping", e);
        }
    }

    /** An engine older than {@link #MINIMUM_API}; the message is its version. */
    static final class EngineTooOldException extends RuntimeException {
        EngineTooOldException(String version) {
            super(version);
        }
    }

    /**
     * The API version to ask for: {@link #PINNED_API}, or the engine's own when it is older and at least
     * {@link #MINIMUM_API}. An engine that does not say (a proxy in between) gets the pinned one; it
     * answers an unsupported version with an error that names it.
     */
    static String negotiate(String engine) {
        if (engine == null || !engine.matches("\\d+\\.\\d+")) return PINNED_API;
        if (compare(engine, PINNED_API) >= 0) return PINNED_API;
        if (compare(engine, MINIMUM_API) < 0) throw new EngineTooOldException(engine);
        return engine;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    EngineAddress address() {
        return address;
    }

    /** The API version this connection speaks. */
    String apiVersion() {
        return api;
    }

    /** The path in the agreed API version. */
    String v(String path) {
        return "/v" + api + path;
    }

    /** Sends with the transport's default read limit. */
    DockerHttpClient.Response send(DockerHttpClient.Request request) {
        return send(request, timeouts.read());
    }

    /**
     * Sends with this read limit (null: none, for streams that may be silent for long). docker-java's
     * TCP transport has one response limit of its own and ignores this one.
     */
    DockerHttpClient.Response send(DockerHttpClient.Request request, Duration readTimeout) {
        if (http instanceof UnixSocketTransport unix) return unix.execute(request, readTimeout);
        try {
            return http.execute(request);
        } catch (RuntimeException e) {
            if (e instanceof EngineApiException || e instanceof EngineUnavailableException) throw e;
            throw new EngineUnavailableException("the engine at " + address + " failed " + what(request) + ": "
                    + rootMessage(e));
        }
    }

    static String what(DockerHttpClient.Request r) {
        return r.method() + " " + r.path().replaceFirst("\\?.*", "");
    }

    /** A response that broke off (a timeout, a closed connection, not JSON): the engine, not the command, failed. */
    EngineUnavailableException broken(String what, IOException e) {
        if (address.isUnixSocket()) return UnixSocketTransport.failure(address.socketPath().toString(), what, e);
        return new EngineUnavailableException("the engine at " + address + " failed " + what + ": " + rootMessage(e));
    }

    /** A request for this path in the agreed API version. */
    DockerHttpClient.Request.Builder request(String method, String path) {
        return DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.valueOf(method)).path(v(path));
    }

    /** The read limit for answers that come at once. */
    Duration readLimit() {
        return timeouts.read();
    }

    /**
     * A request whose answer is a container's output (logs, exec), read to its end with this read limit
     * (null: none) and demultiplexed; a refusal is typed as {@link #refused} types it.
     */
    String output(DockerHttpClient.Request request, Duration readTimeout) {
        try (DockerHttpClient.Response r = send(request, readTimeout)) {
            byte[] raw = r.getBody().readAllBytes(); // the stream ends when the command does
            if (r.getStatusCode() >= 400) throw refused(r.getStatusCode(), new String(raw, StandardCharsets.UTF_8));
            return demultiplex(raw);
        } catch (IOException e) {
            throw broken(what(request), e);
        }
    }

    /** Without a TTY the engine frames each chunk with an 8-byte header (stream, 0, 0, 0, size); strip it. */
    static String demultiplex(byte[] raw) {
        if (raw.length < 8 || raw[0] > 2 || raw[1] != 0 || raw[2] != 0 || raw[3] != 0) return new String(raw,
                StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i + 8 <= raw.length) {
            int size = ((raw[i + 4] & 0xff) << 24) | ((raw[i + 5] & 0xff) << 16) | ((raw[i + 6] & 0xff) << 8)
                    | (raw[i + 7] & 0xff);
            int from = i + 8;
            int to = Math.min(raw.length, from + size);
            out.write(raw, from, to - from);
            i = to;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The engine's refusal as its type: not found (404), a conflict (409), not a Swarm manager (503, which
     * the engine answers only for Swarm requests) or any other; callers decide on the type, never the number.
     */
    static EngineApiException refused(int status, String message) {
        return switch (status) {
            case 404 -> new EngineNotFoundException(message);
            case 409 -> new EngineConflictException(message);
            case 503 -> new NotSwarmManagerException(message);
            default -> new EngineApiException(status, message);
        };
    }

    /**
     * A request on docker-java's transport, for the parts of the API its model lacks (the Swarm
     * address pool, ingress networks). Errors carry the engine's own message.
     */
    JsonNode api(String method, String path, JsonNode body) {
        return api(method, path, body, timeouts.read());
    }

    JsonNode api(String method, String path, JsonNode body, Duration readTimeout) {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.valueOf(method)).path(v(path));
        if (body != null) {
            request.putHeader("Content-Type", "application/json");
            request.bodyBytes(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        try (DockerHttpClient.Response r = send(request.build(), readTimeout)) {
            byte[] bytes = r.getBody().readAllBytes();
            JsonNode json = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            if (r.getStatusCode() >= 400) {
                String message = json.path("message").asText(method + " " + path + " failed with " + r.getStatusCode());
                throw refused(r.getStatusCode(), message);
            }
            return json;
        } catch (IOException e) {
            throw broken(method + " " + v(path).replaceFirst("\\?.*", ""), e);
        }
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            // closing a transport whose connection already failed: nothing left to release
        }
    }
}
