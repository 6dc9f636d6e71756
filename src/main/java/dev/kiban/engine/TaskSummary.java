package dev.kiban.engine;

import java.util.List;
import java.util.Map;

/**
 * One task of a service: what it should be, what it is, the engine's error when it failed (or why it is still
 * pending), the node it was given to (empty while no node could take it), and its addresses on each network
 * it is attached to, by network name, as the engine gives them ("10.20.1.5/24").
 */
public record TaskSummary(String id, String serviceId, int slot, String desiredState, String state, String error,
        String timestamp, String containerId, String nodeId, Map<String, List<String>> addresses) {
    public TaskSummary(String id, String serviceId, int slot, String desiredState, String state, String error,
                       String timestamp, String containerId, String nodeId) {
        this(id, serviceId, slot, desiredState, state, error, timestamp, containerId, nodeId, Map.of());
    }

    public TaskSummary(String id, String serviceId, int slot, String desiredState, String state, String error,
                       String timestamp, String containerId) {
        this(id, serviceId, slot, desiredState, state, error, timestamp, containerId, "");
    }

    public boolean running() {
        return "running".equals(state) && "running".equals(desiredState);
    }

    /** Its address on {@code network} without the prefix length ("10.20.1.5"); empty when it has none there. */
    public java.util.Optional<String> address(String network) {
        return addresses.getOrDefault(network, List.of()).stream().map(a -> a.replaceFirst("/\\d+$", ""))
                .findFirst();
    }

    public boolean failed() {
        return "failed".equals(state) || "rejected".equals(state);
    }
}
