package dev.kiban.os;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The real {@link HostPrograms}: PATH lookup and child processes of this JVM. */
final class SystemPrograms implements HostPrograms {
    static final SystemPrograms INSTANCE = new SystemPrograms();
    /** Where PATH lookup starts on a root other than {@code /}: the usual program directories under it. */
    static final List<String> ROOT_PATH =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private SystemPrograms() {}

    @Override
    public Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    @Override
    public Result run(List<String> argv, Map<String, String> environment, Duration timeout) throws IOException {
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
