package dev.kiban.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged kiban (bin/kiban) as a user would, for black-box tests. */
public final class KibanProcess {
    private KibanProcess() {}

    public record Result(int exit, String out, String err) {}

    public static Result run(String... args) throws IOException, InterruptedException {
        return run(java.util.Map.of(), args);
    }

    /** With these variables added to the environment (e.g. a secret given as env:NAME). */
    public static Result run(java.util.Map<String, String> env, String... args) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bin/kiban"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("kiban-out", ".txt");
        Path err = Files.createTempFile("kiban-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kiban " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
