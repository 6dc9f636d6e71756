package dev.kiban.swarm;

import dev.kiban.engine.NetworkSummary;
import dev.kiban.engine.SwarmSettings;
import dev.kiban.os.HostNetworks;
import java.util.List;
import java.util.Optional;

/**
 * What the engine says now, as far as setting up Swarm is concerned, and the networks of the host it
 * runs on (empty when the engine is not this machine's, or nothing is known).
 */
public record SwarmObservation(SwarmSettings swarm, boolean liveRestore, Optional<NetworkSummary> gwbridge,
                               Optional<NetworkSummary> ingress, int services, boolean joinTokenSaved,
                               List<HostNetworks.OnInterface> hostNetworks) {
    public SwarmObservation(SwarmSettings swarm, boolean liveRestore, Optional<NetworkSummary> gwbridge,
                            Optional<NetworkSummary> ingress, int services, boolean joinTokenSaved) {
        this(swarm, liveRestore, gwbridge, ingress, services, joinTokenSaved, List.of());
    }
}
