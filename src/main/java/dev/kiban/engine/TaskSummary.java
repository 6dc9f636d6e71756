package dev.kiban.engine;

/**
 * One task of a service: what it should be, what it is, the engine's error when it failed, and the node it
 * was given to (empty while no node could take it).
 */
public record TaskSummary(String id, String serviceId, int slot, String desiredState, String state, String error,
        String timestamp, String containerId, String nodeId) {
    public TaskSummary(String id, String serviceId, int slot, String desiredState, String state, String error,
                       String timestamp, String containerId) {
        this(id, serviceId, slot, desiredState, state, error, timestamp, containerId, "");
    }

    public boolean running() {
        return "running".equals(state) && "running".equals(desiredState);
    }

    public boolean failed() {
        return "failed".equals(state) || "rejected".equals(state);
    }
}
