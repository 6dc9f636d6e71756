package dev.kiban.engine;

import java.util.Optional;

/** A container as inspected: its state, exit code, whether the kernel killed it for memory, and its published loopback port. */
public record ContainerState(String id, String status, boolean running, int exitCode, boolean oomKilled, int restartCount,
                             Optional<String> health, Optional<Integer> hostPort, String error) {}
