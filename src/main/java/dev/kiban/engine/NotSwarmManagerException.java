package dev.kiban.engine;

/** A Swarm request to a node that is no manager (a worker, or no swarm at all): the engine's 503. */
public class NotSwarmManagerException extends EngineApiException {
    public NotSwarmManagerException(String message) {
        super(503, message);
    }
}
