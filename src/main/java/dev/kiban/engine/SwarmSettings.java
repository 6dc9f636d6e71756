package dev.kiban.engine;

import java.util.List;

/**
 * This node's Swarm membership and, on a manager, the cluster's address settings (which docker-java's
 * model does not carry, so they are read from the API directly).
 */
public record SwarmSettings(String state, boolean manager, String nodeAddress, List<String> defaultAddrPool,
        int subnetSize, int dataPathPort) {
    public static final SwarmSettings INACTIVE = new SwarmSettings("inactive", false, "", List.of(), 0, 0);

    public boolean active() {
        return "active".equals(state);
    }
}
