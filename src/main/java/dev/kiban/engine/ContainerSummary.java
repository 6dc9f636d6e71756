package dev.kiban.engine;

import java.util.Map;

/** One container as the engine lists it. */
public record ContainerSummary(String id, String name, String image, String state, String status, Map<String, String> labels) {

    public enum Health { NONE, STARTING, HEALTHY, UNHEALTHY }

    public boolean running() {
        return "running".equals(state);
    }

    public boolean restarting() {
        return "restarting".equals(state);
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
