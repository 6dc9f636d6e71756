package dev.kiban.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host's programs: finding one and running it with a time limit, keeping what it printed. How kiban asks
 * the real tools; handed in from the CLI so that tests can answer in their place ({@link #system()} is real).
 */
public interface HostPrograms {
    record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }

        /** The first lines of the output, enough to say what the tool objected to. */
        public String gist() {
            return output.lines().filter(l -> !l.isBlank()).limit(6).reduce((a, b) -> a + "\n" + b)
                    .orElse("(no output, exit " + exit + ")");
        }
    }

    /** A program that could not be started at all (not installed, not executable). */
    final class NotStarted extends IOException {
        public NotStarted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The programs of the machine kiban runs on. */
    static HostPrograms system() {
        return SystemPrograms.INSTANCE;
    }

    /** The program's path when it is installed (searched on PATH and in the sbin directories). */
    Optional<Path> find(String program);

    /** With {@code environment} added to kiban's own (DOCKER_HOST for the docker CLI, say). */
    Result run(List<String> argv, Map<String, String> environment, Duration timeout) throws IOException;

    default Result run(List<String> argv, Duration timeout) throws IOException {
        return run(argv, Map.of(), timeout);
    }

    /**
     * The program as the host under {@code root} would find it: on {@code /} the PATH lookup of
     * {@link #find}; under another root, the usual program directories beneath it. A path with a slash
     * is taken as given (under the root).
     */
    default Optional<Path> findUnder(Path root, String program) {
        if (program.isEmpty()) return Optional.empty();
        boolean system = HostRoot.isSystemRoot(root);
        if (program.contains("/")) {
            if (HostRoot.problem(program).isPresent()) return Optional.empty();
            Path p = system ? Path.of(program) : HostRoot.resolve(root, program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (system) return find(program);
        for (String dir : SystemPrograms.ROOT_PATH) {
            Path p = HostRoot.resolve(root, dir + "/" + program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
