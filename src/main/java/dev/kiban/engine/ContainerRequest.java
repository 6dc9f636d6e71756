package dev.kiban.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container kiban starts for a check: image, command, labels (kiban labels everything it makes),
 * limits, and optionally one container port published on 127.0.0.1 at a port the engine picks.
 */
public record ContainerRequest(String name, String image, List<String> command, Map<String, String> labels,
                               long memoryBytes, long nanoCpus, Optional<Integer> publishLoopback) {}
