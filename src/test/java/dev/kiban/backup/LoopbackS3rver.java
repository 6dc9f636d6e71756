package dev.kiban.backup;

import dev.kiban.testing.HostTools;
import dev.kiban.testing.Prerequisite;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * s3rver (npm, an S3-compatible server on the local disk) for the S3 copy tests, on 127.0.0.1 and a free port,
 * its data in {@code dir}, with one bucket. scripts/test-engine installs it into /var/cache/kiban-test/s3rver;
 * KIBAN_S3RVER names another s3rver. Its credentials are its fixed S3RVER/S3RVER, and it checks signatures.
 */
final class LoopbackS3rver implements AutoCloseable {
    static final String BUCKET = "kiban-offsite";
    static final Path INSTALLED = Path.of("/var/cache/kiban-test/s3rver/node_modules/.bin/s3rver");

    final int port;
    final Path dir;
    private Process process;

    LoopbackS3rver(Path dir) throws IOException, InterruptedException {
        Path node = HostTools.require("node");
        String named = System.getenv("KIBAN_S3RVER");
        Path s3rver = named != null && !named.isBlank() ? Path.of(named) : INSTALLED;
        Prerequisite.require(Files.isRegularFile(s3rver), "s3rver is not installed at " + s3rver
                + " (scripts/test-engine installs it: npm install s3rver@3.7.1)");
        this.dir = Files.createDirectories(dir);
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // s3rver 3.7.1 encrypts a listing's continuation token with a cipher OpenSSL 3 (Node 17+) keeps in its legacy
        // provider only: without it every truncated listing fails with HTTP 500
        process = new ProcessBuilder(List.of(node.toString(), "--openssl-legacy-provider", s3rver.toString(),
                "-d", dir.resolve("data").toString(),
                "-a", "127.0.0.1", "-p", String.valueOf(port), "--no-vhost-buckets", "--configure-bucket", BUCKET))
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3rver.log").toFile()).start();
        for (int i = 0; i < 150; i++) {
            if (!process.isAlive()) break;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                if (Files.readString(dir.resolve("s3rver.log")).contains("listening")) return;
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        Prerequisite.missing("s3rver did not start on 127.0.0.1:" + port + ": "
                + Files.readString(dir.resolve("s3rver.log")));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** An AWS credentials file (0600) with this access key and secret. */
    static Path credentials(Path file, String keyId, String secret) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[default]\naws_access_key_id = " + keyId + "\naws_secret_access_key = " + secret
                + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
