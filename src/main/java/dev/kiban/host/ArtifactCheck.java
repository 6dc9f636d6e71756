package dev.kiban.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Asks the program that reads a file whether it accepts it; empty when it does. */
@FunctionalInterface
public interface ArtifactCheck {
    /**
     * @param artifact what was rendered
     * @param root the root the files were written under (all of this apply's files are in place)
     * @return the program's objection, in its own words
     */
    Optional<String> check(Artifact artifact, Path root) throws IOException;
}
