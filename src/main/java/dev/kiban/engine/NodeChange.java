package dev.kiban.engine;

import java.util.Map;

/** A node's wanted role, availability and labels (the whole set: labels not named are removed). */
public record NodeChange(String role, String availability, Map<String, String> labels) {}
