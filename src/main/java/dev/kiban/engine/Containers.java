package dev.kiban.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's containers: listing, running, stopping and removing them, running commands in them,
 * their output, counters and events. An unknown id is an {@link EngineNotFoundException} where a method
 * does not say otherwise.
 */
public interface Containers {

    /** Every container, stopped ones included. */
    List<ContainerSummary> containers();

    /** Creates and starts a container; its id. */
    String runContainer(ContainerRequest request);

    ContainerState inspectContainer(String id);

    /** A container's isolation and limits as its inspect answer gives them (what an audit looks at). */
    ContainerHardening hardening(String id);

    /** Stops a container, giving it {@code seconds} before it is killed; a stopped one stays as it is. */
    void stopContainer(String id, int seconds);

    void startContainer(String id);

    /** Removes a container and its anonymous volumes, running or not; an unknown one is already removed. */
    void removeContainer(String id);

    /** Runs a command inside a running container and waits for it. */
    ExecResult exec(String id, List<String> command);

    /** The last {@code lines} lines of a container's output, stdout and stderr together. */
    String logs(String id, int lines);

    /**
     * Output lines of a container since {@code sinceEpochSeconds}, stdout and stderr, at most {@code max}, each after
     * its RFC 3339 timestamp and a space; none for an unknown container.
     */
    List<String> logLines(String id, long sinceEpochSeconds, int max);

    /** A one-shot stats sample; empty when the container is not running. */
    Optional<ContainerStats> stats(String id);

    /** One-shot cumulative counters (no waiting for a second sample); empty when the container is stopped or gone. */
    Optional<ContainerCounters> counters(String id);

    /**
     * The size in bytes of each running container's writable layer, by id: what it wrote over its image (the
     * engine's {@code SizeRw}; its named volumes are not in it). Costly: the engine walks the files of every running
     * container's layer to answer, so a caller asks seldom (the monitor: once per 5 minutes).
     */
    Map<String, Long> writableLayers();

    /** The engine's events about a container since {@code sinceEpochSeconds}, oldest first, as "time action". */
    List<String> events(String id, long sinceEpochSeconds);
}
