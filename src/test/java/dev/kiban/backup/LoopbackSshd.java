package dev.kiban.backup;

import dev.kiban.testing.HostTools;
import dev.kiban.testing.Prerequisite;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd for the SFTP copy tests, on 127.0.0.1 and a free port, with its own configuration, host
 * key and authorized_keys in {@code dir}: root logs in with the test's key only, SFTP is the internal server.
 * Stopped and started again on the same port and key (an interrupted copy, then its resumption).
 */
final class LoopbackSshd implements AutoCloseable {
    final Path dir;
    final int port;
    final Path key;
    final Path knownHosts;
    private final Path sshd;
    private Process process;

    LoopbackSshd(Path dir) throws IOException, InterruptedException {
        HostTools.requireRoot();
        this.sshd = HostTools.require("sshd");
        HostTools.require("ssh-keygen");
        this.dir = Files.createDirectories(dir);
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        keygen(dir.resolve("host_key"));
        key = keygen(dir.resolve("id_ed25519"));
        Files.copy(dir.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")));
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password", "UsePAM no", "StrictModes no", "AllowUsers root",
                "Subsystem sftp internal-sftp", "") );
        Files.createDirectories(Path.of("/run/sshd")); // privilege separation's empty directory
        start();
    }

    /** A new ed25519 key pair without a passphrase at {@code file} (and file.pub). */
    static Path keygen(Path file) throws IOException {
        var r = HostTools.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "kiban-test", "-f", file.toString());
        if (!r.ok()) throw new IOException("ssh-keygen failed: " + r.output());
        return file;
    }

    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) break;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                byte[] banner = s.getInputStream().readNBytes(4);
                if (new String(banner, StandardCharsets.US_ASCII).equals("SSH-")) return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        String log = Files.exists(dir.resolve("sshd.log")) ? Files.readString(dir.resolve("sshd.log")) : "";
        Prerequisite.missing("the test's sshd did not start on 127.0.0.1:" + port + ": " + log);
    }

    /** Kills sshd and the session processes it started (an interrupted connection, as a crash would). */
    void kill() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
    }

    CopyAddress address(String path) {
        return CopyAddress.parse("sftp://root@127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) kill();
    }
}
