package dev.kiban.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where specs are looked for, and reading one from disk. */
public final class SpecFiles {
    /** The places searched, in order, when no {@code -c FILE} is given. */
    public static final List<Path> SEARCH_PATH = List.of(Path.of("kiban.yaml"), Path.of("/etc/kiban/kiban.yaml"));

    private SpecFiles() {}

    /** The spec file to use: {@code explicit} when given, else the first of {@link #SEARCH_PATH} that exists. */
    public static Optional<String> locate(String explicit) {
        if (explicit != null) return Optional.of(explicit);
        return SEARCH_PATH.stream().filter(Files::isRegularFile).map(Path::toString).findFirst();
    }

    /** Reads and checks a spec file, or the built-in spec for {@link SpecDocument#BUILTIN}. */
    public static SpecDocument load(String name) {
        if (SpecDocument.BUILTIN.equals(name)) return SpecDocument.builtin();
        Path path = Path.of(name);
        if (!Files.exists(path)) {
            throw new SpecException(name + ": no such file; 'kiban spec init " + name + "' writes one");
        }
        if (!Files.isRegularFile(path)) throw new SpecException(name + ": not a regular file");
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            return SpecDocument.parse(name, text, readableByOthers(path));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new SpecException(name + ": not UTF-8 text");
        } catch (IOException e) {
            throw new SpecException(name + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The spec named by {@code -c}, else the first on the search path; a {@link SpecException} when there is none. */
    public static SpecDocument find(String explicit) {
        return load(locate(explicit).orElseThrow(() -> new SpecException(
                "no spec found (looked for " + String.join(", ", SEARCH_PATH.stream().map(Path::toString).toList())
                        + "); write one with 'kiban spec init', or use -c builtin for the design's defaults")));
    }

    private static boolean readableByOthers(Path path) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            return perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
