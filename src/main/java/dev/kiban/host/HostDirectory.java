package dev.kiban.host;

/** A directory of the layout (R4.1) with its owner and mode. */
public record HostDirectory(String path, String mode, String owner, String why) {}
