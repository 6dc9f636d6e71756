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

    /** The token a manager joins with. */
    String managerJoinToken();

    /** Joins this engine to the swarm of {@code join.managers()}; a wrong token is an {@link EngineApiException}. */
    void joinSwarm(SwarmJoin join);

    /** Takes this node out of its swarm; {@code force} is needed on a manager (it may cost the quorum). */
    void leaveSwarm(boolean force);

    /** Sets a node's role, availability and labels, at the version it was read at. */
    void updateNode(NodeSummary node, NodeChange change);

    /** Removes a node that has left or is down; {@code force} removes one that is still up. */
    void removeNode(String id, boolean force);

    /** The tasks given to a node, newest first. */
    List<TaskSummary> nodeTasks(String nodeId);

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

    /**
     * Creates an attachable overlay network (services and plain containers may join it), subnet from the
     * cluster's address pool. A network of that name already there is an {@link EngineConflictException}.
     */
    void createOverlayNetwork(String name, Map<String, String> labels);

    /**
     * Creates a global service (one task on every node that can take one) of {@code image} running
     * {@code command}, attached to {@code network}; its id. The nodes pull the image if they lack it and can.
     */
    String createGlobalService(String name, String image, List<String> command, String network,
                               Map<String, String> labels);

    /** Removes a service; its tasks stop and go. An unknown one is an {@link EngineNotFoundException}. */
    void removeService(String id);
}
