package dev.kiban.engine;

import java.util.Map;

/** A named volume: its driver, where its data is on the engine's host, and its options and labels. */
public record VolumeSummary(String name, String driver, String mountpoint, Map<String, String> options,
        Map<String, String> labels) {}
