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

    public static Result run(List<String> argv, Duration timeout) throws IOException {
        return run(argv, java.util.Map.of(), timeout);
    }

    /** With {@code environment} added to kiban's own (DOCKER_HOST for the docker CLI, say). */
    public static Result run(List<String> argv, java.util.Map<String, String> environment, Duration timeout) throws IOException {
        Path out = Files.createTempFile("kiban-tool", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().putAll(environment);
            Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
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
