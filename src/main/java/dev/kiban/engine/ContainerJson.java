package dev.kiban.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The engine's JSON about containers and what they use (images, volumes, networks), read into kiban's types;
 * no requests, so it reads a recorded answer as well as a live one.
 */
final class ContainerJson {
    private ContainerJson() {
    }

    /** An entry of {@code /containers/json}. */
    static ContainerSummary summary(JsonNode c) {
        String name = c.path("Names").size() == 0 ? c.path("Id").asText()
                : c.path("Names").get(0).asText().replaceFirst("^/", "");
        List<ContainerSummary.Mount> mounts = new ArrayList<>();
        c.path("Mounts").forEach(m -> mounts.add(new ContainerSummary.Mount(m.path("Type").asText(),
                m.path("Name").asText(""), m.path("Source").asText(""), m.path("Destination").asText(""))));
        return new ContainerSummary(c.path("Id").asText(), name, c.path("Image").asText(),
                c.path("State").asText(), c.path("Status").asText(), strings(c.path("Labels")), mounts);
    }

    /** A container's inspect answer. */
    static ContainerState state(JsonNode c) {
        JsonNode state = c.path("State");
        Optional<Integer> hostPort = Optional.empty();
        var ports = c.path("NetworkSettings").path("Ports").fields();
        while (ports.hasNext()) {
            var binding = ports.next().getValue();
            if (binding.isArray() && binding.size() > 0) hostPort = Optional.of(binding.get(0)
                    .path("HostPort").asInt());
        }
        Optional<String> health = state.has("Health")
                ? Optional.of(state.path("Health").path("Status").asText()) : Optional.empty();
        JsonNode probes = state.path("Health").path("Log");
        String lastProbe = probes.size() == 0 ? "" : probes.get(probes.size() - 1).path("Output").asText("").strip();
        Map<String, String> networks = new TreeMap<>();
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

    /** A container's inspect answer, as the audit reads it. */
    static ContainerHardening hardening(JsonNode c) {
        JsonNode host = c.path("HostConfig");
        JsonNode config = c.path("Config");
        List<ContainerHardening.HostMount> mounts = new ArrayList<>();
        c.path("Mounts").forEach(m -> mounts.add(new ContainerHardening.HostMount(m.path("Type").asText(""),
                m.path("Type").asText("").equals("volume") ? m.path("Name").asText("") : m.path("Source").asText(""),
                m.path("Destination").asText(""), m.path("RW").asBoolean(true), m.path("Propagation").asText(""))));
        List<ContainerHardening.PortBinding> ports = new ArrayList<>();
        host.path("PortBindings").fields().forEachRemaining(e -> e.getValue().forEach(b -> ports.add(
                new ContainerHardening.PortBinding(b.path("HostIp").asText(""), b.path("HostPort").asInt(0),
                        e.getKey()))));
        List<String> networks = new ArrayList<>();
        c.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(networks::add);
        List<ContainerHardening.Device> devices = new ArrayList<>();
        host.path("Devices").forEach(d -> devices.add(new ContainerHardening.Device(d.path("PathOnHost").asText(""),
                d.path("PathInContainer").asText(""), d.path("CgroupPermissions").asText(""))));
        return new ContainerHardening(c.path("Id").asText(), c.path("Name").asText().replaceFirst("^/", ""),
                config.path("Image").asText(), c.path("State").path("Running").asBoolean(),
                host.path("Privileged").asBoolean(), host.path("NetworkMode").asText(""),
                host.path("PidMode").asText(""), host.path("IpcMode").asText(""), host.path("UTSMode").asText(""),
                host.path("UsernsMode").asText(""), texts(host.path("CapAdd")), texts(host.path("SecurityOpt")),
                c.path("AppArmorProfile").asText(""), mounts, host.path("Memory").asLong(0),
                host.path("NanoCpus").asLong(0), host.path("CpuShares").asLong(0), host.path("PidsLimit").asLong(0),
                config.path("User").asText(""), config.path("Healthcheck").path("Test").size() > 0
                        && !config.path("Healthcheck").path("Test").get(0).asText().equals("NONE"),
                host.path("ReadonlyRootfs").asBoolean(), host.path("RestartPolicy").path("Name").asText("no"),
                host.path("RestartPolicy").path("MaximumRetryCount").asInt(0), ports, networks,
                host.path("CgroupParent").asText(""), devices, strings(config.path("Labels")),
                c.path("Image").asText(""));
    }

    /**
     * What an audit reads of {@code /images/json}, {@code /containers/json?all=true}, the overlay networks of
     * {@code /networks}, and on a manager {@code /swarm} (null elsewhere) and the number of secrets.
     */
    static EngineObjects objects(JsonNode images, JsonNode containers, JsonNode networks, JsonNode cluster,
                                 int secrets) {
        List<EngineObjects.Image> out = new ArrayList<>();
        for (JsonNode i : images) {
            ImageSummary s = image(i);
            out.add(new EngineObjects.Image(s.id(), s.tags(), s.digests(),
                    java.time.Instant.ofEpochSecond(Math.max(0, i.path("Created").asLong(0)))));
        }
        java.util.Set<String> used = new java.util.TreeSet<>();
        int stopped = 0;
        for (JsonNode c : containers) {
            if (!c.path("ImageID").asText("").isEmpty()) used.add(c.path("ImageID").asText());
            if (!c.path("State").asText("").equals("running")) stopped++;
        }
        List<EngineObjects.Overlay> overlays = new ArrayList<>();
        for (JsonNode n : networks) {
            if (!n.path("Driver").asText("").equals("overlay")) continue;
            overlays.add(new EngineObjects.Overlay(n.path("Name").asText(), n.path("Ingress").asBoolean(false),
                    n.path("Options").has("encrypted")));
        }
        Optional<EngineObjects.Cluster> swarm = cluster == null ? Optional.empty()
                : Optional.of(new EngineObjects.Cluster(cluster.path("Spec").path("EncryptionConfig")
                .path("AutoLockManagers").asBoolean(false), secrets));
        return new EngineObjects(out, used, stopped, overlays, swarm);
    }

    /** The hardening part of an {@code /info} answer. */
    static DaemonSecurity daemonSecurity(JsonNode info) {
        return new DaemonSecurity(texts(info.path("SecurityOptions")), info.path("LoggingDriver").asText(""),
                info.path("ExperimentalBuild").asBoolean(false), texts(info.path("Plugins").path("Authorization")),
                info.path("CgroupParent").asText(""));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A stats answer with its previous sample, as {@code docker stats} shows it; empty when not running. */
    static Optional<ContainerStats> stats(JsonNode s) {
        if (notRunning(s)) return Optional.empty();
        JsonNode cpu = s.path("cpu_stats");
        JsonNode pre = s.path("precpu_stats");
        double cpuDelta = cpu.path("cpu_usage").path("total_usage").asDouble()
                - pre.path("cpu_usage").path("total_usage").asDouble();
        double systemDelta = cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        int cpus = cpu.path("online_cpus").asInt(Math.max(1, cpu.path("cpu_usage").path("percpu_usage").size()));
        double percent = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * cpus * 100 : 0;
        JsonNode mem = s.path("memory_stats");
        long used = Math.max(0, mem.path("usage").asLong() - inactive(mem));
        return Optional.of(new ContainerStats(percent, used, mem.path("limit").asLong()));
    }

    /** A one-shot stats answer as raw counters; empty when not running. */
    static Optional<ContainerCounters> counters(JsonNode s) {
        JsonNode mem = s.path("memory_stats");
        if (notRunning(s)) return Optional.empty();
        long limit = mem.path("limit").asLong(0);
        return Optional.of(new ContainerCounters(
                s.path("cpu_stats").path("cpu_usage").path("total_usage").asLong(), mem.path("usage").asLong(),
                inactive(mem), limit, 0)); // the stats API has no OOM kill count; events and inspect give it
    }

    /**
     * docker stats' "used" leaves out the page cache the kernel can drop
     * (v1: total_inactive_file, v2: inactive_file).
     */
    private static long inactive(JsonNode mem) {
        return mem.path("stats").path("total_inactive_file").asLong(mem.path("stats").path("inactive_file").asLong(0));
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

    /** An entry of the event stream. */
    static EngineEvent event(JsonNode e) {
        return new EngineEvent(e.path("Type").asText(), e.path("Action").asText(), e.path("Actor").path("ID").asText(),
                strings(e.path("Actor").path("Attributes")), e.path("timeNano").asLong());
    }

    static ImageSummary image(JsonNode i) {
        List<String> tags = new ArrayList<>();
        i.path("RepoTags").forEach(t -> {
            if (!t.asText().equals("<none>:<none>")) tags.add(t.asText());
        });
        List<String> digests = new ArrayList<>();
        i.path("RepoDigests").forEach(d -> {
            if (!d.asText().startsWith("<none>@")) digests.add(d.asText());
        });
        return new ImageSummary(i.path("Id").asText(), tags, digests, i.path("Size").asLong());
    }

    static VolumeSummary volume(JsonNode v) {
        return new VolumeSummary(v.path("Name").asText(), v.path("Driver").asText(), v.path("Mountpoint").asText(),
                strings(v.path("Options")), strings(v.path("Labels")));
    }

    /** A network's inspect answer (the list omits its containers). */
    static NetworkSummary network(JsonNode n) {
        List<String> subnets = new ArrayList<>();
        n.path("IPAM").path("Config").forEach(c -> {
            if (c.hasNonNull("Subnet")) subnets.add(c.path("Subnet").asText());
        });
        return new NetworkSummary(n.path("Id").asText(), n.path("Name").asText(), n.path("Driver").asText(),
                n.path("Scope").asText(), subnets, n.path("Ingress").asBoolean(false), n.path("Containers").size(),
                strings(n.path("Labels")));
    }

    /** A JSON object of strings (labels, options, attributes), sorted by key. */
    static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
