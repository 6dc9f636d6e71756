package dev.kiban.swarm;

import dev.kiban.engine.NetworkSummary;
import dev.kiban.engine.SwarmSettings;
import java.util.Optional;

/** What the engine says now, as far as setting up Swarm is concerned. */
public record SwarmObservation(SwarmSettings swarm, boolean liveRestore, Optional<NetworkSummary> gwbridge,
                               Optional<NetworkSummary> ingress, int services, boolean joinTokenSaved) {}
