package dev.kiban.engine;

import java.util.Map;
import java.util.Optional;

/**
 * A container as inspected: its state, exit code, whether the kernel killed it for memory, restarts,
 * health (with the last probe's output), limits, networks, and its published loopback port.
 */
public record ContainerState(String id, String name, String image, String status, boolean running, int exitCode,
                             boolean oomKilled,
                             int restartCount, Optional<String> health, String lastHealthOutput,
                             Optional<Integer> hostPort, String error,
                             long memoryLimit, long nanoCpus, Map<String, String> networks, String startedAt,
                             String finishedAt) {}
