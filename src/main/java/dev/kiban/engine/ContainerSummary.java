package dev.kiban.engine;

import java.util.List;
import java.util.Map;

/** One container as the engine lists it, with what it mounts. */
public record ContainerSummary(String id, String name, String image, String state, String status,
        Map<String, String> labels, List<Mount> mounts) {

    public ContainerSummary(String id, String name, String image, String state, String status,
            Map<String, String> labels) {
        this(id, name, image, state, status, labels, List.of());
    }

    /**
     * A mount: {@code volume} (a named volume: {@code name}), {@code bind}, or {@code tmpfs}; {@code source} is the
     * host path.
     */
    public record Mount(String type, String name, String source, String destination) {}

    public enum Health { NONE, STARTING, HEALTHY, UNHEALTHY }

    public boolean running() {
        return "running".equals(state);
    }

    public boolean restarting() {
        return "restarting".equals(state);
    }

    /** The Swarm service this container is a task of, if any. */
    public java.util.Optional<String> serviceId() {
        return java.util.Optional.ofNullable(labels.get("com.docker.swarm.service.id"));
    }

    /**
     * The health check's verdict. The list endpoint carries it only in the status text
     * ("Up 3 minutes (unhealthy)"), whose wording the engine has kept stable since health checks began.
     */
    public Health health() {
        if (status == null) return Health.NONE;
        if (status.contains("(unhealthy)")) return Health.UNHEALTHY;
        if (status.contains("(healthy)")) return Health.HEALTHY;
        if (status.contains("(health: starting)")) return Health.STARTING;
        return Health.NONE;
    }
}
