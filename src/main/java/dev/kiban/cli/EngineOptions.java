package dev.kiban.cli;

import picocli.CommandLine.Option;

/** Options of commands that talk to the engine. */
final class EngineOptions {
    @Option(names = {"-H", "--host"}, paramLabel = "URI",
            description = "Engine API address (unix:///path or tcp://host:port). Default: $DOCKER_HOST, else "
                    + "unix:///var/run/docker.sock.")
    String host;
}
