package dev.kiban.engine;

/** The engine refused a request: its status code and its own message. */
public class EngineApiException extends RuntimeException {
    private final int status;

    public EngineApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
