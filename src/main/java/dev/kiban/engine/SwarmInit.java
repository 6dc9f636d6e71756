package dev.kiban.engine;

import java.util.List;

/** What {@code POST /swarm/init} needs: addresses, the default address pool (D2) and the VXLAN port. */
public record SwarmInit(String advertiseAddress, String listenAddress, List<String> defaultAddrPool, int subnetSize,
        int dataPathPort) {}
