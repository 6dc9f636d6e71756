package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineInfo;
import dev.kiban.os.BackupLog;
import dev.kiban.os.FilesystemUsage;
import dev.kiban.spec.ByteSize;
import dev.kiban.spec.SpecDocument;
import dev.kiban.spec.SpecFiles;
import dev.kiban.status.EngineSnapshot;
import dev.kiban.status.PlatformStatus;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
        header = "The engine, Swarm, containers and disks, against the spec.",
        description = {
            "What the Docker engine is doing: versions, storage driver and data root, cgroup version, Swarm state, "
                    + "containers (running, stopped, unhealthy, restarting), images and volumes, and how full the "
                    + "engine's data root and the spec's /data/docker and backup paths are against the spec's disk "
                    + "threshold; the last run of the backup and of the weekly routine (image clean-up, backup "
                    + "read-back, engine update, and the off-site copy when the spec has one), from their logs.",
            "Exits 1 when a disk is over the threshold, a container is unhealthy or restarting, or a scheduled "
                    + "job's last run failed.",
            "Without a spec file it uses the built-in spec and says so.",
            ""})
final class StatusCommand extends EngineBoundCommand {
    @Mixin
    OutputOptions output;

    StatusCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        String config = SpecLoading.root(spec).config;
        // Reading the spec and asking the engine are independent and both mostly cold-start work
        // (class loading, reflection): do them side by side.
        CompletableFuture<SpecDocument> specRead = CompletableFuture.supplyAsync(
                () -> config == null && SpecFiles.locate(null).isEmpty() ? SpecDocument.builtin()
                        : SpecFiles.find(config));
        EngineSnapshot snapshot;
        try (Engine engine = connect()) {
            snapshot = EngineSnapshot.take(engine);
        }
        SpecDocument doc = join(specRead);
        PlatformStatus status = PlatformStatus.of(snapshot, doc.require(), doc.file(), FilesystemUsage::of,
                log -> java.nio.file.Files.isRegularFile(log) ? new BackupLog(log).lastLine()
                        : java.util.Optional.empty());
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) out.println(StructuredOutput.json(status));
        else print(status, out);
        return status.findings().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    private static void print(PlatformStatus s, PrintWriter out) {
        EngineInfo e = s.engine();
        out.printf("Engine       %s (API %s) at %s%n", e.version(), e.apiVersion(), s.engineAddress());
        out.printf("Host         %s, kernel %s%n", e.os(), e.kernel());
        out.printf("Storage      %s, data root %s%n", e.storageDriver(), e.dataRoot());
        out.printf("Cgroups      v%s (%s driver)%n", e.cgroupVersion(), e.cgroupDriver());
        EngineInfo.SwarmState sw = e.swarm();
        String swarm = !sw.active() ? sw.state()
                : (sw.manager() ? "manager" : "worker") + ", " + plural(sw.nodes(), "node") + " ("
                + plural(sw.managers(), "manager") + ")"
                        + s.services().map(n -> ", " + plural(n, "service")).orElse("");
        out.printf("Swarm        %s%n", swarm);
        var c = s.containers();
        out.printf("Containers   %d running, %d stopped, %d unhealthy, %d restarting%n", c.running(), c.stopped(),
                c.unhealthy(), c.restarting());
        out.printf("Images       %d%nVolumes      %d%n", e.images(), s.volumes());
        out.printf("Disks        (threshold %s)%n",
                percent(s.disks().isEmpty() ? PlatformStatus.DEFAULT_DISK_THRESHOLD
                        : s.disks().get(0).thresholdPercent()));
        int width = s.disks().stream().mapToInt(d -> d.role().length()).max().orElse(10);
        for (PlatformStatus.DiskStatus d : s.disks()) {
            out.printf("  %-" + width + "s  %-22s %s%n", d.role(), d.path(),
                    d.usage().map(u -> usage(u, d)).orElse("absent on this host"));
        }
        out.println("Last runs");
        int jobs = s.routine().stream().mapToInt(r -> r.job().length()).max().orElse(10);
        for (PlatformStatus.RoutineRun r : s.routine()) {
            out.printf("  %-" + jobs + "s  %s%n", r.job(), r.lastLine().orElse("never (no " + r.log() + ")"));
        }
        out.printf("Spec         %s%n", s.spec());
        if (s.findings().isEmpty()) {
            out.println("Findings     none");
        } else {
            out.println("Findings");
            s.findings().forEach(f -> out.println("  - " + f));
        }
    }

    private static String usage(FilesystemUsage u, PlatformStatus.DiskStatus d) {
        return String.format(Locale.ROOT, "%s used of %s on %s%s", percent(u.usedPercent()),
                human(u.usedBytes() + u.availableBytes()), u.filesystem(), d.overThreshold() ? "  OVER THRESHOLD" : "");
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.0f%%", p);
    }

    private static String human(long bytes) {
        return ByteSize.ofBytes(Math.max(0, bytes)).approximate();
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

}
