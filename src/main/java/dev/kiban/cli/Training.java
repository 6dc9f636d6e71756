package dev.kiban.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The training run for kiban's class archive (scripts/build-cds): each argument is one command line
 * (words split at spaces), run in this one JVM as {@link Main} runs it, its output discarded. One JVM
 * for all, because the JDK's AOT cache (-XX:AOTCacheOutput, JDK 25) records a single run, and a
 * dynamic CDS archive (-XX:ArchiveClassesAtExit, JDK 17) too. A command that fails still trains.
 */
public final class Training {
    private Training() {}

    public static void main(String[] commands) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true);
        int ran = 0;
        try {
            System.setOut(discard);
            System.setErr(discard);
            for (String command : commands) {
                String[] args = Arrays.stream(command.trim().split(" +")).filter(s -> !s.isEmpty())
                        .toArray(String[]::new);
                try {
                    Main.commandLine(KibanContext.system(), args).execute(args);
                } catch (RuntimeException e) {
                    // a command that throws past its handler has still loaded its classes
                }
                ran++;
            }
            dashboard();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        out.println("training: " + ran + " commands");
        System.exit(0); // as Main does: a command's idle threads (an engine client's) must not keep the JVM up
    }

    /**
     * kiban dashboard serves until stopped, so it cannot be a command line here: its server is started on a free
     * loopback port, asked for the overview (the local engine's, or its failure page) and its script, and stopped.
     */
    static void dashboard() {
        KibanContext context = KibanContext.system();
        var address = dev.kiban.engine.EngineAddress.choose(null, context.environment());
        var sources = new dev.kiban.dashboard.Sources(() -> context.engines().apply(address),
                dev.kiban.spec.SpecDocument.builtin().require(), "built-in",
                java.nio.file.Path.of("/nonexistent/kiban-training"), p -> java.util.Optional.empty(),
                java.time.Clock.systemUTC());
        var settings = new dev.kiban.dashboard.DashboardSettings(java.net.InetAddress.getLoopbackAddress(), 0,
                java.util.Optional.empty(), java.util.Optional.empty(), DashboardCommand.tunnel(
                        dev.kiban.spec.SpecDocument.builtin().require(), 9440));
        try (var server = dev.kiban.dashboard.DashboardServer.start(settings, sources)) {
            var http = java.net.http.HttpClient.newHttpClient();
            for (String path : new String[] {"/", "/static/events.js"}) {
                http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + server.address().getPort() + path)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
            }
        } catch (Exception e) {
            // training only: a failure costs the archive these classes, nothing else
        }
    }
}
