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
 * integration checks run.
 */
public record CheckContext(PlatformSpec spec, Path root, Supplier<Optional<Engine>> engine, HostPrograms programs,
                           String webImage, int webPort, String toolImage,
                           int containers) {
    public static final String LABEL = "dev.kiban.verify";
}
