package dev.kiban.engine;

/** One stats sample of a running container: CPU % of one core's worth (as docker stats shows it) and memory. */
public record ContainerStats(double cpuPercent, long memoryUsed, long memoryLimit) {}
