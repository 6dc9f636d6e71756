package dev.kiban.engine;

import static dev.kiban.engine.EngineConnection.refused;
import static dev.kiban.engine.EngineConnection.what;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link Engine} over docker-java's transport (its unix-socket and TLS clients), built once per command,
 * ping first. Responses are read as Jackson trees rather than docker-java's typed model: the model
 * lacks fields kiban needs (the Swarm address pool, LiveRestoreEnabled, ingress networks), and binding
 * it costs a short-lived CLI more than the requests themselves. The wire (versions, limits, failures) is
 * {@link EngineConnection}'s; reading answers into kiban's types is {@link ContainerJson}'s and {@link SwarmJson}'s.
 */
public final class DockerEngine implements Engine {
    private static final ObjectMapper JSON = EngineConnection.JSON;
    private final EngineConnection connection;

    private DockerEngine(EngineConnection connection) {
        this.connection = connection;
    }

    /** Connects and pings; an {@link EngineUnavailableException} says where it looked and why not. */
    public static DockerEngine connect(EngineAddress address) {
        return connect(address, EngineTimeouts.DEFAULT);
    }

    /** {@link #connect(EngineAddress)} with other limits (tests use short ones). */
    public static DockerEngine connect(EngineAddress address, EngineTimeouts timeouts) {
        return new DockerEngine(EngineConnection.open(address, timeouts));
    }

    @Override
    public EngineAddress address() {
        return connection.address();
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
        for (JsonNode c : api("GET", "/containers/json?all=true", null)) out.add(ContainerJson.summary(c));
        return out;
    }

    @Override
    public java.util.Map<String, Long> writableLayers() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        // running ones only (no all=true): a stopped container's layer is not graphed, and each costs a walk
        for (JsonNode c : api("GET", "/containers/json?size=true", null)) {
            // the engine leaves out a SizeRw of 0 (omitempty)
            out.put(c.path("Id").asText(), Math.max(0, c.path("SizeRw").asLong(0)));
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
        for (JsonNode v : api("GET", "/volumes", null).path("Volumes")) out.add(ContainerJson.volume(v));
        return out;
    }

    @Override
    public VolumeSummary createVolume(String name, Map<String, String> labels) {
        ObjectNode body = JSON.createObjectNode().put("Name", name).put("Driver", "local");
        ObjectNode lbls = body.putObject("Labels");
        labels.forEach(lbls::put);
        return ContainerJson.volume(api("POST", "/volumes/create", body));
    }

    @Override
    public int serviceCount() {
        return api("GET", "/services", null).size();
    }

    /** The API version this connection speaks. */
    public String apiVersion() {
        return connection.apiVersion();
    }

    /** A request to the engine's own API, answered as JSON; its refusals are typed. */
    private JsonNode api(String method, String path, JsonNode body) {
        return connection.api(method, path, body);
    }

    @Override
    public List<ServiceSummary> services(Map<String, String> labels) {
        ObjectNode filters = JSON.createObjectNode();
        ArrayNode label = filters.putArray("label");
        labels.forEach((k, v) -> label.add(k + "=" + v));
        List<ServiceSummary> out = new ArrayList<>();
        for (JsonNode svc : api("GET", "/services?filters=" + urlEncode(filters.toString()), null)) {
            out.add(SwarmJson.service(svc));
        }
        return out;
    }

    @Override
    public List<TaskSummary> tasks(String serviceId) {
        return tasksWhere("service", serviceId);
    }

