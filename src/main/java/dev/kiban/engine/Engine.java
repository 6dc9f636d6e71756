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

    /** The number of Swarm services; only a manager can list them. */
    int serviceCount();

    @Override
    void close();
}
