package dev.kiban.engine;

import java.util.Map;

/** One event from the engine's stream: a container's die, oom, kill, stop, start, health_status, destroy … */
public record EngineEvent(String type, String action, String id, Map<String, String> attributes, long timeNanos) {
    public String name() {
        return attributes.getOrDefault("name", id.length() > 12 ? id.substring(0, 12) : id);
    }

    /** "health_status: unhealthy" → "health_status". */
    public String verb() {
        int colon = action.indexOf(':');
        return colon < 0 ? action : action.substring(0, colon);
    }
}
