package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.os.HostPrograms;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

/**
 * The harness of the hostile-input corpus: kiban run in-process as root would run it, a sentinel tree
 * that no hostile input may change, and one assertion for what every hostile case expects (its exit
 * code, a message fragment, no secret, no Java class name, no stack trace).
 *
 * <p>The cases live in the {@code Hostile*Test} classes beside this one, one class per input kind
 * (spec, compose file, crafted repository or snapshot, restore destination, channel settings); each
 * case is one test, so the corpus size is the number of tests in those classes.
 */
final class HostileCorpus {
    private HostileCorpus() {}

    /** What one run printed and returned. */
    record Outcome(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Runs kiban with no engine: a hostile case that reaches for one is a bug in the case or in kiban. */
    static Outcome run(String... args) {
        return run(Map.of(), a -> {
            throw new AssertionError("this hostile case must not reach the engine");
        }, "", args);
    }

    /** Runs kiban with this environment, these engines and {@code stdin} as its input ("" answers no prompt). */
    static Outcome run(Map<String, String> env, Function<EngineAddress, Engine> engines, String stdin, String... args) {
        return run(env, engines, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    /** As above, with {@code stdin} as given (a test can act when kiban reads the operator's answer). */
    static Outcome run(Map<String, String> env, Function<EngineAddress, Engine> engines, java.io.InputStream stdin,
                       String... args) {
        return run(env, engines, HostPrograms.system(), stdin, args);
    }

    /** As above, with these host programs (a fake systemctl for the cases that stop the engine). */
    static Outcome run(Map<String, String> env, Function<EngineAddress, Engine> engines, HostPrograms programs,
                       java.io.InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var context = new KibanContext(env, engines, new dev.kiban.host.ReaderChecks(programs), programs, stdin,
                System.console() != null);
        var cli = Main.commandLine(context, args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    /**
     * What every hostile case asserts: the documented exit code, a fragment of the operator's message,
     * none of the {@code secrets}, no Java exception class name and no stack trace.
     */
    static void expect(Outcome o, int exit, String fragment, String... secrets) {
        assertThat(o.exit()).as("exit code; printed:%n%s", o.all()).isEqualTo(exit);
        assertThat(o.all()).as("message").contains(fragment);
        for (String s : secrets) assertThat(o.all()).as("a secret in the output").doesNotContain(s);
        assertThat(o.all()).as("no Java class names or stack traces")
                .doesNotContainPattern("(java|javax|jdk|sun|com\\.fasterxml|picocli)"
                        + "\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)")
                .doesNotContain("\tat ");
    }

    /**
     * A tree that must not change: a root-only file, a setuid-free executable, a directory with a file,
     * a symlink. Its digest covers every path's type, mode, owner, size, mtime, content and link target,
     * read without following links.
     */
    static final class Sentinel {
        private final Path dir;
        private final String digest;

        private Sentinel(Path dir) throws IOException {
            this.dir = dir;
            this.digest = digest(dir);
        }

        /** Plants the sentinel tree at {@code dir} (created) and records its digest. */
        static Sentinel plant(Path dir) throws IOException {
            Files.createDirectories(dir.resolve("sub"));
            Files.writeString(dir.resolve("secret.txt"), "root only\n");
            Files.setPosixFilePermissions(dir.resolve("secret.txt"), PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve("tool"), "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(dir.resolve("tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(dir.resolve("sub/data"), "sentinel data\n");
            Files.createSymbolicLink(dir.resolve("link"), Path.of("sub/data"));
            return new Sentinel(dir);
        }

        Path dir() {
            return dir;
        }

        Path file() {
            return dir.resolve("secret.txt");
        }

        void assertUnchanged() throws IOException {
            assertThat(digest(dir)).as("the sentinel tree %s changed", dir).isEqualTo(digest);
        }

        private static String digest(Path dir) throws IOException {
            Map<String, String> lines = dev.kiban.testing.FileTreeState.of(dir);
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                lines.forEach((k, v) -> md.update((k + "\0" + v + "\n").getBytes(StandardCharsets.UTF_8)));
                return HexFormat.of().formatHex(md.digest()) + " " + lines;
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
