package dev.kiban.engine;

/** The request collides with what the engine has (a network of that name exists, one is still in use): its 409. */
public class EngineConflictException extends EngineApiException {
    public EngineConflictException(String message) {
        super(409, message);
    }
}
