package dev.kiban.engine;

import java.nio.file.Path;
import java.util.Map;

/** Where the Docker engine's API is: {@code -H}, else {@code DOCKER_HOST}, else the local unix socket. */
public record EngineAddress(String uri, String source) {
    public static final String DEFAULT = "unix:///var/run/docker.sock";

    public static EngineAddress choose(String explicit, Map<String, String> environment) {
        if (explicit != null && !explicit.isBlank()) return new EngineAddress(explicit, "--host");
        String env = environment.get("DOCKER_HOST");
        if (env != null && !env.isBlank()) return new EngineAddress(env, "DOCKER_HOST");
        return new EngineAddress(DEFAULT, "default");
    }

    public boolean isUnixSocket() {
        return uri.startsWith("unix://");
    }

    /** The socket file of a {@code unix://} address. */
    public Path socketPath() {
        return Path.of(uri.substring("unix://".length()));
    }

    /** True when the engine runs on this machine, so its paths can be measured here. */
    public boolean isLocal() {
        return isUnixSocket() || uri.startsWith("tcp://127.") || uri.startsWith("tcp://localhost");
    }

    @Override
    public String toString() {
        return uri;
    }
}
