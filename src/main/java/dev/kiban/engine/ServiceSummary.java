package dev.kiban.engine;

import java.util.List;
import java.util.Map;

/**
 * A Swarm service: its mode and, when replicated, how many replicas it wants; the secrets and configs it uses, by name.
 */
public record ServiceSummary(String id, String name, String image, boolean global, int replicas,
                             Map<String, String> labels, List<String> secrets, List<String> configs) {
    public ServiceSummary(String id, String name, String image, boolean global, int replicas,
            Map<String, String> labels) {
        this(id, name, image, global, replicas, labels, List.of(), List.of());
    }
}
