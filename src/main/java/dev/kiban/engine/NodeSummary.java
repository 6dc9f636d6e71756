package dev.kiban.engine;

/** A Swarm node: its name, role, availability, state and address. */
public record NodeSummary(String id, String hostname, String role, String availability, String state, String address,
        boolean leader) {}
