package dev.kiban.engine;

import java.util.List;
import java.util.Map;

/**
 * The Swarm this engine is a node of: its settings, setting one up, and — on a manager only — its nodes,
 * services, tasks, configs and secrets. Those manager-only calls on any other node are a
 * {@link NotSwarmManagerException}.
 */
public interface Swarm {

    /** This node's Swarm state and, on a manager, the cluster's address pool; any node may ask. */
    SwarmSettings swarm();

    /** Initialises a single-manager Swarm. */
    void initSwarm(SwarmInit init);

    /** The token a worker joins with. */
    String workerJoinToken();

    List<NodeSummary> nodes();

    /** The number of Swarm services. */
    int serviceCount();

    /** Swarm services carrying every one of {@code labels}. */
    List<ServiceSummary> services(Map<String, String> labels);

    /** Every service with its running and desired task counts. */
    List<ServiceReplicas> serviceReplicas();

    /** The tasks of a service, newest first. */
    List<TaskSummary> tasks(String serviceId);

    /** Sets a replicated service's replica count. */
    void scaleService(String id, int replicas);

    /** The Swarm configs, with their data. */
    List<SwarmObject> configs();

    /** The Swarm secrets: names and labels only; the engine never returns their data. */
    List<SwarmObject> secrets();

    /** Creates a Swarm config; its id. */
    String createConfig(String name, Map<String, String> labels, byte[] data);
}
