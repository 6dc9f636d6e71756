package dev.kiban.verify;

import dev.kiban.engine.Engine;
import dev.kiban.os.HostPrograms;
import dev.kiban.spec.PlatformSpec;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What checks work with: the spec resolved for the host, the root its files are under, the engine
 * (empty when none answers, and each check then says so), the host's programs, and the images the
 * integration checks run; {@code probeImage} is the one the overlay probe runs on every node (empty: none given).
 */
public record CheckContext(PlatformSpec spec, Path root, Supplier<Optional<Engine>> engine, HostPrograms programs,
                           String webImage, int webPort, String toolImage,
                           int containers, String probeImage) {
    public static final String LABEL = "dev.kiban.verify";

    /** Without a probe image: the overlay probe is skipped, saying so. */
    public CheckContext(PlatformSpec spec, Path root, Supplier<Optional<Engine>> engine, HostPrograms programs,
                        String webImage, int webPort, String toolImage, int containers) {
        this(spec, root, engine, programs, webImage, webPort, toolImage, containers, "");
    }
}
