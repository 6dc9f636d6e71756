package dev.kiban.engine;

import java.util.List;

/**
 * This node's Swarm membership and, on a manager, the cluster's address settings (which docker-java's
 * model does not carry, so they are read from the API directly). {@code remoteManagers} are the manager
 * addresses this node knows (any node may ask), {@code error} the engine's reason when the state is error or
 * pending.
 */
public record SwarmSettings(String state, boolean manager, String nodeAddress, List<String> defaultAddrPool,
        int subnetSize, int dataPathPort, String nodeId, List<String> remoteManagers, String error) {
    public static final SwarmSettings INACTIVE = new SwarmSettings("inactive", false, "", List.of(), 0, 0);

    public SwarmSettings(String state, boolean manager, String nodeAddress, List<String> defaultAddrPool,
                         int subnetSize, int dataPathPort) {
        this(state, manager, nodeAddress, defaultAddrPool, subnetSize, dataPathPort, "", List.of(), "");
    }

    public boolean active() {
        return "active".equals(state);
    }
}
