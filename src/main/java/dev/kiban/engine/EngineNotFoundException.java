package dev.kiban.engine;

/** The engine has no such object (a container, network, image…): its 404, so callers need not read a status. */
public class EngineNotFoundException extends EngineApiException {
    public EngineNotFoundException(String message) {
        super(404, message);
    }
}
