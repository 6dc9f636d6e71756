package dev.kiban.engine;

import dev.kiban.failure.UnavailableException;

/** No Docker engine answered where kiban looked; the message says where, why, and how to start one. */
public class EngineUnavailableException extends UnavailableException {
    public EngineUnavailableException(String message) {
        super(message);
    }
}
