package dev.kiban.engine;

import java.util.List;

/**
 * What {@code POST /swarm/init} needs: addresses, the default address pool (D2) and the VXLAN port;
 * {@code forceNewCluster} makes a one-manager cluster of the Raft state this engine already holds (the restore of
 * a manager's backup).
 */
public record SwarmInit(String advertiseAddress, String listenAddress, List<String> defaultAddrPool, int subnetSize,
        int dataPathPort, boolean forceNewCluster) {
    public SwarmInit(String advertiseAddress, String listenAddress, List<String> defaultAddrPool, int subnetSize,
                     int dataPathPort) {
        this(advertiseAddress, listenAddress, defaultAddrPool, subnetSize, dataPathPort, false);
    }
}
