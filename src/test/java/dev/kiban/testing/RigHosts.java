package dev.kiban.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real-host rig for a test class (register it as a static {@code @RegisterExtension} field): Debian
 * hosts whose PID 1 is systemd, each with its own dockerd, made by {@code scripts/test-hosts} on the local
 * engine. Before the class it checks the machine can make them (an engine, root, mmdebstrap: missing under
 * CI fails the class, elsewhere skips it); after the class it removes every host, volume, network and image
 * it made, keeping only the cached root filesystems, so the engine is as the other tests expect it.
 */
public final class RigHosts implements BeforeAllCallback, AfterAllCallback {
    private static final Path SCRIPT = Path.of("scripts/test-hosts").toAbsolutePath();

    /** What a command printed and how it ended. */
    public record Exec(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }

        /** Both streams, for assertion messages. */
        public String both() {
            return out + (err.isEmpty() ? "" : "\n" + err);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Exec engine = docker(Duration.ofSeconds(20), null, "version", "--format", "{{.Server.Version}}");
        Prerequisite.require(engine.ok(), "the real-host rig needs a Docker engine (run scripts/test-engine as root): "
                + engine.err().strip());
        Prerequisite.require("root".equals(System.getProperty("user.name")), "the real-host rig needs root");
        Prerequisite.require(dev.kiban.os.HostPrograms.system().find("mmdebstrap").isPresent(),
                "the real-host rig needs mmdebstrap (apt-get install mmdebstrap; scripts/test-engine does)");
        clean(); // what an interrupted run left
    }

    @Override
    public void afterAll(ExtensionContext context) {
        clean();
    }

    private static void clean() {
        Exec r = run(Duration.ofMinutes(2), null, List.of(SCRIPT.toString(), "clean", "--images"));
        if (!r.ok()) throw new IllegalStateException("the rig could not clean up: " + r.both());
    }

    /** A bridge network for hosts, made by this rig; its name. */
    public String network(String name) {
        return ok(run(Duration.ofMinutes(1), null, List.of(SCRIPT.toString(), "network", name))).out().strip();
    }

    /** The gateway of a rig network: the address on this machine that its hosts reach (test servers bind here). */
    public String gateway(String network) {
        String gateway = ok(docker(Duration.ofSeconds(20), null, "network", "inspect", "-f",
                "{{(index .IPAM.Config 0).Gateway}}", network)).out().strip();
        if (!gateway.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalStateException("network " + network + " has no gateway address: '" + gateway + "'");
        }
        return gateway;
    }

    /** Starts a host and returns once systemd has booted it; {@code dirs} are mount points of their own. */
    public Host start(String name, String suite, String flavour, String network, String... dirs) {
        List<String> argv = new ArrayList<>(List.of(SCRIPT.toString(), "start", name, suite, flavour, network));
        argv.addAll(List.of(dirs));
        return new Host(ok(run(Duration.ofMinutes(10), null, argv)).out().strip());
    }

    /** One running host. Commands run as argv through {@code docker exec}: nothing passes through a shell here. */
    public record Host(String container) {
        public Exec exec(String... argv) {
            return exec(Duration.ofMinutes(5), argv);
        }

        public Exec exec(Duration timeout, String... argv) {
            List<String> all = new ArrayList<>(List.of("exec", container));
            all.addAll(List.of(argv));
            return docker(timeout, null, all.toArray(String[]::new));
        }

        /** {@link #exec}, failing the test (with what the command printed) unless it exits 0. */
        public String execOk(String... argv) {
            return ok(exec(argv)).out();
        }

        /** Runs {@code argv} with {@code input} on its standard input. */
        public Exec execWithInput(byte[] input, String... argv) {
            List<String> all = new ArrayList<>(List.of("exec", "-i", container));
            all.addAll(List.of(argv));
            return docker(Duration.ofMinutes(5), input, all.toArray(String[]::new));
        }

        /** Writes {@code content} to {@code path} in the host (mode 0644 unless changed after). */
        public void write(String path, String content) {
            ok(execWithInput(content.getBytes(StandardCharsets.UTF_8), "dd", "status=none", "of=" + path));
        }

        public String read(String path) {
            return execOk("cat", path);
        }

        /** Copies a file of this machine into the host. Into /var/tmp: trixie mounts a tmpfs over /tmp at boot. */
        public void copyIn(Path file, String dest) {
            ok(docker(Duration.ofMinutes(5), null, "cp", file.toString(), container + ":" + dest));
        }

        /** Loads an image of the outer engine into this host's engine (no registry is reachable). */
        public void loadImage(String image) throws IOException, InterruptedException {
            Process save = new ProcessBuilder("docker", "save", image).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Process load = new ProcessBuilder("docker", "exec", "-i", container, "docker", "load")
                    .redirectErrorStream(true).start();
            try (InputStream in = save.getInputStream(); var out = load.getOutputStream()) {
                in.transferTo(out);
            }
            String said = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (save.waitFor() != 0 || load.waitFor() != 0) {
                throw new IllegalStateException("could not load " + image + " into " + container + ": " + said);
            }
        }

        /** The host's address on a network. */
        public String ip(String network) {
            return ok(docker(Duration.ofSeconds(20), null, "inspect", "-f",
                    "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}", container)).out().strip();
        }
    }

    static Exec ok(Exec r) {
        if (!r.ok()) throw new AssertionError("exit " + r.exit() + ": " + r.both());
        return r;
    }

    static Exec docker(Duration timeout, byte[] input, String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return run(timeout, input, argv);
    }

    private static Exec run(Duration timeout, byte[] input, List<String> argv) {
        try {
            Path err = Files.createTempFile("rig", ".err");
            try {
                Process p = new ProcessBuilder(argv).redirectError(err.toFile()).start();
                CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                    try {
                        return p.getInputStream().readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                try (var stdin = p.getOutputStream()) {
                    if (input != null) stdin.write(input);
                }
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", argv) + " did not end within " + timeout);
                }
                return new Exec(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                        Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
