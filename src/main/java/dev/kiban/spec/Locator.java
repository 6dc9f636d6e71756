package dev.kiban.spec;

import dev.kiban.spec.Problem.Severity;
import dev.kiban.spec.SpecNode.Location;
import java.util.Map;

/**
 * Places a problem about a key path in the operator's file: at the key itself when the file writes
 * it, else at the nearest enclosing key it does write (a value that came from the built-in defaults
 * is reported where the operator would add it).
 */
final class Locator {
    private final String file;
    private final Map<String, Location> written;

    /** The name the spec file was read under (its -c path, or the built-in's name). */
    String file() {
        return file;
    }

    Locator(String file, SpecNode userTree) {
        this.file = file;
        this.written = userTree == null ? Map.of() : SpecNode.index(userTree);
    }

    /**
     * The first of {@code paths} that the file writes, else the first: where a rule relating several keys is reported.
     */
    String firstWritten(String... paths) {
        for (String p : paths) if (written.containsKey(p)) return p;
        return paths[0];
    }

    /** True when the operator's file writes this key (rather than the defaults supplying it). */
    boolean writes(String path) {
        return written.containsKey(path);
    }

    /** Where the file writes {@code path}, else the nearest enclosing key it writes; empty when it writes none (the
     * document itself does not count). */
    java.util.Optional<Location> location(String path) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            Location at = written.get(p);
            if (at != null) return java.util.Optional.of(at);
        }
        return java.util.Optional.empty();
    }

    Problem problem(Severity severity, String path, String message) {
        String p = path;
        while (true) {
            Location at = written.get(p);
            if (at != null) return new Problem(severity, file, at.line(), at.column(), path, message);
            if (p.isEmpty()) return new Problem(severity, file, 0, 0, path, message);
            p = parent(p);
        }
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
