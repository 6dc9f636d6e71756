package dev.kiban.testing;

import dev.kiban.engine.ContainerCounters;
import dev.kiban.engine.ContainerHardening;
import dev.kiban.engine.ContainerRequest;
import dev.kiban.engine.ContainerState;
import dev.kiban.engine.ContainerStats;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.DaemonSecurity;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.engine.EngineApiException;
import dev.kiban.engine.EngineConflictException;
import dev.kiban.engine.EngineEvent;
import dev.kiban.engine.EngineInfo;
import dev.kiban.engine.EngineObjects;
import dev.kiban.engine.EngineNotFoundException;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.engine.ExecResult;
import dev.kiban.engine.ImageSummary;
import dev.kiban.engine.NetworkSummary;
import dev.kiban.engine.NodeChange;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.NotSwarmManagerException;
import dev.kiban.engine.ServiceReplicas;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.SwarmInit;
import dev.kiban.engine.SwarmJoin;
import dev.kiban.engine.SwarmObject;
import dev.kiban.engine.SwarmSettings;
import dev.kiban.engine.TaskSummary;
import dev.kiban.engine.VolumeSummary;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * An engine in memory, for testing kiban's parts without a daemon. For the calls it supports it answers
 * as a Docker engine does — {@link EngineContract} runs the same cases against both — unknown ids are
 * {@link EngineNotFoundException}, a name in use is {@link EngineConflictException}, Swarm calls off a
 * manager are {@link NotSwarmManagerException}. Tests set it up through its {@code add…} methods and
 * make it fail through {@link #failOn} and {@link #lose}. Every method is synchronized: the monitor's
 * collector samples from several threads.
 */
public final class FakeEngine implements Engine {
    public static final String BASE_IMAGE = "kiban-test/base:latest";
    private static final String NO_LEADER = "rpc error: code = Unknown desc = The swarm does not have a leader. "
            + "It's possible that too few managers are online. Make sure more than half of the managers are online.";
    private static final String NOT_A_MANAGER = "This node is not a swarm manager. Use \"docker swarm init\" or "
            + "\"docker swarm join\" to connect this node to swarm and try again.";

    /** A container as the fake keeps it; {@code status} overrides the text derived from the state. */
    private static final class Box {
        final String id;
        final String name;
        final String image;
        final Map<String, String> labels;
        final List<ContainerSummary.Mount> mounts;
        String state;
        String status;
        int exitCode;
        boolean oomKilled;
        int restartCount;
        Optional<String> health = Optional.empty();
        long memoryLimit;
        long nanoCpus;
        ContainerCounters counters = new ContainerCounters(0, 8 << 20, 0, 0, 0);
        /** Bytes written over the image: what {@code dd} in {@link #exec} adds to. */
        long writableLayer;
        final List<Map.Entry<Instant, String>> output = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        Box(String id, String name, String image, Map<String, String> labels, List<ContainerSummary.Mount> mounts,
            String state) {
            this.id = id;
            this.name = name;
            this.image = image;
            this.labels = new TreeMap<>(labels);
            this.mounts = List.copyOf(mounts);
            this.state = state;
        }

        boolean running() {
            return state.equals("running");
        }

        String statusText() {
            if (status != null) return status;
            return switch (state) {
                case "running" -> "Up 1 second";
                case "exited" -> "Exited (" + exitCode + ") 1 second ago";
                default -> "Created";
            };
        }
    }

    private EngineAddress address = new EngineAddress("unix:///fake.sock", "default");
    private final Map<String, Box> containers = new LinkedHashMap<>();
    private final List<ImageSummary> images = new ArrayList<>();
    /** When each image (by id) was built. */
    private final Map<String, Instant> imagesCreated = new HashMap<>();
    /** The networks made with the {@code encrypted} option, by name. */
    private final java.util.Set<String> encrypted = new java.util.HashSet<>();
    private boolean autolock;
    private final List<VolumeSummary> volumes = new ArrayList<>();
    private final Map<String, NetworkSummary> networks = new LinkedHashMap<>();
    private final Map<String, ServiceSummary> services = new LinkedHashMap<>();
    private final List<TaskSummary> tasks = new ArrayList<>();
    private final List<SwarmObject> configs = new ArrayList<>();
    private final List<SwarmObject> secrets = new ArrayList<>();
    private final List<NodeSummary> nodes = new ArrayList<>();
    /** The network each service created here is attached to, by service id. */
    private final Map<String, String> serviceNetworks = new HashMap<>();
    /** Why a node (by hostname) rejects every task given to it, e.g. an image it lacks and cannot pull. */
    private final Map<String, String> taskRefusals = new HashMap<>();
    private int nextOverlay = 1;
    private SwarmJoin lastJoin;
    private SwarmInit lastInit;
    private String version = "24.0.9";
    private final List<EngineEvent> eventStream = new ArrayList<>();
    private final Map<String, RuntimeException> failures = new HashMap<>();
    private final List<String> execs = new ArrayList<>();
    private SwarmSettings swarm = SwarmSettings.INACTIVE;
    private BiFunction<String, List<String>, ExecResult> exec = this::shell;
    private int writableLayerReads;
    /** What {@link #writableLayers} throws, if anything. */
    private RuntimeException writableLayersFailure;
    private boolean lost;
    /** Calls left before the engine is lost by itself (negative: never), to lose it mid-audit. */
    private int callsBeforeLoss = -1;
    private final Map<String, ContainerHardening> hardening = new HashMap<>();
    private DaemonSecurity daemonSecurity = new DaemonSecurity(
            List.of("name=seccomp,profile=builtin", "name=selinux", "name=cgroupns"), "journald", false, List.of(), "");
    private long nextId = 1;

    /** An engine with the base image and the three predefined networks, no containers, not in a swarm. */
    public FakeEngine() {
        addImage(BASE_IMAGE);
        for (String n : List.of("bridge", "host", "none")) {
            networks.put(n, new NetworkSummary(newId(), n, n.equals("none") ? "null" : n, "local",
                    n.equals("bridge") ? List.of("172.17.0.0/16") : List.of(), false, 0, Map.of()));
        }
    }

    /** A single-manager swarm with two services and three volumes, holding these containers as listed. */
    /** The engine as if reached over TCP: not this machine's, so this machine's networks say nothing of it. */
    public synchronized FakeEngine remote() {
        address = new EngineAddress("tcp://192.0.2.1:2376", "default");
        return this;
    }

    public static FakeEngine withContainers(ContainerSummary... listed) {
        FakeEngine engine = new FakeEngine().asManager(List.of("10.0.0.0/8"), 24);
        for (ContainerSummary c : listed) {
            Box b = new Box(c.id(), c.name(), c.image(), c.labels(), c.mounts(), c.state());
            b.status = c.status();
            engine.containers.put(b.id, b);
        }
        for (String v : List.of("data", "db", "logs")) engine.addVolume(v);
        engine.addService("web", 2, Map.of());
        engine.addService("db", 1, Map.of());
        return engine;
    }

    /** A listed container of that name, its id {@code name-id}. */
    public static ContainerSummary container(String name, String state, String status) {
        return new ContainerSummary(name + "-id", name, "kiban-test/base", state, status, Map.of());
    }

    // ---- setting up ----

    public synchronized FakeEngine addImage(String tag) {
        return addImage(tag, Instant.now());
    }

    /** An image of that tag built at {@code created}. */
    public synchronized FakeEngine addImage(String tag, Instant created) {
        String id = "sha256:" + newId();
        images.add(new ImageSummary(id, List.of(tag), List.of(), 1 << 20));
        imagesCreated.put(id, created);
        return this;
    }

    /** Whether the swarm's managers autolock (docker swarm update --autolock) from now on. */
    public synchronized FakeEngine autolock(boolean on) {
        this.autolock = on;
        return this;
    }

    public synchronized FakeEngine addVolume(String name) {
        volumes.add(new VolumeSummary(name, "local", "/var/lib/docker/volumes/" + name + "/_data", Map.of(), Map.of()));
        return this;
    }

    /** A container that already exists in this state ("running", "exited", "created"…); its id. */
    public synchronized String addContainer(String name, String state, Map<String, String> labels,
                                            List<ContainerSummary.Mount> mounts) {
        Box b = new Box(newId(), name, BASE_IMAGE, labels, mounts, state);
        containers.put(b.id, b);
        return b.id;
    }

    /** Makes this node the manager of a one-node swarm with that address pool. */
    public synchronized FakeEngine asManager(List<String> pool, int subnetSize) {
        String nodeId = newId();
        swarm = new SwarmSettings("active", true, "192.0.2.10", List.copyOf(pool), subnetSize, 4789, nodeId,
                List.of("192.0.2.10:2377"), "");
        nodes.add(new NodeSummary(nodeId, "fake-host", "manager", "active", "ready", "192.0.2.10", true));
        return this;
    }

    /** A replicated service; its id. Containers labelled {@code com.docker.swarm.service.id} with it are its tasks. */
    public synchronized String addService(String name, int replicas, Map<String, String> labels) {
        return addService(new ServiceSummary(newId(), name, BASE_IMAGE, false, replicas, labels, List.of(), List.of()));
    }

    public synchronized String addService(ServiceSummary service) {
        services.put(service.id(), service);
        return service.id();
    }

    /** Sets a service's update status, as the engine's updater would (e.g. rollback_completed and its reason). */
    public synchronized void setUpdateStatus(String serviceId, ServiceSummary.Update status) {
        ServiceSummary s = services.get(serviceId);
        if (s == null) throw new EngineNotFoundException("service " + serviceId + " not found");
        services.put(serviceId, s.withUpdate(status));
    }

    public synchronized void addTask(TaskSummary task) {
        tasks.add(task);
    }

    public synchronized void addSecret(String name, Map<String, String> labels) {
        secrets.add(new SwarmObject(newId(), name, Map.copyOf(labels), new byte[0]));
    }

    /** Output a container wrote just now. */
    public synchronized void write(String id, String line) {
        box(id).output.add(Map.entry(Instant.now(), line));
    }

    public synchronized void setCounters(String id, ContainerCounters counters) {
        box(id).counters = counters;
    }

    /** The bytes a container has written over its image, as {@link #writableLayers} gives them. */
    public synchronized void setWritableLayer(String id, long bytes) {
        box(id).writableLayer = bytes;
    }

    /** Makes {@link #writableLayers} throw this (after counting the call), as an engine that times out would. */
    public synchronized void failWritableLayers(RuntimeException failure) {
        writableLayersFailure = failure;
    }

    /** How many times {@link #writableLayers} was called: the costly call the monitor makes seldom. */
    public synchronized int writableLayerReads() {
        return writableLayerReads;
    }

    public synchronized void setRestarts(String id, int restarts, boolean oomKilled) {
        Box b = box(id);
        b.restartCount = restarts;
        b.oomKilled = oomKilled;
    }

    /** An event {@link #followEvents} delivers before its stream ends. */
    public synchronized void queueEvent(EngineEvent event) {
        eventStream.add(event);
    }

    /** What {@code exec} runs; by default a shell knowing {@code echo}, {@code exit}, {@code true}, {@code false}. */
    public synchronized void onExec(BiFunction<String, List<String>, ExecResult> exec) {
        this.exec = exec;
    }

    /** Every command exec'd, as "containerId: command words". */
    public synchronized List<String> execs() {
        return List.copyOf(execs);
    }

    /** From now on every call about this container (by id or name) throws {@code failure}. */
    public synchronized void failOn(String idOrName, RuntimeException failure) {
        failures.put(idOrName, failure);
    }

    /** From now on the engine is gone: every call is an {@link EngineUnavailableException}. */
    public synchronized void lose() {
        lost = true;
    }

    /** The engine answers {@code calls} more calls, then is lost (an engine that stops mid-audit). */
    public synchronized FakeEngine loseAfter(int calls) {
        callsBeforeLoss = calls;
        return this;
    }

    /** What {@link #hardening} answers for that container from now on. */
    public synchronized void setHardening(String id, ContainerHardening h) {
        hardening.put(find(id).orElseThrow().id, h);
    }

    /** What {@link #daemonSecurity} answers from now on. */
    public synchronized FakeEngine daemonSecurity(DaemonSecurity security) {
        this.daemonSecurity = security;
        return this;
    }

    /** The engine's version from now on (24.0.9 unless set). */
    public synchronized FakeEngine version(String version) {
        this.version = version;
        return this;
    }

    /** The engine answers again (a stopped engine started). */
    public synchronized void regain() {
        lost = false;
    }

    // ---- Engine ----

    @Override
    public EngineAddress address() {
        return address;
    }

    @Override
    public synchronized EngineInfo info() {
        reachable();
        int managers = (int) nodes.stream().filter(n -> n.role().equals("manager")).count();
        var membership = new EngineInfo.SwarmState(swarm.state(), swarm.manager(), nodes.size(), managers);
        return new EngineInfo(version, "1.43", "Rocky Linux 9.6", "5.14.0", "overlay2", "/var/lib/docker", "2",
                "systemd", membership, images.size(), false);
    }

    @Override
    public synchronized List<ContainerSummary> containers() {
        reachable();
        return containers.values().stream()
                .map(b -> new ContainerSummary(b.id, b.name, b.image, b.state, b.statusText(), Map.copyOf(b.labels),
                        b.mounts))
                .toList();
    }

    @Override
    public synchronized String runContainer(ContainerRequest r) {
        reachable();
        if (containers.values().stream().anyMatch(b -> b.name.equals(r.name()))) {
            throw new EngineConflictException("Conflict. The container name \"/" + r.name() + "\" is already in use");
        }
        if (!hasImage(r.image())) throw new EngineNotFoundException("No such image: " + r.image());
        Box b = new Box(newId(), r.name(), r.image(), r.labels(), List.of(), "running");
        b.memoryLimit = r.memoryBytes();
        b.nanoCpus = r.nanoCpus();
        containers.put(b.id, b);
        b.events.add(Instant.now() + " create");
        b.events.add(Instant.now() + " start");
        return b.id;
    }

    @Override
    public synchronized ContainerState inspectContainer(String id) {
        Box b = box(id);
        Map<String, String> networks = b.running() ? Map.of("bridge", "172.17.0.2") : Map.of();
        return new ContainerState(b.id, b.name, b.image, b.state, b.running(), b.exitCode, b.oomKilled, b.restartCount,
                b.health, "", Optional.empty(), "", b.memoryLimit, b.nanoCpus, networks, "", "");
    }

    @Override
    public synchronized ContainerHardening hardening(String id) {
        Box b = box(id);
        ContainerHardening h = hardening.get(b.id);
        if (h != null) return h;
        ContainerHardening d = ContainerHardening.defaults(b.id, b.name, b.image);
        return new ContainerHardening(d.id(), d.name(), d.image(), b.running(), false, d.networkMode(), d.pidMode(),
                d.ipcMode(), d.utsMode(), d.usernsMode(), d.capAdd(), d.securityOpt(), d.appArmorProfile(),
                b.mounts.stream().map(m -> new ContainerHardening.HostMount(m.type(),
                        m.type().equals("volume") ? m.name() : m.source(), m.destination(), true, "")).toList(),
                b.memoryLimit, b.nanoCpus, 0, 0, "", b.health.isPresent(), false, "no", 0, List.of(), d.networks(),
                "", List.of(), Map.copyOf(b.labels), imageId(b.image));
    }

    /** The id of the local image a reference names, as the engine resolves it ({@code :latest} implied); "" if none. */
    private String imageId(String reference) {
        String tag = reference.contains(":") && !reference.startsWith("sha256:") ? reference : reference + ":latest";
        return images.stream().filter(i -> i.id().equals(reference) || i.tags().contains(tag)
                || i.tags().contains(reference)).map(ImageSummary::id).findFirst().orElse("");
    }

    @Override
    public synchronized EngineObjects auditObjects() {
        reachable();
        List<EngineObjects.Image> all = images.stream().map(i -> new EngineObjects.Image(i.id(), i.tags(),
                i.digests(), imagesCreated.getOrDefault(i.id(), Instant.EPOCH))).toList();
        java.util.Set<String> used = new java.util.TreeSet<>();
        containers.values().forEach(b -> used.add(imageId(b.image)));
        used.remove("");
        int stopped = (int) containers.values().stream().filter(b -> !b.running()).count();
        List<EngineObjects.Overlay> overlays = networks.values().stream().filter(n -> n.driver().equals("overlay"))
                .map(n -> new EngineObjects.Overlay(n.name(), n.ingress(), encrypted.contains(n.name()))).toList();
        Optional<EngineObjects.Cluster> cluster = Optional.empty();
        if (swarm.manager()) {
            manager(); // a manager without a leader cannot answer, as the engine's /swarm does not
            cluster = Optional.of(new EngineObjects.Cluster(autolock, secrets.size()));
        }
        return new EngineObjects(all, used, stopped, overlays, cluster);
    }

    @Override
    public synchronized DaemonSecurity daemonSecurity() {
        reachable();
        return daemonSecurity;
    }

    @Override
    public synchronized void stopContainer(String id, int seconds) {
        Box b = box(id);
        if (!b.running()) return; // the engine answers 304: nothing to do
        b.state = "exited";
        b.status = null;
        b.exitCode = 137; // most images' PID 1 ignores SIGTERM: the engine kills it after the grace period
        b.events.add(Instant.now() + " die");
        b.events.add(Instant.now() + " stop");
    }

    @Override
    public synchronized void startContainer(String id) {
        Box b = box(id);
        if (b.running()) return;
        b.state = "running";
        b.status = null;
        b.events.add(Instant.now() + " start");
    }

    @Override
    public synchronized void removeContainer(String id) {
        reachable();
        Optional<Box> b = find(id);
        b.ifPresent(x -> containers.remove(x.id));
    }

    @Override
    public synchronized ExecResult exec(String id, List<String> command) {
        Box b = box(id);
        if (!b.running()) throw new EngineConflictException("Container " + b.id + " is not running");
        execs.add(b.id + ": " + String.join(" ", command));
        return exec.apply(b.id, command);
    }

    @Override
    public synchronized String logs(String id, int lines) {
        List<Map.Entry<Instant, String>> out = box(id).output;
        return out.subList(Math.max(0, out.size() - lines), out.size()).stream().map(e -> e.getValue() + "\n")
                .reduce("", String::concat);
    }

    @Override
    public synchronized List<String> logLines(String id, long sinceEpochSeconds, int max) {
        reachable();
        Optional<Box> b = find(id);
        if (b.isEmpty()) return List.of();
        checkFailure(b.get());
        List<String> out = b.get().output.stream().filter(e -> e.getKey().getEpochSecond() >= sinceEpochSeconds)
                .map(e -> e.getKey() + " " + e.getValue()).toList();
        return out.subList(Math.max(0, out.size() - max), out.size());
    }

    @Override
    public synchronized Optional<ContainerStats> stats(String id) {
        Box b = box(id);
        if (!b.running()) return Optional.empty();
        return Optional.of(new ContainerStats(0, b.counters.workingSet(), b.counters.memoryLimit()));
    }

    @Override
    public synchronized Optional<ContainerCounters> counters(String id) {
        reachable();
        Optional<Box> b = find(id);
        if (b.isEmpty()) return Optional.empty();
        checkFailure(b.get());
        return b.get().running() ? Optional.of(b.get().counters) : Optional.empty();
    }

    @Override
    public synchronized Map<String, Long> writableLayers() {
        reachable();
        writableLayerReads++;
        if (writableLayersFailure != null) throw writableLayersFailure;
        Map<String, Long> out = new LinkedHashMap<>();
        containers.values().stream().filter(Box::running).forEach(b -> out.put(b.id, b.writableLayer));
        return out;
    }

    @Override
    public synchronized List<String> events(String id, long sinceEpochSeconds) {
        return List.copyOf(box(id).events);
    }

    @Override
    public synchronized List<ImageSummary> images() {
        reachable();
        return List.copyOf(images);
    }

    @Override
    public synchronized boolean hasImage(String image) {
        reachable();
        String tag = image.contains(":") && !image.startsWith("sha256:") ? image : image + ":latest";
        return images.stream().anyMatch(i -> i.id().equals(image) || i.tags().contains(tag)
                || i.tags().contains(image));
    }

    @Override
    public synchronized void removeImage(String reference) {
        reachable();
        String id = imageId(reference);
        if (id.isEmpty()) throw new EngineNotFoundException("No such image: " + reference);
        if (containers.values().stream().anyMatch(b -> imageId(b.image).equals(id))) {
            throw new dev.kiban.engine.EngineConflictException("conflict: unable to remove repository reference \""
                    + reference + "\" - container is using its referenced image " + id);
        }
        ImageSummary image = images.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
        String tag = reference.contains(":") && !reference.startsWith("sha256:") ? reference : reference + ":latest";
        List<String> tags = new ArrayList<>(image.tags());
        boolean untag = tags.remove(tag) || tags.remove(reference);
        if (untag && !tags.isEmpty()) {
            images.set(images.indexOf(image), new ImageSummary(id, List.copyOf(tags), image.digests(), image.size()));
            return;
        }
        if (!untag && tags.size() > 1) {
            throw new dev.kiban.engine.EngineConflictException("conflict: unable to delete " + id
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        images.remove(image);
        imagesCreated.remove(id);
    }

    /** An image as the engine lists it: no tag (dangling), several, digests; built at {@code created}. */
    public synchronized FakeEngine addImage(ImageSummary image, Instant created) {
        images.add(image);
        imagesCreated.put(image.id(), created);
        return this;
    }

    @Override
    public InputStream saveImages(List<String> names) {
        throw new UnsupportedOperationException("the fake engine keeps no image archives");
    }

    @Override
    public void loadImages(InputStream archive) {
        throw new UnsupportedOperationException("the fake engine keeps no image archives");
    }

    @Override
    public synchronized List<VolumeSummary> volumes() {
        reachable();
        return List.copyOf(volumes);
    }

    @Override
    public synchronized VolumeSummary createVolume(String name, Map<String, String> labels) {
        reachable();
        VolumeSummary v = new VolumeSummary(name, "local", "/var/lib/docker/volumes/" + name + "/_data", Map.of(),
                Map.copyOf(labels));
        if (volumes.stream().noneMatch(x -> x.name().equals(name))) volumes.add(v);
        return v;
    }

    @Override
    public synchronized int volumeCount() {
        return volumes().size();
    }

    @Override
    public synchronized List<NetworkSummary> networks() {
        reachable();
        return List.copyOf(networks.values());
    }

    @Override
    public synchronized Optional<NetworkSummary> network(String nameOrId) {
        reachable();
        return networks.values().stream().filter(n -> n.name().equals(nameOrId) || n.id().equals(nameOrId)).findFirst();
    }

    @Override
    public synchronized void createNetwork(String name, String driver, String subnet, String gateway, boolean ingress,
                                           Map<String, String> options, Map<String, String> labels) {
        reachable();
        if (driver.equals("overlay") && !swarm.manager()) throw new NotSwarmManagerException(NOT_A_MANAGER);
        if (networks.containsKey(name)) {
            throw new EngineConflictException("network with name " + name + " already exists");
        }
        networks.put(name, new NetworkSummary(newId(), name, driver, driver.equals("overlay") ? "swarm" : "local",
                subnet == null ? List.of() : List.of(subnet), ingress, 0, Map.copyOf(labels)));
        if (options.containsKey("encrypted")) encrypted.add(name);
    }

    @Override
    public synchronized void removeNetwork(String nameOrId) {
        NetworkSummary n = network(nameOrId)
                .orElseThrow(() -> new EngineNotFoundException("network " + nameOrId + " not found"));
        if (List.of("bridge", "host", "none").contains(n.name())) {
            throw new EngineApiException(403, n.name() + " is a pre-defined network and cannot be removed");
        }
        if (serviceNetworks.containsValue(n.name())) {
            throw new EngineConflictException("rpc error: code = FailedPrecondition desc = network " + n.id()
                    + " is in use by service");
        }
        networks.remove(n.name());
        encrypted.remove(n.name());
    }

    @Override
    public synchronized SwarmSettings swarm() {
        reachable();
        return swarm;
    }

    @Override
    public synchronized void initSwarm(SwarmInit init) {
        reachable();
        if (swarm.active()) throw new EngineConflictException("This node is already part of a swarm");
        lastInit = init;
        asManager(init.defaultAddrPool(), init.subnetSize());
    }

    /** The init the fake was asked for, if any (with its forceNewCluster flag). */
    public synchronized java.util.Optional<SwarmInit> lastInit() {
        return java.util.Optional.ofNullable(lastInit);
    }

    @Override
    public synchronized String workerJoinToken() {
        manager();
        return "SWMTKN-1-fake";
    }

    @Override
    public synchronized String managerJoinToken() {
        manager();
        return "SWMTKN-1-fake-manager";
    }

    /** The join the fake was asked for, if any (the token included, for the tests to check). */
    public synchronized java.util.Optional<SwarmJoin> lastJoin() {
        return java.util.Optional.ofNullable(lastJoin);
    }

    @Override
    public synchronized void joinSwarm(SwarmJoin join) {
        reachable();
        if (swarm.active()) throw new EngineConflictException("This node is already part of a swarm");
        if (!join.token().startsWith("SWMTKN-1-fake")) {
            throw new EngineApiException(500,
                    "rpc error: code = InvalidArgument desc = A valid join token is necessary");
        }
        lastJoin = join;
        boolean asManager = join.token().endsWith("-manager");
        swarm = new SwarmSettings("active", asManager, join.advertiseAddress(), List.of(), 0, 0, newId(),
                List.copyOf(join.managers()), "");
    }

    @Override
    public synchronized void leaveSwarm(boolean force) {
        reachable();
        if (!swarm.active()) throw new EngineApiException(503, "This node is not part of a swarm");
        if (swarm.manager() && !force) {
            throw new EngineApiException(503, "You are attempting to leave the swarm on a node that is "
                    + "participating as a manager. Use --force to ignore this message.");
        }
        swarm = SwarmSettings.INACTIVE;
        nodes.clear();
    }

    /** Makes the node of that hostname the swarm's leader, and no other. */
    public synchronized FakeEngine leaderIs(String hostname) {
        for (int i = 0; i < nodes.size(); i++) {
            NodeSummary n = nodes.get(i);
            nodes.set(i, new NodeSummary(n.id(), n.hostname(), n.role(), n.availability(), n.state(), n.address(),
                    n.hostname().equals(hostname), n.reachability(), n.engineVersion(), n.labels(), n.version()));
        }
        return this;
    }

    /** From now on every task given to the node of that hostname is rejected with {@code error}. */
    public synchronized FakeEngine refuseTasksOn(String hostname, String error) {
        taskRefusals.put(hostname, error);
        return this;
    }

    /** A node of the swarm besides this one. */
    public synchronized FakeEngine addNode(NodeSummary node) {
        nodes.add(node);
        return this;
    }

    @Override
    public synchronized void updateNode(NodeSummary node, NodeChange change) {
        manager();
        int i = indexOfNode(node.id());
        NodeSummary now = nodes.get(i);
        if (now.version() != node.version()) {
            throw new EngineApiException(500, "update out of sequence");
        }
        nodes.set(i, new NodeSummary(now.id(), now.hostname(), change.role(), change.availability(), now.state(),
                now.address(), now.leader(), "manager".equals(change.role()) ? "reachable" : "", now.engineVersion(),
                Map.copyOf(change.labels()), now.version() + 1));
        if ("drain".equals(change.availability())) {
            // the orchestrator's part, done at once: the node's tasks shut down
            for (int t = 0; t < tasks.size(); t++) {
                TaskSummary task = tasks.get(t);
                if (task.nodeId().equals(now.id()) && task.running()) {
                    tasks.set(t, new TaskSummary(task.id(), task.serviceId(), task.slot(), "shutdown", "shutdown", "",
                            task.timestamp(), task.containerId(), task.nodeId()));
                }
            }
        }
    }

    @Override
    public synchronized void removeNode(String id, boolean force) {
        manager();
        NodeSummary n = nodes.get(indexOfNode(id));
        if (!force && !"down".equals(n.state())) {
            throw new EngineApiException(400, "node " + id + " is not down and can't be removed");
        }
        nodes.remove(n);
    }

    private int indexOfNode(String id) {
        for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).id().equals(id)) return i;
        throw new EngineNotFoundException("node " + id + " not found");
    }

    @Override
    public synchronized List<TaskSummary> nodeTasks(String nodeId) {
        manager();
        return tasks.stream().filter(t -> t.nodeId().equals(nodeId))
                .sorted((a, b) -> b.timestamp().compareTo(a.timestamp())).toList();
    }

    @Override
    public synchronized List<NodeSummary> nodes() {
        manager();
        return List.copyOf(nodes);
    }

    @Override
    public synchronized int serviceCount() {
        manager();
        return services.size();
    }

    @Override
    public synchronized List<ServiceSummary> services(Map<String, String> labels) {
        manager();
        return services.values().stream().filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    @Override
    public synchronized List<ServiceReplicas> serviceReplicas() {
        manager();
        return services.values().stream().map(s -> new ServiceReplicas(s.id(), s.name(),
                (int) tasksOf(s.id()).filter(Box::running).count(), s.global() ? nodes.size() : s.replicas())).toList();
    }

    @Override
    public synchronized List<TaskSummary> tasks(String serviceId) {
        manager();
        if (!services.containsKey(serviceId)) throw new EngineNotFoundException("service " + serviceId + " not found");
        return tasks.stream().filter(t -> t.serviceId().equals(serviceId))
                .sorted((a, b) -> b.timestamp().compareTo(a.timestamp())).toList();
    }

    @Override
    public synchronized void scaleService(String id, int replicas) {
        manager();
        ServiceSummary s = services.get(id);
        if (s == null) throw new EngineNotFoundException("service " + id + " not found");
        if (s.global()) {
            throw new EngineApiException(400, "service " + s.name() + " is global; it has no replica count");
        }
        services.put(id, new ServiceSummary(s.id(), s.name(), s.image(), false, replicas, s.labels(), s.secrets(),
                s.configs(), s.update()));
        // the orchestrator's part, done at once: tasks beyond the count stop, missing ones start
        List<Box> mine = tasksOf(id).toList();
        for (int i = 0; i < mine.size(); i++) {
            Box b = mine.get(i);
            if (i >= replicas && b.running()) {
                b.state = "exited";
                b.status = null;
            }
            if (i < replicas && !b.running()) {
                b.state = "running";
                b.status = null;
            }
        }
    }

    @Override
    public synchronized List<SwarmObject> configs() {
        manager();
        return List.copyOf(configs);
    }

    @Override
    public synchronized List<SwarmObject> secrets() {
        manager();
        return List.copyOf(secrets);
    }

    @Override
    public synchronized String createConfig(String name, Map<String, String> labels, byte[] data) {
        manager();
        if (configs.stream().anyMatch(c -> c.name().equals(name))) {
            throw new EngineConflictException("config " + name + " already exists");
        }
        SwarmObject c = new SwarmObject(newId(), name, Map.copyOf(labels), data.clone());
        configs.add(c);
        return c.id();
    }

    @Override
    public synchronized void createOverlayNetwork(String name, Map<String, String> labels) {
        manager();
        if (networks.containsKey(name)) {
            throw new EngineConflictException("network with name " + name + " already exists");
        }
        networks.put(name, new NetworkSummary(newId(), name, "overlay", "swarm",
                List.of("10.0." + nextOverlay++ + ".0/24"), false, 0, Map.copyOf(labels)));
    }

    /**
     * The orchestrator's part, done at once: a task on every ready, active node; running with an address on the
     * network unless the node refuses tasks ({@link #refuseTasksOn}). The task on this node has a container here.
     */
    @Override
    public synchronized String createGlobalService(String name, String image, List<String> command, String network,
                                                  Map<String, String> labels) {
        manager();
        if (services.values().stream().anyMatch(s -> s.name().equals(name))) {
            throw new EngineConflictException("rpc error: code = AlreadyExists desc = name conflicts with an "
                    + "existing object: service " + name + " already exists");
        }
        NetworkSummary net = network(network).filter(n -> n.scope().equals("swarm"))
                .orElseThrow(() -> new EngineNotFoundException("network " + network + " not found"));
        String id = addService(new ServiceSummary(newId(), name, image, true, 0, Map.copyOf(labels), List.of(),
                List.of()));
        serviceNetworks.put(id, net.name());
        String prefix = net.subnets().get(0).replaceFirst("0/24$", "");
        int host = 2;
        for (NodeSummary node : nodes) {
            if (!node.state().equals("ready") || !node.availability().equals("active")) continue;
            String refusal = taskRefusals.get(node.hostname());
            String task = newId();
            String now = Instant.now().toString();
            if (refusal != null) {
                tasks.add(new TaskSummary(task, id, 0, "running", "rejected", refusal, now, "", node.id()));
                continue;
            }
            String container = newId();
            if (node.id().equals(swarm.nodeId())) {
                Box b = new Box(container, name + "." + node.id() + "." + task, image,
                        Map.of("com.docker.swarm.service.id", id, "com.docker.swarm.service.name", name,
                                "com.docker.swarm.task.id", task), List.of(), "running");
                containers.put(b.id, b);
            }
            tasks.add(new TaskSummary(task, id, 0, "running", "running", "", now, container, node.id(),
                    Map.of(net.name(), List.of(prefix + host++ + "/24"))));
        }
        return id;
    }

    @Override
    public synchronized void removeService(String id) {
        manager();
        if (services.remove(id) == null) throw new EngineNotFoundException("service " + id + " not found");
        serviceNetworks.remove(id);
        tasks.removeIf(t -> t.serviceId().equals(id));
        containers.values().removeIf(b -> id.equals(b.labels.get("com.docker.swarm.service.id")));
    }

    @Override
    public void followEvents(long sinceEpochSeconds, Consumer<EngineEvent> sink) {
        List<EngineEvent> queued;
        synchronized (this) {
            reachable();
            queued = List.copyOf(eventStream);
        }
        queued.stream().filter(e -> e.timeNanos() / 1_000_000_000L >= sinceEpochSeconds).forEach(sink);
    }

    @Override
    public void close() {
        // nothing held
    }

    // ---- the engine's rules ----

    private String newId() {
        return String.format("%016x", nextId++).repeat(4);
    }

    private void reachable() {
        if (callsBeforeLoss == 0) lost = true;
        if (callsBeforeLoss > 0) callsBeforeLoss--;
        if (lost) {
            throw new EngineUnavailableException("no Docker engine answers at " + address + ": connection refused");
        }
    }

    /** A manager answers Swarm calls only while more than half of the managers are reachable (a leader). */
    private void manager() {
        reachable();
        if (!swarm.manager()) throw new NotSwarmManagerException(NOT_A_MANAGER);
        long managers = nodes.stream().filter(NodeSummary::manager).count();
        long reachable = nodes.stream().filter(n -> n.manager() && "reachable".equals(n.reachability())).count();
        if (managers > 0 && reachable * 2 <= managers) throw new NotSwarmManagerException(NO_LEADER);
    }

    /** By id, name, or an unambiguous id prefix, as the engine resolves them. */
    private Optional<Box> find(String idOrName) {
        Box exact = containers.get(idOrName);
        if (exact != null) return Optional.of(exact);
        Optional<Box> named = containers.values().stream().filter(b -> b.name.equals(idOrName)).findFirst();
        if (named.isPresent()) return named;
        List<Box> prefixed = containers.values().stream().filter(b -> b.id.startsWith(idOrName)).toList();
        return prefixed.size() == 1 ? Optional.of(prefixed.get(0)) : Optional.empty();
    }

    private Box box(String idOrName) {
        reachable();
        Box b = find(idOrName).orElseThrow(() -> new EngineNotFoundException("No such container: " + idOrName));
        checkFailure(b);
        return b;
    }

    private void checkFailure(Box b) {
        RuntimeException f = failures.getOrDefault(b.id, failures.get(b.name));
        if (f != null) throw f;
    }

    private java.util.stream.Stream<Box> tasksOf(String serviceId) {
        return containers.values().stream().filter(b -> serviceId.equals(b.labels.get("com.docker.swarm.service.id")));
    }

    /**
     * {@code sh -c "echo …; exit N"}: enough of a shell for hooks and the contract's exec case; {@code dd … bs=N
     * count=M} adds N × M bytes to the container's writable layer.
     */
    private ExecResult shell(String id, List<String> command) {
        List<String> script = command.size() == 3 && command.get(0).equals("sh") && command.get(1).equals("-c")
                ? List.of(command.get(2).split(";")) : List.of(String.join(" ", command));
        StringBuilder out = new StringBuilder();
        int status = 0;
        for (String raw : script) {
            String line = raw.strip();
            if (line.isEmpty()) continue;
            String[] words = line.split("\\s+");
            switch (words[0]) {
                case "echo" -> {
                    out.append(line.substring(4).strip()).append('\n');
                    status = 0;
                }
                case "exit" -> {
                    return new ExecResult(words.length > 1 ? Integer.parseInt(words[1]) : status, out.toString());
                }
                case "true" -> status = 0;
                case "false" -> status = 1;
                case "dd" -> {
                    long bs = 512;
                    long count = 0;
                    for (String w : words) {
                        if (w.startsWith("bs=")) bs = Long.parseLong(w.substring(3));
                        if (w.startsWith("count=")) count = Long.parseLong(w.substring(6));
                    }
                    containers.get(id).writableLayer += bs * count;
                    status = 0;
                }
                default -> {
                    out.append("sh: ").append(words[0]).append(": not found\n");
                    status = 127;
                }
            }
        }
        return new ExecResult(status, out.toString());
    }
}