    /** The tasks matching one filter ({@code service} or {@code node}), newest first. */
    private List<TaskSummary> tasksWhere(String filter, String value) {
        ObjectNode filters = JSON.createObjectNode();
        filters.putArray(filter).add(value);
        List<TaskSummary> out = new ArrayList<>();
        for (JsonNode t : api("GET", "/tasks?filters=" + urlEncode(filters.toString()), null)) {
            out.add(SwarmJson.task(t));
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
    public ContainerHardening hardening(String id) {
        return ContainerJson.hardening(api("GET", "/containers/" + id + "/json", null));
    }

    @Override
    public DaemonSecurity daemonSecurity() {
        return ContainerJson.daemonSecurity(api("GET", "/info", null));
    }

    @Override
    public EngineObjects auditObjects() {
        JsonNode images = api("GET", "/images/json", null);
        JsonNode containers = api("GET", "/containers/json?all=true", null);
        ObjectNode overlay = JSON.createObjectNode();
        overlay.putArray("driver").add("overlay");
        // the list carries each network's options (where "encrypted" is): no inspect needed
        JsonNode networks = api("GET", "/networks?filters=" + urlEncode(overlay.toString()), null);
        boolean manager = api("GET", "/info", null).path("Swarm").path("ControlAvailable").asBoolean(false);
        JsonNode cluster = manager ? api("GET", "/swarm", null) : null;
        int secrets = manager ? api("GET", "/secrets", null).size() : 0;
        return ContainerJson.objects(images, containers, networks, cluster, secrets);
    }

    @Override
    public ContainerState inspectContainer(String id) {
        return ContainerJson.state(api("GET", "/containers/" + id + "/json", null));
    }

    @Override
    public String logs(String id, int lines) {
        return connection.output(connection.request("GET",
                "/containers/" + id + "/logs?stdout=true&stderr=true&tail=" + lines).build(), connection.readLimit());
    }

    @Override
    public java.util.Optional<ContainerStats> stats(String id) {
        return ContainerJson.stats(api("GET", "/containers/" + id + "/stats?stream=false", null));
    }

    @Override
    public List<String> events(String id, long sinceEpochSeconds) {
        ObjectNode filters = JSON.createObjectNode();
        filters.putArray("container").add(id);
        long now = System.currentTimeMillis() / 1000 + 1; // "until" is whole seconds: include the current one
        DockerHttpClient.Request request = connection.request("GET", "/events?since=" + sinceEpochSeconds
                + "&until=" + now + "&filters=" + urlEncode(filters.toString())).build();
        List<String> out = new ArrayList<>();
        try (DockerHttpClient.Response r = connection.send(request)) {
            // A stream of JSON objects, one per event, that ends at "until".
            var parser = JSON.getFactory().createParser(r.getBody());
            var events = JSON.readValues(parser, JsonNode.class);
            while (events.hasNext()) {
                JsonNode e = events.next();
                out.add(java.time.Instant.ofEpochSecond(e.path("time").asLong()) + " "
                        + e.path("Action").asText(e.path("status").asText()));
            }
        } catch (IOException e) {
            throw connection.broken(what(request), e);
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
        for (JsonNode i : api("GET", "/images/json", null)) out.add(ContainerJson.image(i));
        return out;
    }

    @Override
    public java.io.InputStream saveImages(List<String> names) {
        String query = String.join("&", names.stream().map(n -> "names=" + urlEncode(n)).toList());
        DockerHttpClient.Request request = connection.request("GET", "/images/get?" + query).build();
        // an export can pause between layers for as long as the disk takes: no read limit
        DockerHttpClient.Response r = connection.send(request, null);
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
        DockerHttpClient.Request request = connection.request("POST", "/images/load?quiet=1")
                .putHeader("Content-Type", "application/x-tar").body(archive).build();
        // the engine answers only when every layer is in: no read limit
        try (DockerHttpClient.Response r = connection.send(request, null)) {
            String answer = new String(r.getBody().readAllBytes(), StandardCharsets.UTF_8);
            if (r.getStatusCode() >= 400 || answer.contains("\"error\"")) {
                throw refused(r.getStatusCode(), "docker load failed: " + answer.strip());
            }
        } catch (IOException e) {
            throw connection.broken(what(request), e);
        }
    }

    @Override
    public void removeImage(String reference) {
        // no force: the engine keeps an image a container (stopped too) was made from
        api("DELETE", "/images/" + reference + "?force=false&noprune=false", null);
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
        // only a manager may read the cluster's settings
        JsonNode cluster = swarm.path("ControlAvailable").asBoolean(false) ? api("GET", "/swarm", null) : null;
        return SwarmJson.settings(swarm, cluster);
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
        if (init.forceNewCluster()) body.put("ForceNewCluster", true);
        body.putObject("Spec");
        try {
            api("POST", "/swarm/init", body);
        } catch (NotSwarmManagerException e) {
            throw initRefused(e);
        }
    }

    /**
     * A 503 to swarm init means "node is already part of a swarm", not "no manager": it collides with the
     * node's state, so it is a conflict, whatever {@link EngineConnection#refused} made of the status.
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
    public String managerJoinToken() {
        return api("GET", "/swarm", null).path("JoinTokens").path("Manager").asText();
    }

    @Override
    public void joinSwarm(SwarmJoin join) {
        ObjectNode body = JSON.createObjectNode();
        body.put("ListenAddr", join.listenAddress());
        body.put("AdvertiseAddr", join.advertiseAddress());
        body.put("DataPathAddr", join.advertiseAddress());
        ArrayNode remotes = body.putArray("RemoteAddrs");
        join.managers().forEach(remotes::add);
        body.put("JoinToken", join.token());
        try {
            api("POST", "/swarm/join", body);
        } catch (NotSwarmManagerException e) {
            throw initRefused(e);
        }
    }

    @Override
    public void leaveSwarm(boolean force) {
        api("POST", "/swarm/leave?force=" + force, null);
    }

    @Override
    public void updateNode(NodeSummary node, NodeChange change) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("Role", change.role());
        spec.put("Availability", change.availability());
        ObjectNode labels = spec.putObject("Labels");
        change.labels().forEach(labels::put);
        api("POST", "/nodes/" + urlEncode(node.id()) + "/update?version=" + node.version(), spec);
    }

    @Override
    public void removeNode(String id, boolean force) {
        api("DELETE", "/nodes/" + urlEncode(id) + "?force=" + force, null);
    }

    @Override
    public List<TaskSummary> nodeTasks(String nodeId) {
        return tasksWhere("node", nodeId);
    }

    @Override
    public List<NodeSummary> nodes() {
        List<NodeSummary> out = new ArrayList<>();
        for (JsonNode n : api("GET", "/nodes", null)) out.add(SwarmJson.node(n));
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
        return java.util.Optional.of(ContainerJson.network(n));
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
        Duration limit = connection.readLimit().plusSeconds(Math.max(0, seconds));
        connection.api("POST", "/containers/" + id + "/stop?t=" + seconds, null, limit);
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
        DockerHttpClient.Request request = connection.request("POST", "/exec/" + exec + "/start")
                .putHeader("Content-Type", "application/json")
                .bodyBytes("{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.UTF_8)).build();
        // the command runs as long as it runs (a database dump): no read limit
        String output = connection.output(request, null);
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
        for (JsonNode c : api("GET", "/configs", null)) out.add(SwarmJson.config(c));
        return out;
    }

    @Override
    public List<SwarmObject> secrets() {
        List<SwarmObject> out = new ArrayList<>();
        for (JsonNode c : api("GET", "/secrets", null)) out.add(SwarmJson.secret(c));
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
    public void createOverlayNetwork(String name, Map<String, String> labels) {
        ObjectNode body = JSON.createObjectNode().put("Name", name).put("Driver", "overlay").put("Attachable", true)
                .put("CheckDuplicate", true);
        ObjectNode lbls = body.putObject("Labels");
        labels.forEach(lbls::put);
        api("POST", "/networks/create", body);
    }

    @Override
    public String createGlobalService(String name, String image, List<String> command, String network,
                                      Map<String, String> labels) {
        ObjectNode body = JSON.createObjectNode().put("Name", name);
        ObjectNode lbls = body.putObject("Labels");
        labels.forEach(lbls::put);
        ObjectNode template = body.putObject("TaskTemplate");
        ObjectNode container = template.putObject("ContainerSpec").put("Image", image);
        ObjectNode containerLabels = container.putObject("Labels");
        labels.forEach(containerLabels::put);
        ArrayNode cmd = container.putArray("Command");
        command.forEach(cmd::add);
        template.putArray("Networks").addObject().put("Target", network);
        body.putObject("Mode").putObject("Global");
        return api("POST", "/services/create", body).path("ID").asText();
    }

    @Override
    public void removeService(String id) {
        api("DELETE", "/services/" + urlEncode(id), null);
    }

    @Override
    public java.util.Optional<ContainerCounters> counters(String id) {
        JsonNode s;
        try {
            s = api("GET", "/containers/" + id + "/stats?stream=false&one-shot=true", null);
        } catch (EngineNotFoundException e) {
            return java.util.Optional.empty();
        }
        return ContainerJson.counters(s);
    }

    @Override
    public List<ServiceReplicas> serviceReplicas() {
        List<ServiceReplicas> out = new ArrayList<>();
        for (JsonNode svc : api("GET", "/services?status=true", null)) out.add(SwarmJson.replicas(svc));
        return out;
    }

    @Override
    public List<String> logLines(String id, long sinceEpochSeconds, int max) {
        DockerHttpClient.Request request = connection.request("GET", "/containers/" + id
                + "/logs?stdout=true&stderr=true&timestamps=true&since=" + sinceEpochSeconds + "&tail=" + max).build();
        try {
            return connection.output(request, connection.readLimit()).lines().toList();
        } catch (EngineNotFoundException e) {
            return List.of(); // the container is gone: it wrote nothing more
        }
    }

    @Override
    public void followEvents(long sinceEpochSeconds, java.util.function.Consumer<EngineEvent> sink) {
        followEvents(sinceEpochSeconds, java.util.Set.of("container"), sink);
    }

    @Override
    public void followEvents(long sinceEpochSeconds, java.util.Set<String> types,
                             java.util.function.Consumer<EngineEvent> sink) {
        ObjectNode filters = JSON.createObjectNode();
        var array = filters.putArray("type");
        for (String t : new java.util.TreeSet<>(types)) {
            if (!t.matches("[a-z]{1,20}")) throw new IllegalArgumentException("not an event type: " + t);
            array.add(t);
        }
        DockerHttpClient.Request request = connection.request("GET", "/events?since=" + sinceEpochSeconds
                + "&filters=" + urlEncode(filters.toString())).build();
        // a quiet host sends no events for hours: no read limit (the agent reconnects when the engine goes)
        try (DockerHttpClient.Response r = connection.send(request, null)) {
            if (r.getStatusCode() >= 400) throw refused(r.getStatusCode(), "the event stream was refused");
            var events = JSON.readValues(JSON.getFactory().createParser(r.getBody()), JsonNode.class);
            while (events.hasNext()) {
                sink.accept(ContainerJson.event(events.next()));
            }
        } catch (IOException e) {
            throw connection.broken(what(request), e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
