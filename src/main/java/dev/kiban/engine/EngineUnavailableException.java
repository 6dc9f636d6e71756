package dev.kiban.engine;

/** No Docker engine answered where kiban looked; the message says where, why, and how to start one. */
public class EngineUnavailableException extends RuntimeException {
    public EngineUnavailableException(String message) {
        super(message);
    }
}
