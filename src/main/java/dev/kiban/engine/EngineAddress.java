package dev.kiban.engine;

import dev.kiban.spec.SpecException;
import dev.kiban.spec.SpecText;
import java.nio.file.Path;
import java.util.Map;

/** Where the Docker engine's API is: {@code -H}, else {@code DOCKER_HOST}, else the local unix socket. */
public record EngineAddress(String uri, String source) {
    public static final String DEFAULT = "unix:///var/run/docker.sock";

    public static EngineAddress choose(String explicit, Map<String, String> environment) {
        if (explicit != null && !explicit.isBlank()) return checked(explicit, "--host");
        String env = environment.get("DOCKER_HOST");
        if (env != null && !env.isBlank()) return checked(env, "DOCKER_HOST");
        return new EngineAddress(DEFAULT, "default");
    }

    /** A malformed address is the operator's to fix (exit 2), not an engine that is down (exit 3). */
    private static EngineAddress checked(String uri, String source) {
        SpecText.engineAddressProblem(uri).ifPresent(why -> {
            throw new SpecException(source + ": not a Docker engine address: " + why);
        });
        return new EngineAddress(uri, source);
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
