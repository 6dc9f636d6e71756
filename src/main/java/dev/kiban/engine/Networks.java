package dev.kiban.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The engine's networks, local bridges and Swarm overlays alike. */
public interface Networks {

    List<NetworkSummary> networks();

    /** The network of that name or id; empty when there is none. Ambiguous names are an {@link EngineApiException}. */
    Optional<NetworkSummary> network(String nameOrId);

    /**
     * Creates a network; {@code ingress} makes it the Swarm routing-mesh network. A network of that name
     * already there is an {@link EngineConflictException}.
     */
    void createNetwork(String name, String driver, String subnet, String gateway, boolean ingress,
                       Map<String, String> options, Map<String, String> labels);

    /** Removes a network; an unknown one is an {@link EngineNotFoundException}. */
    void removeNetwork(String nameOrId);
}
