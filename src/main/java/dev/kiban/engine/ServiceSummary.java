package dev.kiban.engine;

import java.util.Map;

/** A Swarm service: its mode and, when replicated, how many replicas it wants. */
public record ServiceSummary(String id, String name, String image, boolean global, int replicas, Map<String, String> labels) {}
