package dev.kiban.cli;

import dev.kiban.engine.DockerEngine;
import dev.kiban.engine.EngineTimeouts;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dockerd that accepts and then says nothing: the command fails within its limits, exit 3, no stack trace. */
class HungEngineTest {
    static final EngineTimeouts SHORT = new EngineTimeouts(Duration.ofMillis(500), Duration.ofMillis(500),
            Duration.ofMillis(500));

    @TempDir
    Path dir;

    /** Answers {@code /_ping} when {@code answerPing}, then nothing more, on any connection. */
    ServerSocketChannel hung(Path socket, boolean answerPing, List<SocketChannel> held) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel c = server.accept();
                    held.add(c);
                    ByteBuffer in = ByteBuffer.allocate(4096);
                    c.read(in);
                    String request = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
                    if (answerPing && request.startsWith("GET /_ping ")) {
                        c.write(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nAPI-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK")
                                .getBytes(StandardCharsets.ISO_8859_1)));
                        c.close();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    HostileCorpus.Outcome status(Path socket) {
        return HostileCorpus.run(Map.of("DOCKER_HOST", "unix://" + socket), a -> DockerEngine.connect(a, SHORT), "",
                "status");
    }

    @Test
    void anEngineThatNeverAnswersThePingIsUnavailable() throws Exception {
        Path socket = dir.resolve("docker.sock");
        List<SocketChannel> held = new CopyOnWriteArrayList<>();
        try (ServerSocketChannel server = hung(socket, false, held)) {
            HostileCorpus.expect(status(socket), 3, "went silent for 500 ms during GET /_ping");
        } finally {
            for (SocketChannel c : held) c.close();
        }
    }

    @Test
    void anEngineThatHangsAfterThePingIsUnavailable() throws Exception {
        Path socket = dir.resolve("docker.sock");
        List<SocketChannel> held = new CopyOnWriteArrayList<>();
        try (ServerSocketChannel server = hung(socket, true, held)) {
            HostileCorpus.expect(status(socket), 3, "went silent for 500 ms during GET /v1.41/");
        } finally {
            for (SocketChannel c : held) c.close();
        }
    }
}
