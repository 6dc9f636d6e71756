package dev.kiban.engine;

import java.util.List;

/**
 * The Docker engine as kiban needs it, in kiban's words. One implementation talks to a real engine
 * ({@link DockerEngine}); the rest of kiban sees only this.
 */
public interface Engine extends AutoCloseable {

    EngineAddress address();

    EngineInfo info();

    /** Every container, stopped ones included. */
    List<ContainerSummary> containers();

    int volumeCount();

    /** Every named volume. */
    List<VolumeSummary> volumes();

    /** The number of Swarm services; only a manager can list them. */
    int serviceCount();

    /** Swarm services carrying every one of {@code labels}. */
    List<ServiceSummary> services(java.util.Map<String, String> labels);

    /** The tasks of a service, newest first. */
    List<TaskSummary> tasks(String serviceId);

    /** Creates and starts a container; its id. */
    String runContainer(ContainerRequest request);

    ContainerState inspectContainer(String id);

    /** Removes a container and its anonymous volumes, running or not. */
    void removeContainer(String id);

    /** The last {@code lines} lines of a container's output, stdout and stderr together. */
    String logs(String id, int lines);

    /** A one-shot stats sample; empty when the container is not running. */
    java.util.Optional<ContainerStats> stats(String id);

    /** The engine's events about a container since {@code sinceEpochSeconds}, oldest first, as "time action". */
    List<String> events(String id, long sinceEpochSeconds);

    /** The top-level images: tagged, digest-only and untagged ones alike. */
    List<ImageSummary> images();

    /** {@code docker save} of these images (tags keep their names in the archive; an id saves the image untagged). */
    java.io.InputStream saveImages(List<String> names);

    /** {@code docker load} of an archive made by {@link #saveImages}. */
    void loadImages(java.io.InputStream archive);

    /** Whether the engine has this image locally. */
    boolean hasImage(String image);

    /** This node's Swarm state and, on a manager, the cluster's address pool. */
    SwarmSettings swarm();

    /** Initialises a single-manager Swarm. */
    void initSwarm(SwarmInit init);

    /** The token a worker joins with (manager only). */
    String workerJoinToken();

    List<NodeSummary> nodes();

    List<NetworkSummary> networks();

    /** The network of that name or id; empty when there is none. Ambiguous names are an {@link EngineApiException}. */
    java.util.Optional<NetworkSummary> network(String nameOrId);

    /** Creates a network; {@code ingress} makes it the Swarm routing-mesh network. */
    void createNetwork(String name, String driver, String subnet, String gateway, boolean ingress, java.util.Map<String, String> options,
                       java.util.Map<String, String> labels);

    void removeNetwork(String name);

    /** Stops a container, giving it {@code seconds} before it is killed. */
    void stopContainer(String id, int seconds);

    void startContainer(String id);

    /** Runs a command inside a running container and waits for it. */
    ExecResult exec(String id, List<String> command);

    /** Sets a replicated service's replica count. */
    void scaleService(String id, int replicas);

    /** The Swarm configs, with their data. */
    List<SwarmObject> configs();

    /** The Swarm secrets: names and labels only; the engine never returns their data. */
    List<SwarmObject> secrets();

    /** Creates a Swarm config; its id. */
    String createConfig(String name, java.util.Map<String, String> labels, byte[] data);

    /** One-shot cumulative counters (no waiting for a second sample); empty when the container is not running. */
    java.util.Optional<ContainerCounters> counters(String id);

    /** Every service with its running and desired task counts. */
    List<ServiceReplicas> serviceReplicas();

    /** Output lines of a container since {@code sinceEpochSeconds}, stdout and stderr, at most {@code max}, each after its RFC 3339 timestamp and a space. */
    List<String> logLines(String id, long sinceEpochSeconds, int max);

    /**
     * Follows the engine's container events from {@code sinceEpochSeconds}, calling {@code sink} for each
     * until the stream ends (the engine went away) or the thread is interrupted by {@link #close()}.
     */
    void followEvents(long sinceEpochSeconds, java.util.function.Consumer<EngineEvent> sink);

    @Override
    void close();
}
