package dev.kiban.engine;

/** One task of a service: what it should be, what it is, and the engine's error when it failed. */
public record TaskSummary(String id, String serviceId, int slot, String desiredState, String state, String error,
        String timestamp, String containerId) {
    public boolean running() {
        return "running".equals(state) && "running".equals(desiredState);
    }

    public boolean failed() {
        return "failed".equals(state) || "rejected".equals(state);
    }
}
