package dev.kiban.engine;

/** A Swarm service's running tasks against the tasks it wants. */
public record ServiceReplicas(String id, String name, int running, int desired) {}
