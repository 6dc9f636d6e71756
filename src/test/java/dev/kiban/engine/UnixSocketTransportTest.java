package dev.kiban.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine transport against a fake dockerd on a unix socket: hung, too old, streaming slowly. */
class UnixSocketTransportTest {
    static final EngineTimeouts SHORT =
            new EngineTimeouts(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500));

    @TempDir
    Path dir;
    FakeDockerd fake;

    /** A unix-socket server: for each request line, {@code answer} gives the raw response, or null to never answer. */
    static final class FakeDockerd implements AutoCloseable {
        final Path socket;
        final ServerSocketChannel server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<SocketChannel> open = new CopyOnWriteArrayList<>();
        final Thread thread;

        FakeDockerd(Path socket, Function<String, List<String>> answer) throws IOException {
            this.socket = socket;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = new Thread(() -> {
                while (server.isOpen()) {
                    try {
                        SocketChannel c = server.accept();
                        open.add(c);
                        Thread t = new Thread(() -> serve(c, answer));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(SocketChannel c, Function<String, List<String>> answer) {
            try {
                String line = readLine(c);
                for (String h = readLine(c); !h.isEmpty(); h = readLine(c)) {
                    // headers are not needed
                }
                requests.add(line);
                List<String> parts = answer.apply(line);
                if (parts == null) return; // accept and never answer: a hung dockerd
                for (String part : parts) {
                    if (part.startsWith("SLEEP ")) Thread.sleep(Long.parseLong(part.substring(6)));
                    else c.write(ByteBuffer.wrap(part.getBytes(StandardCharsets.ISO_8859_1)));
                }
                c.close();
            } catch (IOException | InterruptedException e) {
                // the client gave up: what the hanging cases want
            }
        }

        private static String readLine(SocketChannel c) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (true) {
                one.clear();
                if (c.read(one) < 0) throw new IOException("closed");
                byte x = one.get(0);
                if (x == '\n') return b.toString(StandardCharsets.ISO_8859_1);
                if (x != '\r') b.write(x);
            }
        }

        EngineAddress address() {
            return new EngineAddress("unix://" + socket, "--host");
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (SocketChannel c : open) c.close();
        }
    }

    static List<String> json(String headers, String body) {
        return List.of("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + headers
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    }

    static List<String> ping(String version) {
        return json(version == null ? "" : "API-Version: " + version + "\r\n", "OK");
    }

    FakeDockerd fake(Function<String, List<String>> answer) throws IOException {
        fake = new FakeDockerd(dir.resolve("docker.sock"), answer);
        return fake;
    }

    @AfterEach
    void stop() throws IOException {
        if (fake != null) fake.close();
    }

    static DockerHttpClient.Request get(String path) {
        return DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET).path(path).build();
    }

    @Test
    void anEngineThatAcceptsAndNeverAnswersFailsWithinTheReadLimit() throws Exception {
        fake(line -> null);
        UnixSocketTransport t = new UnixSocketTransport(fake.socket.toString(), SHORT);
        long start = System.nanoTime();
        assertThatThrownBy(() -> t.execute(get("/_ping"))).isInstanceOf(EngineUnavailableException.class)
                .hasMessage("the engine at unix://" + fake.socket + " went silent for 500 ms during GET /_ping "
                        + "(is dockerd hung? see "
                        + "'systemctl status docker' and 'journalctl -u docker')");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void connectingToAHungEngineFailsFastAsUnavailable() throws Exception {
        fake(line -> null);
        long start = System.nanoTime();
        assertThatThrownBy(() -> DockerEngine.connect(fake.address(), SHORT))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessageStartingWith("no Docker engine answers at unix://" + fake.socket
                        + " (from --host): the engine at")
                .hasMessageContaining("went silent for 500 ms during GET /_ping");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aRequestAfterThePingThatHangsIsUnavailableToo() throws Exception {
        fake(line -> line.startsWith("GET /_ping") ? ping("1.41") : null);
        try (DockerEngine engine = DockerEngine.connect(fake.address(), SHORT)) {
            assertThat(engine.apiVersion()).isEqualTo("1.41");
            assertThatThrownBy(engine::info).isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("went silent for 500 ms during GET /v1.41/version");
        }
        assertThat(fake.requests).containsExactly("GET /_ping HTTP/1.1", "GET /v1.41/version HTTP/1.1");
    }

    @Test
    void aBodyThatStopsHalfwayIsUnavailable() throws Exception {
        fake(line -> line.startsWith("GET /_ping") ? ping("1.41")
                : List.of("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"Id\":",
                        "SLEEP 5000"));
        try (DockerEngine engine = DockerEngine.connect(fake.address(), SHORT)) {
            assertThatThrownBy(engine::containers).isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("went silent for 500 ms during GET /v1.41/containers/json");
        }
    }

    @Test
    void theApiVersionIsPinnedAndNegotiatedDownNeverBelowTheMinimum() throws Exception {
        assertThat(EngineConnection.negotiate("1.45")).isEqualTo("1.41");
        assertThat(EngineConnection.negotiate("1.41")).isEqualTo("1.41");
        assertThat(EngineConnection.negotiate("")).as("no header: the pinned version").isEqualTo("1.41");
        assertThat(EngineConnection.negotiate("2.0")).isEqualTo("1.41");
        assertThatThrownBy(() -> EngineConnection.negotiate("1.40"))
                .isInstanceOf(EngineConnection.EngineTooOldException.class);
        assertThat(EngineConnection.compare("1.9", "1.41")).isNegative();

        fake(line -> line.startsWith("GET /_ping") ? ping("1.39") : json("", "{}"));
        assertThatThrownBy(() -> DockerEngine.connect(fake.address(), SHORT))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessageStartingWith("the Docker engine at unix://" + fake.socket
                        + " speaks API 1.39; kiban needs 1.41 or newer");
    }

    @Test
    void aNewerEngineIsAskedForThePinnedVersion() throws Exception {
        fake(line -> line.startsWith("GET /_ping") ? ping("1.45") : json("", "{\"Volumes\":[{},{}]}"));
        try (DockerEngine engine = DockerEngine.connect(fake.address(), SHORT)) {
            assertThat(engine.volumeCount()).isEqualTo(2);
        }
        assertThat(fake.requests).containsExactly("GET /_ping HTTP/1.1", "GET /v1.41/volumes HTTP/1.1");
    }

    @Test
    void aStreamWithoutALimitMayBeSilentLongerThanTheReadLimit() throws Exception {
        fake(line -> List.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", "SLEEP 1500", "ok"));
        UnixSocketTransport t = new UnixSocketTransport(fake.socket.toString(), SHORT);
        try (DockerHttpClient.Response r = t.execute(get("/v1.41/events"), null)) {
            assertThat(new String(r.getBody().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ok");
        }
    }

    @Test
    void aSocketNobodyListensOnIsConnectionRefused() throws Exception {
        Path dead = dir.resolve("dead.sock");
        try (var ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(dead));
        }
        UnixSocketTransport t = new UnixSocketTransport(dead.toString(), SHORT);
        assertThatThrownBy(() -> t.execute(get("/_ping"))).isInstanceOf(EngineUnavailableException.class)
                .hasMessageContaining("connection refused").hasMessageNotContaining("Exception");
    }
}
