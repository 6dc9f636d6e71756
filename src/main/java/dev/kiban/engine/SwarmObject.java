package dev.kiban.engine;

import java.util.Map;

/**
 * A Swarm config or secret. A config's {@code data} is what the engine returns; a secret's is always
 * empty, because the engine never gives a secret's data back (D5).
 */
public record SwarmObject(String id, String name, Map<String, String> labels, byte[] data) {
    @Override
    public String toString() {
        return "SwarmObject[" + name + ", " + data.length + " bytes]"; // never the data: it may be a secret's
    }
}
