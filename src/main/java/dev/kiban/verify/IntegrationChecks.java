package dev.kiban.verify;

import dev.kiban.engine.ContainerRequest;
import dev.kiban.engine.ContainerState;
import dev.kiban.engine.Engine;
import dev.kiban.failure.UnavailableException;
import dev.kiban.os.MemInfo;
import dev.kiban.os.Wait;
import dev.kiban.spec.ByteSize;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.Snapshot;
import dev.kiban.backup.TreeListing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * R11.2: the parts working together, each check with throwaway containers labelled
 * {@value CheckContext#LABEL} that it removes whatever happens. Traffic goes to 127.0.0.1 only.
 */
public final class IntegrationChecks {
    private IntegrationChecks() {}

    public static List<Check> all() {
        return List.of(webAnswers(), oomKill(), manyContainers(), backupRestore(), alertDelivery(),
                OverlayProbe.check());
    }

    static Check webAnswers() {
        return new NamedCheck("web-http-200", "integration", "R11.2", "a web container answers HTTP 200", c -> {
            Engine engine = engine(c);
            if (!engine.hasImage(c.webImage())) return missing(c.webImage(), "--web-image");
            String id = engine.runContainer(new ContainerRequest(name("web"), c.webImage(), List.of(), labels(),
                    64L << 20, 250_000_000L, Optional.of(c.webPort())));
            try {
                String[] last = {"no answer"};
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                try {
                    return Wait.until(() -> {
                        ContainerState state = engine.inspectContainer(id);
                        if (!state.running()) {
                            return Optional.of(Check.Outcome.fail("the container stopped: " + state.status()
                                    + " exit " + state.exitCode()));
                        }
                        if (state.hostPort().isEmpty()) return Optional.empty();
                        URI uri = URI.create("http://127.0.0.1:" + state.hostPort().get() + "/");
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                return Optional.of(Check.Outcome.pass("GET " + uri + " -> 200 from " + c.webImage()));
                            }
                            last[0] = "GET " + uri + " -> " + r.statusCode();
                        } catch (IOException e) {
                            last[0] = "GET " + uri + ": " + e.getMessage();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new java.io.InterruptedIOException("interrupted");
                        }
                        return Optional.empty();
                    }, Duration.ofSeconds(30), Duration.ofMillis(300), "HTTP 200");
                } catch (Wait.TimedOut e) {
                    return Check.Outcome.fail(last[0] + " within 30 s");
                }
            } finally {
                engine.removeContainer(id);
            }
        });
    }

    static Check oomKill() {
        return new NamedCheck("oom-kill", "integration", "R11.2, R1.3",
                "a container past its memory limit is OOM-killed", c -> {
            Engine engine = engine(c);
            if (!engine.hasImage(c.toolImage())) return missing(c.toolImage(), "--tool-image");
            // tail buffers an endless line from /dev/zero: memory grows until the limit stops it.
            String id = engine.runContainer(new ContainerRequest(name("oom"), c.toolImage(),
                    List.of("tail", "/dev/zero"), labels(), 32L << 20, 0, Optional.empty()));
            try {
                try {
                    return Wait.until(() -> {
                        ContainerState state = engine.inspectContainer(id);
                        if (state.running()) return Optional.empty();
                        return Optional.of(state.oomKilled()
                                ? Check.Outcome.pass("32M limit: State.OOMKilled = true, exit " + state.exitCode())
                                : Check.Outcome.fail("stopped with exit " + state.exitCode()
                                        + " but State.OOMKilled is false"));
                    }, Duration.ofSeconds(60), Duration.ofMillis(200), "the OOM kill");
                } catch (Wait.TimedOut e) {
                    return Check.Outcome.fail("still running after 60 s with a 32M limit: is the memory cgroup "
                            + "enabled?");
                }
            } finally {
                engine.removeContainer(id);
            }
        });
    }

    static Check manyContainers() {
        return new NamedCheck("many-containers", "integration", "R11.2, R1.2",
                "many containers at once stay within the budget", c -> {
            Engine engine = engine(c);
            if (!engine.hasImage(c.toolImage())) return missing(c.toolImage(), "--tool-image");
            int n = c.containers();
            long memory = 16L << 20;
            long nanoCpus = 50_000_000L;
            double cpuSum = n * nanoCpus / 1e9;
            long memSum = n * memory;
            var budget = c.spec().budget();
            if (cpuSum > budget.dockerVcpus() || memSum > budget.docker().memory().bytes()) {
                return Check.Outcome.fail(n + " containers would need " + cpuSum + " vCPU / " + ByteSize.ofBytes(memSum)
                        + ", over the budget");
            }
            HostLoad load = HostLoad.start();
            List<String> ids = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> started = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String name = name("load" + i);
                    started.add(pool.submit(() -> engine.runContainer(new ContainerRequest(name, c.toolImage(),
                            List.of("sleep", "30"), labels(), memory, nanoCpus, Optional.empty()))));
                }
                List<String> errors = new ArrayList<>();
                for (Future<String> f : started) {
                    try {
                        ids.add(f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        errors.add(e.getCause().getMessage());
                    }
                }
                Thread.sleep(2000);
                long running = ids.stream().map(engine::inspectContainer).filter(ContainerState::running).count();
                HostLoad.Peak peak = load.stop();
                String evidence = running + "/" + n + " running; limits sum " + cpuSum + " vCPU of "
                        + budget.dockerVcpus() + ", " + ByteSize.ofBytes(memSum)
                        + " of " + budget.docker().memory() + "; peak host CPU " + Math.round(peak.cpuPercent())
                        + "%, memory " + ByteSize.ofBytes(peak.memoryUsed()) + " used";
                if (!errors.isEmpty()) return Check.Outcome.fail(evidence + "; failed to start: " + errors.get(0));
                return running == n ? Check.Outcome.pass(evidence) : Check.Outcome.fail(evidence);
            } finally {
                load.stop();
                pool.shutdownNow();
                ids.forEach(engine::removeContainer);
            }
        });
    }

    /**
     * A throwaway data set (small and large files, a symlink, a hard link, modes) backed up into a
     * throwaway repository, restored, compared path by path, and re-read with every chunk re-hashed.
     * The operator's repository is not touched.
     */
    static Check backupRestore() {
        return new NamedCheck("backup-restore", "integration", "R11.2, R5.4", "backup, restore, identical data", c -> {
            Path work = Files.createTempDirectory("kiban-verify-backup");
            try {
                Path data = work.resolve("volume");
                Files.createDirectories(data.resolve("db/base"));
                java.util.Random random = new java.util.Random(11);
                byte[] big = new byte[6 << 20];
                random.nextBytes(big);
                Files.write(data.resolve("db/base/16384"), big);
                for (int i = 0; i < 200; i++) Files.writeString(data.resolve("db/row-" + i), "row " + i
                        + "\n".repeat(i));
                Files.setPosixFilePermissions(data.resolve("db"),
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                Files.createSymbolicLink(data.resolve("current"), Path.of("db/base"));
                Files.createLink(data.resolve("db/base/16384.link"), data.resolve("db/base/16384"));
                long start = System.nanoTime();
                try (BackupRepository repo = BackupRepository.open(work.resolve("repo"))) {
                    Snapshot snap = repo.backup(List.of(new BackupRepository.Source("volume:verify", data)));
                    repo.restore(repo.snapshot(snap.id()).trees().get(0), work.resolve("restored"));
                    List<String> diff = TreeListing.differences(TreeListing.of(data),
                            TreeListing.of(work.resolve("restored")), 3);
                    if (!diff.isEmpty()) return Check.Outcome.fail("the restored tree differs: "
                            + String.join("; ", diff));
                    List<String> problems = repo.verify(snap, true);
                    if (!problems.isEmpty()) return Check.Outcome.fail("verify --read-data: " + problems.get(0));
                    return Check.Outcome.pass(String.format(java.util.Locale.ROOT,
                            "%d files, %s: restored identical (content, modes, links), "
                            + "every chunk re-hashed, in %.1f s", snap.stats().files(),
                            dev.kiban.spec.ByteSize.ofBytes(snap.stats().bytesRead()),
                            (System.nanoTime() - start) / 1e9));
                }
            } finally {
                try (java.util.stream.Stream<Path> s = Files.walk(work)) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        });
    }

    /**
     * The monitoring agent itself (event stream, rules, outbox, a channel) pointed at a JSON receiver on
     * 127.0.0.1 that this check runs; a container that crashes must be reported there. The operator's
     * channels are not used ('kiban alert test' is for those).
     */
    static Check alertDelivery() {
        return new NamedCheck("alert-delivery", "integration", "R11.2, R6.3",
                "an induced fault produces a notification that arrives", c -> {
            Engine engine = engine(c);
            if (!engine.hasImage(c.toolImage())) return missing(c.toolImage(), "--tool-image");
            java.util.concurrent.CompletableFuture<Long> received = new java.util.concurrent.CompletableFuture<>();
            String victim = name("crash");
            com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            receiver.createContext("/", x -> {
                String body = new String(x.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (body.contains("container-down") && body.contains(victim)) received.complete(System.nanoTime());
                x.sendResponseHeaders(204, -1);
                x.close();
            });
            receiver.start();
            Path state = Files.createTempDirectory("kiban-verify-alert");
            var policy = new dev.kiban.monitor.AlertPolicy("container-down",
                    dev.kiban.spec.PlatformSpec.Metric.CONTAINER_DOWN, 0, 0, Duration.ZERO,
                    Duration.ofHours(4), 3, Duration.ofMinutes(10), List.of("webhook"));
            Engine own = dev.kiban.engine.DockerEngine.connect(engine.address());
            var channels = Map.<String, dev.kiban.monitor.Channel>of("webhook",
                    new dev.kiban.monitor.WebhookChannel("http://127.0.0.1:" + receiver.getAddress().getPort()
                            + "/kiban"));
            String id = null;
            try (var agent = new dev.kiban.monitor.MonitorAgent(own,
                    () -> dev.kiban.engine.DockerEngine.connect(engine.address()),
                    new dev.kiban.monitor.Collector(own, dev.kiban.monitor.CgroupFiles.system(),
                            dev.kiban.monitor.HostFacts.read(), List.of(), null, c.programs()),
                    List.of(policy), channels, new dev.kiban.monitor.MonitorState(state), "verify",
                    java.time.Clock.systemUTC(), new java.io.PrintWriter(java.io.Writer.nullWriter()))) {
                agent.start();
                id = engine.runContainer(new ContainerRequest(victim, c.toolImage(),
                        List.of("sh", "-c", "sleep 1; exit 3"), labels(), 16L << 20, 0, Optional.empty()));
                long started = System.nanoTime();
                try {
                    long at = received.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    return Check.Outcome.pass(String.format(java.util.Locale.ROOT,
                            "a container that exited 3 was reported through the event stream, "
                            + "the outbox and a webhook on 127.0.0.1 %.1f s after it started (it ran 1 s)",
                            (at - started) / 1e9));
                } catch (java.util.concurrent.TimeoutException e) {
                    return Check.Outcome.fail("no notification arrived within 30 s of the crash of " + victim);
                }
            } finally {
                receiver.stop(0);
                if (id != null) engine.removeContainer(id);
                try (java.util.stream.Stream<Path> s = Files.walk(state)) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        });
    }

    /** Checks never pull: an image the engine lacks is the operator's to provide. */
    private static Check.Outcome missing(String image, String option) {
        return Check.Outcome.fail("image " + image + " is not on this engine (kiban does not pull); give " + option);
    }

    private static Engine engine(CheckContext c) {
        return c.engine().get().orElseThrow(() -> new UnavailableException("no engine answers"));
    }

    private static Map<String, String> labels() {
        return Map.of(CheckContext.LABEL, "true", "dev.kiban.managed", "true");
    }

    private static String name(String what) {
        return "kiban-verify-" + what + "-" + Long.toHexString(System.nanoTime());
    }

    /** Samples host CPU (/proc/stat) and memory (/proc/meminfo) in the background and keeps the peaks. */
    static final class HostLoad {
        record Peak(double cpuPercent, long memoryUsed) {}

        private final Thread sampler;
        private volatile boolean running = true;
        private double peakCpu;
        private long peakMemory;

        private HostLoad() {
            sampler = new Thread(this::sample, "kiban-verify-load");
            sampler.setDaemon(true);
        }

        static HostLoad start() {
            HostLoad load = new HostLoad();
            load.sampler.start();
            return load;
        }

        private void sample() {
            long[] before = cpu();
            while (running) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
                long[] now = cpu();
                long total = now[0] - before[0];
                if (total > 0) peakCpu = Math.max(peakCpu, 100.0 * (total - (now[1] - before[1])) / total);
                before = now;
                peakMemory = Math.max(peakMemory, memoryUsed());
            }
        }

        synchronized Peak stop() {
            running = false;
            sampler.interrupt();
            return new Peak(peakCpu, peakMemory);
        }

        /** {total, idle+iowait} jiffies. */
        private static long[] cpu() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
                return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 0};
            }
        }

        private static long memoryUsed() {
            try {
                return MemInfo.read().usedBytes();
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }
    }
}
