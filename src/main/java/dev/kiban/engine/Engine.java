package dev.kiban.engine;

/**
 * The Docker engine as kiban needs it, in kiban's words: every role ({@link Containers}, {@link Images},
 * {@link Volumes}, {@link Networks}, {@link Swarm}, {@link EngineEvents}) over one connection. One
 * implementation talks to a real engine ({@link DockerEngine}); the rest of kiban sees only this, and a
 * part that needs one role takes only that role.
 */
public interface Engine extends Containers, Images, Volumes, Networks, Swarm, EngineEvents, AutoCloseable {

    EngineAddress address();

    EngineInfo info();

    /** The daemon's security options, logging driver and plugins, from {@code /info}. */
    DaemonSecurity daemonSecurity();

    /**
     * The images, stopped containers, overlay networks and (on a manager) the cluster's autolock and
     * secret count, for an audit. A manager that cannot answer (no leader) is a {@link NotSwarmManagerException}.
     */
    EngineObjects auditObjects();

    @Override
    void close();
}
