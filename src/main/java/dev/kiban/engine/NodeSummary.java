package dev.kiban.engine;

import java.util.Map;

/**
 * A Swarm node: its name, role, availability, state and address; for a manager whether the others reach it
 * ({@code reachability}: reachable, unreachable) and whether it leads; the engine version, its labels, and the
 * version index an update must name.
 */
public record NodeSummary(String id, String hostname, String role, String availability, String state, String address,
        boolean leader, String reachability, String engineVersion, Map<String, String> labels, long version) {
    public NodeSummary(String id, String hostname, String role, String availability, String state, String address,
                       boolean leader) {
        this(id, hostname, role, availability, state, address, leader, "manager".equals(role) ? "reachable" : "",
                "", Map.of(), 1);
    }

    public boolean manager() {
        return "manager".equals(role);
    }

    /** Ready, and (for a manager) reachable by the other managers. */
    public boolean healthy() {
        return "ready".equals(state) && (!manager() || "reachable".equals(reachability));
    }
}
