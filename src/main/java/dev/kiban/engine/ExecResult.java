package dev.kiban.engine;

/** What a command run inside a container did: its exit code and its output, stdout and stderr together. */
public record ExecResult(int exitCode, String output) {}
