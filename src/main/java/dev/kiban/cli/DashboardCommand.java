package dev.kiban.cli;

import dev.kiban.dashboard.DashboardServer;
import dev.kiban.dashboard.DashboardSettings;
import dev.kiban.dashboard.Sources;
import dev.kiban.engine.ServerTls;
import dev.kiban.failure.UsageException;
import dev.kiban.os.Failures;
import dev.kiban.os.FilesystemUsage;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        header = "Serve the read-only web dashboard (overview, stacks, metrics, alerts, backups, verify, events).",
        description = {
            "Serves, until stopped, read-only pages of the platform: the engine, Swarm nodes, stacks and their "
                    + "convergence, disks against the threshold, the last backup, the last verify and audit (with "
                    + "JUnit and SARIF downloads), firing alerts and their history, backups, and a live stream of "
                    + "the engine's container events. Nothing on it changes the platform; it reads the engine and "
                    + "the files kiban's other commands write (monitor.state, backup.log, maintenance.logs).",
            "By default on 127.0.0.1:9440 only. Reach it from your machine through an SSH tunnel:",
            "  ssh -L 9440:127.0.0.1:9440 admin@this-host   then open http://localhost:9440/",
            "Beyond loopback (--bind 10.0.0.5:9440) it refuses to start without --tls-certificate, --tls-key and "
                    + "--token-file: open https://10.0.0.5:9440/?token=TOKEN once; the token is exchanged for a "
                    + "session cookie (HttpOnly, Secure, SameSite=Strict) and taken out of the address.",
            "Refuses: a method other than GET or HEAD (405), a Host header other than the bound address, localhost, "
                    + "127.0.0.1 or [::1] with the port (421; none: 400), a huge query (414) or a malformed or "
                    + "unknown parameter (400), a missing or wrong token (401).",
            "Exit codes: 143 stopped by SIGTERM (a clean stop); 2 a bad option (an address beyond loopback "
                    + "without TLS and token, a wildcard address, a token file others may read); 3 the address is "
                    + "taken or a TLS or token file is unreadable.",
            ""})
final class DashboardCommand extends EngineBoundCommand {
    @Option(names = "--bind", paramLabel = "ADDR:PORT",
            description = "Address and port to serve on (default: the spec's dashboard.bind, 127.0.0.1:9440; "
                    + "[::1]:PORT for IPv6; port 0 picks a free one).")
    String bind;

    @Option(names = "--tls-certificate", paramLabel = "PEM",
            description = "The server's certificate chain (PEM; default: the spec's dashboard.tls.certificate).")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "PEM",
            description = "The certificate's private key (PEM; default: the spec's dashboard.tls.key).")
    Path key;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file whose first line is the token a browser presents once (default: the spec's "
                    + "dashboard.tokenFile).")
    Path tokenFile;

    @Option(names = "--state", paramLabel = "DIR",
            description = "The monitor's state directory to read. Default: the spec's monitor.state.")
    Path stateDir;

    DashboardCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        SpecDocument doc = SpecLoading.spec(spec);
        PlatformSpec platform = doc.require();
        var section = platform.dashboard();
        String where = bind != null ? bind : section.bind();
        InetAddress address;
        int port;
        try {
            address = PlatformSpec.Dashboard.address(where);
            port = PlatformSpec.Dashboard.port(where);
        } catch (IllegalArgumentException e) {
            throw new UsageException((bind != null ? "--bind" : "dashboard.bind") + ": " + e.getMessage());
        }
        if (certificate == null && key == null && section.tls().isPresent()) {
            certificate = Path.of(section.tls().get().certificate().value());
            key = Path.of(section.tls().get().key().value());
        }
        if (tokenFile == null && section.tokenFile().isPresent()) {
            tokenFile = Path.of(section.tokenFile().get().value());
        }
        if ((certificate == null) != (key == null)) {
            throw new UsageException("--tls-certificate and --tls-key go together");
        }
        Optional<SSLContext> tls;
        Optional<byte[]> token;
        try {
            tls = certificate == null ? Optional.empty() : Optional.of(ServerTls.context(certificate, key));
            token = tokenFile == null ? Optional.empty() : Optional.of(token(tokenFile));
        } catch (IOException e) {
            throw new dev.kiban.failure.UnavailableException("the dashboard's TLS or token file: "
                    + Failures.describe(e));
        }
        Path state = stateDir != null ? stateDir : Path.of(platform.monitor().state().value());
        Sources sources = new Sources(this::connect, platform, doc.file(), state, FilesystemUsage::of,
                Clock.systemUTC());
        DashboardSettings settings = new DashboardSettings(address, port, tls, token, tunnel(platform, port));
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        try (DashboardServer server = DashboardServer.start(settings, sources)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            int bound = server.address().getPort();
            String shown = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
                    : address.getHostAddress();
            out.printf("kiban dashboard: %s://%s:%d/ (ready in %d ms)%n", tls.isPresent() ? "https" : "http",
                    shown, bound, (System.nanoTime() - started) / 1_000_000);
            if (settings.loopback()) out.println("From your machine: " + tunnel(platform, bound));
            out.flush();
            stopped.await();
        } catch (IOException e) {
            throw new dev.kiban.failure.UnavailableException("cannot serve on " + where + ": "
                    + Failures.describe(e));
        }
        return ExitCode.OK;
    }

    private static byte[] token(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UsageException("--token-file " + file + ": not a regular file (a link is not followed)");
        }
        var mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (mode.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                || mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
            throw new UsageException("--token-file " + file + ": others may read it; make it the owner's only "
                    + "(chmod 600)");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String first = text.lines().findFirst().orElse("").strip();
        if (first.length() < 16) {
            throw new UsageException("--token-file " + file + ": the token must be at least 16 characters");
        }
        return first.getBytes(StandardCharsets.UTF_8);
    }

    /** The SSH tunnel the pages show, from the spec's SSH port and allowed users and this host's name. */
    static String tunnel(PlatformSpec platform, int port) {
        var ssh = platform.security().ssh();
        // the built-in spec's user is a placeholder ("<ssh user>"): the page then says USER
        String user = ssh.allowUsers().isEmpty() || !ssh.allowUsers().get(0).matches("[A-Za-z0-9._-]+") ? "USER"
                : ssh.allowUsers().get(0);
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "this-host";
        }
        return "ssh -L " + port + ":127.0.0.1:" + port + (ssh.port() == 22 ? "" : " -p " + ssh.port()) + " " + user
                + "@" + host;
    }
}
