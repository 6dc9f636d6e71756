package dev.kiban.engine;

import java.util.List;

/** An image: its id, every tag, and the repository digests it was pulled by. */
public record ImageSummary(String id, List<String> tags, List<String> digests, long size) {}
