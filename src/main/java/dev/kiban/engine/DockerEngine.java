package dev.kiban.engine;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link Engine} over docker-java's transport (its unix-socket and TLS clients), built once per command,
 * ping first. Responses are read as Jackson trees rather than docker-java's typed model: the model
 * lacks fields kiban needs (the Swarm address pool, LiveRestoreEnabled, ingress networks), and binding
 * it costs a short-lived CLI more than the requests themselves.
 */
public final class DockerEngine implements Engine {
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EngineAddress address;
    private final DockerHttpClient http;
    private final EngineTimeouts timeouts;
    /** What the paths ask for: {@link #PINNED_API}, or the engine's own when it is older (set by the ping). */
    private String api = PINNED_API;

    private DockerEngine(EngineAddress address, DockerHttpClient http, EngineTimeouts timeouts) {
        this.address = address;
        this.http = http;
        this.timeouts = timeouts;
    }

    /** Connects and pings; an {@link EngineUnavailableException} says where it looked and why not. */
    public static DockerEngine connect(EngineAddress address) {
        return connect(address, EngineTimeouts.DEFAULT);
    }

    /** {@link #connect(EngineAddress)} with other limits (tests use short ones). */
    public static DockerEngine connect(EngineAddress address, EngineTimeouts timeouts) {
        if (address.isUnixSocket() && !Files.exists(address.socketPath())) {
            throw unavailable(address, "no socket at " + address.socketPath());
        }
        DockerHttpClient http;
        try {
            if (address.isUnixSocket()) {
                http = new UnixSocketTransport(address.socketPath().toString(), timeouts);
            } else {
                // TCP engines may need TLS: docker-java's configuration reads DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.
                DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                        .withDockerHost(address.uri()).build();
                http = new ZerodepDockerHttpClient.Builder()
                        .dockerHost(URI.create(address.uri()))
                        .sslConfig(config.getSSLConfig())
                        .connectionTimeout(timeouts.connect())
                        .responseTimeout(Duration.ofSeconds(30))
                        .build();
            }
        } catch (RuntimeException e) {
            throw unavailable(address, "cannot use this address: " + rootMessage(e));
        }
        DockerEngine engine = new DockerEngine(address, http, timeouts);
        try {
            engine.api = negotiate(engine.ping());
        } catch (EngineTooOldException e) {
            engine.close();
            throw new EngineUnavailableException("the Docker engine at " + address + " speaks API " + e.getMessage()
                    + "; kiban needs " + MINIMUM_API + " or newer (Docker 20.10 or later): upgrade the engine "
                    + "(apt-get install docker.io, or 'kiban engine install')");
        } catch (RuntimeException e) {
            engine.close();
            throw unavailable(address, rootMessage(e));
        }
        return engine;
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

    @Override
    public EngineAddress address() {
        return address;
    }

    @Override
    public EngineInfo info() {
        // Read as JSON trees: docker-java's Info model lacks fields kiban needs (LiveRestoreEnabled), and
        // binding it costs a CLI more start-up time than the request itself.
        JsonNode version = api("GET", "/version", null);
        JsonNode info = api("GET", "/info", null);
        JsonNode swarm = info.path("Swarm");
        String state = swarm.path("LocalNodeState").asText("");
        EngineInfo.SwarmState swarmState = new EngineInfo.SwarmState(state.isEmpty() ? "inactive" : state,
                swarm.path("ControlAvailable").asBoolean(false), swarm.path("Nodes").asInt(0),
                swarm.path("Managers").asInt(0));
        return new EngineInfo(version.path("Version").asText(), version.path("ApiVersion").asText(),
                info.path("OperatingSystem").asText(),
                info.path("KernelVersion").asText(), info.path("Driver").asText(), info.path("DockerRootDir").asText(),
                info.path("CgroupVersion").asText(""), info.path("CgroupDriver").asText(""), swarmState,
                info.path("Images").asInt(0), info.path("LiveRestoreEnabled").asBoolean(false));
    }

    @Override
    public List<ContainerSummary> containers() {
        List<ContainerSummary> out = new ArrayList<>();
        for (JsonNode c : api("GET", "/containers/json?all=true", null)) {
            String name = c.path("Names").size() == 0 ? c.path("Id").asText()
                    : c.path("Names").get(0).asText().replaceFirst("^/", "");
            Map<String, String> labels = new java.util.TreeMap<>();
            c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            List<ContainerSummary.Mount> mounts = new ArrayList<>();
            c.path("Mounts").forEach(m -> mounts.add(new ContainerSummary.Mount(m.path("Type").asText(),
                    m.path("Name").asText(""), m.path("Source").asText(""), m.path("Destination").asText(""))));
            out.add(new ContainerSummary(c.path("Id").asText(), name, c.path("Image").asText(),
                    c.path("State").asText(), c.path("Status").asText(), labels, mounts));
        }
        return out;
    }

    @Override
    public int volumeCount() {
        return api("GET", "/volumes", null).path("Volumes").size();
    }

    @Override
    public List<VolumeSummary> volumes() {
        List<VolumeSummary> out = new ArrayList<>();
        for (JsonNode v : api("GET", "/volumes", null).path("Volumes")) {
            out.add(new VolumeSummary(v.path("Name").asText(), v.path("Driver").asText(), v.path("Mountpoint").asText(),
                    strings(v.path("Options")), strings(v.path("Labels"))));
        }
        return out;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new java.util.TreeMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    @Override
    public int serviceCount() {
        return api("GET", "/services", null).size();
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

    /** The API version this connection speaks. */
    public String apiVersion() {
        return api;
    }

    private String v(String path) {
        return "/v" + api + path;
    }

    /** Sends with the transport's default read limit. */
    private DockerHttpClient.Response send(DockerHttpClient.Request request) {
        return send(request, timeouts.read());
    }

    /**
     * Sends with this read limit (null: none, for streams that may be silent for long). docker-java's
     * TCP transport has one response limit of its own and ignores this one.
     */
    private DockerHttpClient.Response send(DockerHttpClient.Request request, Duration readTimeout) {
        if (http instanceof UnixSocketTransport unix) return unix.execute(request, readTimeout);
        try {
            return http.execute(request);
        } catch (RuntimeException e) {
            if (e instanceof EngineApiException || e instanceof EngineUnavailableException) throw e;
            throw new EngineUnavailableException("the engine at " + address + " failed " + what(request) + ": "
                    + rootMessage(e));
        }
    }

    private static String what(DockerHttpClient.Request r) {
        return r.method() + " " + r.path().replaceFirst("\\?.*", "");
    }

    /** A response that broke off (a timeout, a closed connection, not JSON): the engine, not the command, failed. */
    private EngineUnavailableException broken(String what, IOException e) {
        if (address.isUnixSocket()) return UnixSocketTransport.failure(address.socketPath().toString(), what, e);
        return new EngineUnavailableException("the engine at " + address + " failed " + what + ": " + rootMessage(e));
    }

    @Override
    public List<ServiceSummary> services(Map<String, String> labels) {
        ObjectNode filters = JSON.createObjectNode();
        ArrayNode label = filters.putArray("label");
        labels.forEach((k, v) -> label.add(k + "=" + v));
        List<ServiceSummary> out = new ArrayList<>();
        for (JsonNode svc : api("GET", "/services?filters=" + urlEncode(filters.toString()), null)) {
            JsonNode spec = svc.path("Spec");
            Map<String, String> lbls = new java.util.TreeMap<>();
            spec.path("Labels").fields().forEachRemaining(e -> lbls.put(e.getKey(), e.getValue().asText()));
            boolean global = spec.path("Mode").has("Global");
            JsonNode container = spec.path("TaskTemplate").path("ContainerSpec");
            List<String> secrets = new ArrayList<>();
            container.path("Secrets").forEach(x -> secrets.add(x.path("SecretName").asText()));
            List<String> configs = new ArrayList<>();
            container.path("Configs").forEach(x -> configs.add(x.path("ConfigName").asText()));
            out.add(new ServiceSummary(svc.path("ID").asText(), spec.path("Name").asText(),
                    container.path("Image").asText(),
                    global, spec.path("Mode").path("Replicated").path("Replicas").asInt(global ? 0 : 1), lbls, secrets,
                    configs));
        }
        return out;
    }

    @Override
    public List<TaskSummary> tasks(String serviceId) {
        ObjectNode filters = JSON.createObjectNode();
        filters.putArray("service").add(serviceId);
        List<TaskSummary> out = new ArrayList<>();
        for (JsonNode t : api("GET", "/tasks?filters=" + urlEncode(filters.toString()), null)) {
            out.add(new TaskSummary(t.path("ID").asText(), t.path("ServiceID").asText(), t.path("Slot").asInt(0),
                    t.path("DesiredState").asText(),
                    t.path("Status").path("State").asText(), t.path("Status").path("Err").asText(""),
                    t.path("Status").path("Timestamp").asText(""),
                    t.path("Status").path("ContainerStatus").path("ContainerID").asText("")));
        }
        out.sort(java.util.Comparator.comparing(TaskSummary::timestamp).reversed());
        return out;
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String runContainer(ContainerRequest r) {
        ObjectNode body = JSON.createObjectNode();
        body.put("Image", r.image());
        if (!r.command().isEmpty()) {
            ArrayNode cmd = body.putArray("Cmd");
            r.command().forEach(cmd::add);
        }
        ObjectNode labels = body.putObject("Labels");
        r.labels().forEach(labels::put);
        ObjectNode host = body.putObject("HostConfig");
        if (r.memoryBytes() > 0) {
            host.put("Memory", r.memoryBytes());
            host.put("MemorySwap", r.memoryBytes()); // no swap: the limit is the limit
        }
        if (r.nanoCpus() > 0) host.put("NanoCpus", r.nanoCpus());
        r.publishLoopback().ifPresent(port -> {
            body.putObject("ExposedPorts").putObject(port + "/tcp");
            host.putObject("PortBindings").putArray(port + "/tcp").addObject().put("HostIp", "127.0.0.1")
                    .put("HostPort", "");
        });
        String id = api("POST", "/containers/create?name=" + urlEncode(r.name()), body).path("Id").asText();
        api("POST", "/containers/" + id + "/start", null);
        return id;
    }

    @Override
    public ContainerState inspectContainer(String id) {
        JsonNode c = api("GET", "/containers/" + id + "/json", null);
        JsonNode state = c.path("State");
        java.util.Optional<Integer> hostPort = java.util.Optional.empty();
        var ports = c.path("NetworkSettings").path("Ports").fields();
        while (ports.hasNext()) {
            var binding = ports.next().getValue();
            if (binding.isArray() && binding.size() > 0) hostPort = java.util.Optional.of(binding.get(0)
                    .path("HostPort").asInt());
        }
        java.util.Optional<String> health = state.has("Health")
                ? java.util.Optional.of(state.path("Health").path("Status").asText()) : java.util.Optional.empty();
        JsonNode probes = state.path("Health").path("Log");
        String lastProbe = probes.size() == 0 ? "" : probes.get(probes.size() - 1).path("Output").asText("").strip();
        Map<String, String> networks = new java.util.TreeMap<>();
        c.path("NetworkSettings").path("Networks").fields()
                .forEachRemaining(e -> networks.put(e.getKey(), e.getValue().path("IPAddress").asText()));
        return new ContainerState(c.path("Id").asText(), c.path("Name").asText().replaceFirst("^/", ""),
                c.path("Config").path("Image").asText(),
                state.path("Status").asText(), state.path("Running").asBoolean(), state.path("ExitCode").asInt(),
                state.path("OOMKilled").asBoolean(),
                c.path("RestartCount").asInt(), health, lastProbe, hostPort, state.path("Error").asText(""),
                c.path("HostConfig").path("Memory").asLong(0), c.path("HostConfig").path("NanoCpus").asLong(0),
                networks, state.path("StartedAt").asText(""), state.path("FinishedAt").asText(""));
    }

    @Override
    public String logs(String id, int lines) {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path(v("/containers/" + id + "/logs?stdout=true&stderr=true&tail=" + lines)).build();
        try (DockerHttpClient.Response r = send(request)) {
            byte[] raw = r.getBody().readAllBytes();
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

    @Override
    public java.util.Optional<ContainerStats> stats(String id) {
        JsonNode s = api("GET", "/containers/" + id + "/stats?stream=false", null);
        if (notRunning(s)) return java.util.Optional.empty();
        JsonNode cpu = s.path("cpu_stats");
        JsonNode pre = s.path("precpu_stats");
        double cpuDelta = cpu.path("cpu_usage").path("total_usage").asDouble()
                - pre.path("cpu_usage").path("total_usage").asDouble();
        double systemDelta = cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        int cpus = cpu.path("online_cpus").asInt(Math.max(1, cpu.path("cpu_usage").path("percpu_usage").size()));
        double percent = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * cpus * 100 : 0;
        JsonNode mem = s.path("memory_stats");
        // docker stats' "used": usage minus the page cache the kernel can drop (v1: total_inactive_file, v2:
        // inactive_file).
        long inactive = mem.path("stats").path("total_inactive_file")
                .asLong(mem.path("stats").path("inactive_file").asLong(0));
        long used = Math.max(0, mem.path("usage").asLong() - inactive);
        return java.util.Optional.of(new ContainerStats(percent, used, mem.path("limit").asLong()));
    }

    /**
     * Whether a stats answer is the engine's placeholder for a container that is not running: it reads at
     * the zero time ("0001-01-01…") with zeroed CPU counters rather than omitting them.
     */
    static boolean notRunning(JsonNode stats) {
        if (stats.path("read").asText("").startsWith("0001-")) return true;
        return stats.path("memory_stats").isEmpty()
                && stats.path("cpu_stats").path("cpu_usage").path("total_usage").asLong(0) == 0;
    }

    @Override
    public List<String> events(String id, long sinceEpochSeconds) {
        ObjectNode filters = JSON.createObjectNode();
        filters.putArray("container").add(id);
        long now = System.currentTimeMillis() / 1000 + 1; // "until" is whole seconds: include the current one
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path(v("/events?since=" + sinceEpochSeconds + "&until=" + now
                        + "&filters=" + urlEncode(filters.toString())))
                .build();
        List<String> out = new ArrayList<>();
        try (DockerHttpClient.Response r = send(request)) {
            // A stream of JSON objects, one per event, that ends at "until".
            var parser = JSON.getFactory().createParser(r.getBody());
            var events = JSON.readValues(parser, JsonNode.class);
            while (events.hasNext()) {
                JsonNode e = events.next();
                out.add(java.time.Instant.ofEpochSecond(e.path("time").asLong()) + " "
                        + e.path("Action").asText(e.path("status").asText()));
            }
        } catch (IOException e) {
            throw broken(what(request), e);
        }
        return out;
    }

    @Override
    public void removeContainer(String id) {
        try {
            api("DELETE", "/containers/" + id + "?force=true&v=true", null);
        } catch (EngineNotFoundException e) {
            // already removed
        }
    }

    @Override
    public List<ImageSummary> images() {
        List<ImageSummary> out = new ArrayList<>();
        for (JsonNode i : api("GET", "/images/json", null)) {
            List<String> tags = new ArrayList<>();
            i.path("RepoTags").forEach(t -> {
                if (!t.asText().equals("<none>:<none>")) tags.add(t.asText());
            });
            List<String> digests = new ArrayList<>();
            i.path("RepoDigests").forEach(d -> {
                if (!d.asText().startsWith("<none>@")) digests.add(d.asText());
            });
            out.add(new ImageSummary(i.path("Id").asText(), tags, digests, i.path("Size").asLong()));
        }
        return out;
    }

    @Override
    public java.io.InputStream saveImages(List<String> names) {
        String query = String.join("&", names.stream().map(n -> "names=" + urlEncode(n)).toList());
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(v("/images/get?" + query)).build();
        // an export can pause between layers for as long as the disk takes: no read limit
        DockerHttpClient.Response r = send(request, null);
        if (r.getStatusCode() >= 400) {
            r.close();
            throw refused(r.getStatusCode(), "saving " + names + " failed with " + r.getStatusCode());
        }
        return new java.io.FilterInputStream(r.getBody()) {
            @Override
            public void close() throws IOException {
                super.close();
                r.close();
            }
        };
    }

    @Override
    public void loadImages(java.io.InputStream archive) {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST).path(v("/images/load?quiet=1"))
                .putHeader("Content-Type", "application/x-tar").body(archive).build();
        // the engine answers only when every layer is in: no read limit
        try (DockerHttpClient.Response r = send(request, null)) {
            String answer = new String(r.getBody().readAllBytes(), StandardCharsets.UTF_8);
            if (r.getStatusCode() >= 400 || answer.contains("\"error\"")) {
                throw refused(r.getStatusCode(), "docker load failed: " + answer.strip());
            }
        } catch (IOException e) {
            throw broken(what(request), e);
        }
    }

    @Override
    public boolean hasImage(String image) {
        try {
            api("GET", "/images/" + image + "/json", null);
            return true;
        } catch (EngineNotFoundException e) {
            return false;
        }
    }

    @Override
    public SwarmSettings swarm() {
        JsonNode swarm = api("GET", "/info", null).path("Swarm");
        String state = swarm.path("LocalNodeState").asText("inactive");
        boolean manager = swarm.path("ControlAvailable").asBoolean(false);
        if (!manager) return new SwarmSettings(state.isEmpty() ? "inactive" : state, false,
                swarm.path("NodeAddr").asText(""), List.of(), 0, 0);
        JsonNode cluster = api("GET", "/swarm", null);
        List<String> pool = new ArrayList<>();
        cluster.path("DefaultAddrPool").forEach(p -> pool.add(p.asText()));
        return new SwarmSettings(state, true, swarm.path("NodeAddr").asText(""), pool,
                cluster.path("SubnetSize").asInt(0), cluster.path("DataPathPort").asInt(0));
    }

    @Override
    public void initSwarm(SwarmInit init) {
        ObjectNode body = JSON.createObjectNode();
        body.put("AdvertiseAddr", init.advertiseAddress());
        body.put("ListenAddr", init.listenAddress());
        ArrayNode pool = body.putArray("DefaultAddrPool");
        init.defaultAddrPool().forEach(pool::add);
        body.put("SubnetSize", init.subnetSize());
        body.put("DataPathPort", init.dataPathPort());
        body.putObject("Spec");
        try {
            api("POST", "/swarm/init", body);
        } catch (NotSwarmManagerException e) {
            throw initRefused(e);
        }
    }

    /**
     * A 503 to swarm init means "node is already part of a swarm", not "no manager": it collides with the
     * node's state, so it is a conflict, whatever {@link #refused} made of the status.
     */
    static EngineConflictException initRefused(NotSwarmManagerException e) {
        EngineConflictException conflict = new EngineConflictException(e.getMessage());
        conflict.initCause(e);
        return conflict;
    }

    @Override
    public String workerJoinToken() {
        return api("GET", "/swarm", null).path("JoinTokens").path("Worker").asText();
    }

    @Override
    public List<NodeSummary> nodes() {
        List<NodeSummary> out = new ArrayList<>();
        for (JsonNode n : api("GET", "/nodes", null)) {
            out.add(new NodeSummary(n.path("ID").asText(), n.path("Description").path("Hostname").asText(),
                    n.path("Spec").path("Role").asText(),
                    n.path("Spec").path("Availability").asText(), n.path("Status").path("State").asText(),
                    n.path("Status").path("Addr").asText(), n.path("ManagerStatus").path("Leader").asBoolean(false)));
        }
        return out;
    }

    @Override
    public List<NetworkSummary> networks() {
        List<NetworkSummary> out = new ArrayList<>();
        for (JsonNode listed : api("GET", "/networks", null)) {
            // The list omits the containers; inspecting each network gives them.
            network(listed.path("Id").asText()).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public java.util.Optional<NetworkSummary> network(String nameOrId) {
        JsonNode n;
        try {
            n = api("GET", "/networks/" + nameOrId, null);
        } catch (EngineNotFoundException e) {
            return java.util.Optional.empty();
        }
        {
            List<String> subnets = new ArrayList<>();
            n.path("IPAM").path("Config").forEach(c -> {
                if (c.hasNonNull("Subnet")) subnets.add(c.path("Subnet").asText());
            });
            Map<String, String> labels = new java.util.TreeMap<>();
            n.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            return java.util.Optional.of(new NetworkSummary(n.path("Id").asText(), n.path("Name").asText(),
                    n.path("Driver").asText(),
                    n.path("Scope").asText(), subnets, n.path("Ingress").asBoolean(false), n.path("Containers").size(),
                    labels));
        }
    }

    @Override
    public void createNetwork(String name, String driver, String subnet, String gateway, boolean ingress,
                              Map<String, String> options, Map<String, String> labels) {
        ObjectNode body = JSON.createObjectNode();
        body.put("Name", name);
        body.put("Driver", driver);
        body.put("CheckDuplicate", true);
        if (ingress) body.put("Ingress", true);
        ObjectNode ipamConfig = body.putObject("IPAM").put("Driver", "default").putArray("Config").addObject()
                .put("Subnet", subnet);
        if (gateway != null) ipamConfig.put("Gateway", gateway);
        ObjectNode opts = body.putObject("Options");
        options.forEach(opts::put);
        ObjectNode lbls = body.putObject("Labels");
        labels.forEach(lbls::put);
        api("POST", "/networks/create", body);
    }

    @Override
    public void removeNetwork(String name) {
        api("DELETE", "/networks/" + name, null);
    }

    @Override
    public void stopContainer(String id, int seconds) {
        // 304 (already stopped) is not an error; the answer comes after t seconds and a kill: the limit waits it out
        Duration limit = timeouts.read().plusSeconds(Math.max(0, seconds));
        api("POST", "/containers/" + id + "/stop?t=" + seconds, null, limit);
    }

    @Override
    public void startContainer(String id) {
        api("POST", "/containers/" + id + "/start", null);
    }

    @Override
    public ExecResult exec(String id, List<String> command) {
        ObjectNode create = JSON.createObjectNode().put("AttachStdout", true).put("AttachStderr", true);
        ArrayNode cmd = create.putArray("Cmd");
        command.forEach(cmd::add);
        String exec = api("POST", "/containers/" + id + "/exec", create).path("Id").asText();
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST).path(v("/exec/" + exec + "/start"))
                .putHeader("Content-Type", "application/json")
                .bodyBytes("{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.UTF_8)).build();
        String output;
        // the command runs as long as it runs (a database dump): no read limit
        try (DockerHttpClient.Response r = send(request, null)) {
            byte[] raw = r.getBody().readAllBytes(); // the stream ends when the command does
            if (r.getStatusCode() >= 400) throw refused(r.getStatusCode(), new String(raw, StandardCharsets.UTF_8));
            output = demultiplex(raw);
        } catch (IOException e) {
            throw broken(what(request), e);
        }
        return new ExecResult(api("GET", "/exec/" + exec + "/json", null).path("ExitCode").asInt(-1), output);
    }

    @Override
    public void scaleService(String id, int replicas) {
        JsonNode service = api("GET", "/services/" + id, null);
        ObjectNode spec = (ObjectNode) service.path("Spec");
        if (!spec.path("Mode").has("Replicated")) throw new EngineApiException(400, "service "
                + spec.path("Name").asText() + " is global; it has no replica count");
        ((ObjectNode) spec.path("Mode").path("Replicated")).put("Replicas", replicas);
        api("POST", "/services/" + id + "/update?version=" + service.path("Version").path("Index").asLong(), spec);
    }

    @Override
    public List<SwarmObject> configs() {
        List<SwarmObject> out = new ArrayList<>();
        for (JsonNode c : api("GET", "/configs", null)) {
            out.add(new SwarmObject(c.path("ID").asText(), c.path("Spec").path("Name").asText(),
                    strings(c.path("Spec").path("Labels")),
                    java.util.Base64.getDecoder().decode(c.path("Spec").path("Data").asText(""))));
        }
        return out;
    }

    @Override
    public List<SwarmObject> secrets() {
        List<SwarmObject> out = new ArrayList<>();
        for (JsonNode c : api("GET", "/secrets", null)) {
            out.add(new SwarmObject(c.path("ID").asText(), c.path("Spec").path("Name").asText(),
                    strings(c.path("Spec").path("Labels")), new byte[0]));
        }
        return out;
    }

    @Override
    public String createConfig(String name, Map<String, String> labels, byte[] data) {
        ObjectNode body = JSON.createObjectNode().put("Name", name)
                .put("Data", java.util.Base64.getEncoder().encodeToString(data));
        ObjectNode lbls = body.putObject("Labels");
        labels.forEach(lbls::put);
        return api("POST", "/configs/create", body).path("ID").asText();
    }

    @Override
    public java.util.Optional<ContainerCounters> counters(String id) {
        JsonNode s;
        try {
            s = api("GET", "/containers/" + id + "/stats?stream=false&one-shot=true", null);
        } catch (EngineNotFoundException e) {
            return java.util.Optional.empty();
        }
        JsonNode mem = s.path("memory_stats");
        if (notRunning(s)) return java.util.Optional.empty();
        long inactive = mem.path("stats").path("total_inactive_file")
                .asLong(mem.path("stats").path("inactive_file").asLong(0));
        long limit = mem.path("limit").asLong(0);
        return java.util.Optional.of(new ContainerCounters(
                s.path("cpu_stats").path("cpu_usage").path("total_usage").asLong(), mem.path("usage").asLong(),
                inactive, limit, 0)); // the stats API has no OOM kill count; events and inspect give it
    }

    @Override
    public List<ServiceReplicas> serviceReplicas() {
        List<ServiceReplicas> out = new ArrayList<>();
        for (JsonNode svc : api("GET", "/services?status=true", null)) {
            JsonNode status = svc.path("ServiceStatus");
            out.add(new ServiceReplicas(svc.path("ID").asText(), svc.path("Spec").path("Name").asText(),
                    status.path("RunningTasks").asInt(), status.path("DesiredTasks").asInt()));
        }
        return out;
    }

    @Override
    public List<String> logLines(String id, long sinceEpochSeconds, int max) {
        String text;
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path(v("/containers/" + id + "/logs?stdout=true&stderr=true&timestamps=true&since=" + sinceEpochSeconds
                        + "&tail=" + max)).build();
        try (DockerHttpClient.Response r = send(request)) {
            byte[] raw = r.getBody().readAllBytes();
            if (r.getStatusCode() == 404) return List.of(); // the container is gone: it wrote nothing more
            if (r.getStatusCode() >= 400) throw refused(r.getStatusCode(), new String(raw, StandardCharsets.UTF_8));
            text = demultiplex(raw);
        } catch (IOException e) {
            throw broken(what(request), e);
        }
        return text.lines().toList();
    }

    @Override
    public void followEvents(long sinceEpochSeconds, java.util.function.Consumer<EngineEvent> sink) {
        ObjectNode filters = JSON.createObjectNode();
        filters.putArray("type").add("container");
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path(v("/events?since=" + sinceEpochSeconds + "&filters=" + urlEncode(filters.toString()))).build();
        // a quiet host sends no events for hours: no read limit (the agent reconnects when the engine goes)
        try (DockerHttpClient.Response r = send(request, null)) {
            if (r.getStatusCode() >= 400) throw refused(r.getStatusCode(), "the event stream was refused");
            var events = JSON.readValues(JSON.getFactory().createParser(r.getBody()), JsonNode.class);
            while (events.hasNext()) {
                JsonNode e = events.next();
                sink.accept(new EngineEvent(e.path("Type").asText(), e.path("Action").asText(),
                        e.path("Actor").path("ID").asText(),
                        strings(e.path("Actor").path("Attributes")), e.path("timeNano").asLong()));
            }
        } catch (IOException e) {
            throw broken(what(request), e);
        }
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
    private JsonNode api(String method, String path, JsonNode body) {
        return api(method, path, body, timeouts.read());
    }

    private JsonNode api(String method, String path, JsonNode body, Duration readTimeout) {
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
