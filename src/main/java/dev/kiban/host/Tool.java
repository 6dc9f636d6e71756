package dev.kiban.host;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a host program with a time limit and keeps what it printed: how kiban asks the real tools. */
public final class Tool {
    private Tool() {}

    public record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }

        /** The first lines of the output, enough to say what the tool objected to. */
        public String gist() {
            return output.lines().filter(l -> !l.isBlank()).limit(6).reduce((a, b) -> a + "\n" + b).orElse("(no output, exit " + exit + ")");
        }
    }

    /** A program that could not be started at all (not installed, not executable). */
    public static final class NotStarted extends IOException {
        NotStarted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The program's path when it is installed (searched on PATH and in the sbin directories). */
    public static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Where PATH lookup starts on a root other than {@code /}: the usual program directories under it. */
    private static final List<String> ROOT_PATH =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    /**
     * The program as the host under {@code root} would find it: on {@code /} the PATH lookup of
     * {@link #find}; under another root, the usual program directories beneath it. A path with a slash
     * is taken as given (under the root).
     */
    public static Optional<Path> findUnder(Path root, String program) {
        if (program.isEmpty()) return Optional.empty();
        boolean system = HostRoot.isSystemRoot(root);
        if (program.contains("/")) {
            if (HostRoot.problem(program).isPresent()) return Optional.empty();
            Path p = system ? Path.of(program) : HostRoot.resolve(root, program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (system) return find(program);
        for (String dir : ROOT_PATH) {
            Path p = HostRoot.resolve(root, dir + "/" + program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    public static Result run(List<String> argv, Duration timeout) throws IOException {
        return run(argv, java.util.Map.of(), timeout);
    }

    /** With {@code environment} added to kiban's own (DOCKER_HOST for the docker CLI, say). */
    public static Result run(List<String> argv, java.util.Map<String, String> environment, Duration timeout) throws IOException {
        Path out = Files.createTempFile("kiban-tool", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().putAll(environment);
            Process p;
            try {
                p = pb.redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            } catch (IOException e) {
                // "Cannot run program ...: error=2, ..." names the program but not in the operator's words
                String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                        : String.valueOf(e.getMessage());
                throw new NotStarted("cannot start " + argv.get(0) + ": " + why.replaceFirst("^error=\\d+, ", ""), e);
            }
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted while running " + argv.get(0), e);
            }
            if (!done) {
                p.destroyForcibly();
                return new Result(124, argv.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
