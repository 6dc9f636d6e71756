package dev.kiban.cli;

import dev.kiban.spec.PlatformSpec.Family;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the host's files are, and which family to render for. */
final class RootOptions {
    @Option(names = "--root", paramLabel = "DIR",
            description = "Host root to read and write under (default /). Commands run only when it is /.")
    Path root = Path.of("/");

    @Option(names = "--family", paramLabel = "rhel|debian", converter = ChoiceConverter.FamilyChoice.class,
            description = "Render for this OS family instead of reading <root>/etc/os-release.")
    Family family;

    Optional<Family> family() {
        return Optional.ofNullable(family);
    }
}
