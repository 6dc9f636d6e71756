package dev.kiban.engine;

/** What the engine says about itself ({@code docker version} and {@code docker info} in one). */
public record EngineInfo(
        String version,
        String apiVersion,
        String os,
        String kernel,
        String storageDriver,
        String dataRoot,
        String cgroupVersion,
        String cgroupDriver,
        SwarmState swarm,
        int images,
        boolean liveRestore) {

    /**
     * The node's Swarm membership: {@code inactive}, {@code active}, {@code pending}, {@code error} or {@code locked}.
     */
    public record SwarmState(String state, boolean manager, int nodes, int managers) {
        public boolean active() {
            return "active".equals(state);
        }
    }
}
