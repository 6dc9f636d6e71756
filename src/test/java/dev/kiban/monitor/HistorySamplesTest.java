package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ContainerCounters;
import dev.kiban.os.MemInfo;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.FakePrograms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistorySamplesTest {
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dir;

    static Sweep.ContainerSample container(String name, String service, String state, double cpu, long memory,
                                           long limit) {
        return new Sweep.ContainerSample("id-" + name, name, service, "img", state, "none", cpu, cpu / 2, 1, memory,
                limit, 0, 0, 0, 0, List.of());
    }

    @Test
    void aSweepBecomesTheHostsAndEachRunningContainersSamples() {
        Sweep s = new Sweep(T0, List.of(container("web", "", "running", 12, 100, 1000),
                container("stack_api.2.abcdefghijklmnopqrstuvwxy", "stack_api", "running", Double.NaN, 200, 0),
                container("stopped", "", "exited", 0, 0, 0), container("host", "", "running", 1, 2, 0),
                container("proj-web.1.abcdefghijklmnopqrstuvwxy", "web", "running", 1, 3, 0)),
                List.of(), List.of(new Sweep.FilesystemSample("/var/lib/docker", "/", 100, 40, 40),
                new Sweep.FilesystemSample("/srv", "/", 100, 40, 40),
                new Sweep.FilesystemSample("/mnt/backup", "/mnt/backup", 100, 2, 2)), 0, "cgroup",
                Optional.empty(), Map.of());
        List<HistorySample> out = HistorySamples.of(s, 25, Optional.of(new MemInfo(8000, 3000)));
        assertThat(out).containsExactly(new HistorySample("host", Metric.CPU_PERCENT, 25),
                new HistorySample("host", Metric.MEMORY_BYTES, 5000, 8000),
                new HistorySample("host", Metric.DISK_BYTES, 42), // each filesystem once
                new HistorySample("web", Metric.CPU_PERCENT, 12),
                new HistorySample("web", Metric.MEMORY_BYTES, 100, 1000),
                // a Swarm task by its slot; no CPU rate yet at its first sweep
                new HistorySample("stack_api.2", Metric.MEMORY_BYTES, 200),
                new HistorySample("host (container)", Metric.CPU_PERCENT, 1),
                new HistorySample("host (container)", Metric.MEMORY_BYTES, 2),
                new HistorySample("proj-web.1.abcdefghijklmnopqrstuvwxy", Metric.CPU_PERCENT, 1),
                new HistorySample("proj-web.1.abcdefghijklmnopqrstuvwxy", Metric.MEMORY_BYTES, 3));
        assertThat(HistorySamples.of(new Sweep(T0, List.of(), List.of(), List.of(), 0, "cgroup", Optional.empty(),
                Map.of()), Double.NaN, Optional.empty())).isEmpty();
    }

    @Test
    void aContainersDiskIsItsWritableLayerWhereTheSweepReadIt() {
        Sweep s = new Sweep(T0, List.of(container("web", "", "running", 12, 100, 0),
                container("stack_api.2.abcdefghijklmnopqrstuvwxy", "stack_api", "running", 1, 200, 0),
                container("new", "", "running", 1, 300, 0), container("stopped", "", "exited", 0, 0, 0)),
                List.of(), List.of(), 0, "cgroup", Optional.empty(), Map.of());
        // "new" started after the reading; a stopped container is not recorded at all
        Map<String, Long> layers = Map.of("id-web", 4096L, "id-stack_api.2.abcdefghijklmnopqrstuvwxy", 0L,
                "id-stopped", 7L);
        assertThat(HistorySamples.of(s, Double.NaN, Optional.empty(), layers))
                .filteredOn(x -> x.metric() == Metric.DISK_BYTES).containsExactly(
                        new HistorySample("web", Metric.DISK_BYTES, 4096),
                        new HistorySample("stack_api.2", Metric.DISK_BYTES, 0));
        assertThat(HistorySamples.of(s, Double.NaN, Optional.empty())).noneMatch(x -> x.metric() == Metric.DISK_BYTES);
    }

    /** A clock the test moves on. */
    static final class MovingClock extends Clock {
        Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Where {@link #recordingAgent} records. */
    Path history() throws java.io.IOException {
        return new MonitorState(dir.resolve("state")).dir().resolve("history");
    }

    /** An agent over the fake engine recording history at {@code interval}, the host's CPU read from dir/stat. */
    MonitorAgent recordingAgent(FakeEngine engine, Clock clock, StringWriter log, Duration interval,
            Supplier<Optional<MemInfo>> memory) throws Exception {
        Collector collector = new Collector(engine, new CgroupFiles(dir.resolve("cgroup")), new HostFacts(2, 8L << 30),
                List.of(), null, FakePrograms.none());
        Path stat = Files.writeString(dir.resolve("stat"), "cpu  100 0 100 700 100 0 0 0 0 0\n");
        MonitorAgent agent = new MonitorAgent(engine, () -> engine, collector, List.of(), Map.of(),
                new MonitorState(dir.resolve("state")), "ws1", clock, new PrintWriter(log));
        agent.recordHistory(MetricHistory.writer(history(), interval), new HostCpu(stat), memory);
        return agent;
    }

    @Test
    void theAgentReadsTheContainersDisksOncePerFiveMinutesNotAtEverySweep() throws Exception {
        FakeEngine engine = new FakeEngine();
        String web = engine.addContainer("web", "running", Map.of(), List.of());
        engine.setWritableLayer(web, 5L << 20);
        StringWriter log = new StringWriter();
        MovingClock clock = new MovingClock(T0.plusSeconds(10));
        Path history = history();
        try (MonitorAgent agent = recordingAgent(engine, clock, log, Duration.ofSeconds(30), Optional::empty)) {
            // 12 minutes of 30-second sweeps, from 10:00:10: the periods 10:00, 10:05 and 10:10 are read once each
            for (int i = 0; i < 24; i++) {
                agent.sweep();
                int reads = engine.writableLayerReads();
                assertThat(reads).as("reads after the sweep at %s", clock.now).isEqualTo(i < 10 ? 1 : i < 20 ? 2 : 3);
                clock.now = clock.now.plusSeconds(30);
            }
        }
        Instant now = Instant.now();
        List<HistoryPoint> disk = MetricHistory.reader(history).series("web", Metric.DISK_BYTES,
                now.minus(Duration.ofDays(2)), now.plusSeconds(1));
        assertThat(disk).isNotEmpty().allSatisfy(p -> assertThat(p.avg()).isEqualTo(5L << 20));
        assertThat(log.toString()).doesNotContain("not read").doesNotContain("history not recorded");
    }

    @Test
    void aFailedReadingOfTheDisksIsLoggedOnceAndTheSweepsAreStillRecorded() throws Exception {
        FakeEngine engine = new FakeEngine();
        engine.addContainer("web", "running", Map.of(), List.of());
        engine.failWritableLayers(new dev.kiban.engine.EngineApiException(500, "the engine is busy"));
        StringWriter log = new StringWriter();
        MovingClock clock = new MovingClock(T0);
        Path history = history();
        try (MonitorAgent agent = recordingAgent(engine, clock, log, Duration.ofSeconds(30), Optional::empty)) {
            for (int i = 0; i < 3; i++) {
                agent.sweep();
                clock.now = clock.now.plus(ContainerDisks.PERIOD);
            }
        }
        assertThat(engine.writableLayerReads()).isEqualTo(3);
        assertThat(log.toString().split("containers' disks not read: the engine is busy", -1)).hasSize(2);
        Instant now = Instant.now();
        assertThat(MetricHistory.reader(history).series("web", Metric.MEMORY_BYTES, now.minus(Duration.ofDays(2)),
                now.plusSeconds(1))).isNotEmpty();
    }

    @Test
    void theHostsCpuIsTheBusyShareOfAllCoresSinceTheLastReading() throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n");
        HostCpu cpu = new HostCpu(stat);
        assertThat(cpu.percent()).isNaN();
        Files.writeString(stat, "cpu  150 0 150 1000 200 0 0 0 0 0\ncpu0 1 2 3 4\n");
        assertThat(cpu.percent()).isEqualTo(20.0); // busy 100 of 500
        Files.writeString(stat, "garbage");
        assertThat(cpu.percent()).isNaN();
    }

    @Test
    void theAgentRecordsEverySweep() throws Exception {
        FakeEngine engine = new FakeEngine();
        String web = engine.addContainer("web", "running", Map.of(), List.of());
        engine.setCounters(web, new ContainerCounters(1_000_000, 300, 100, 1 << 20, 0));
        StringWriter log = new StringWriter();
        Path history = history();
        try (MonitorAgent agent = recordingAgent(engine, Clock.fixed(T0, ZoneOffset.UTC), log, Duration.ofSeconds(10),
                () -> Optional.of(new MemInfo(8L << 30, 6L << 30)))) {
            Files.writeString(dir.resolve("stat"), "cpu  150 0 150 1000 200 0 0 0 0 0\n");
            Sweep first = agent.sweep();
            engine.setCounters(web, new ContainerCounters(50_000_000, 300, 100, 1 << 20, 0));
            Thread.sleep(20);
            Sweep second = agent.sweep();
            MetricHistory.Reader r = MetricHistory.reader(history);
            assertThat(r.subjects()).containsExactly("host", "web");
            // both sweeps fall in one raw slot (the later wins); the 5-minute aggregates hold both
            Instant from = first.at().minus(Duration.ofDays(2));
            Instant to = second.at().plusSeconds(1);
            assertThat(r.series("host", Metric.CPU_PERCENT, from, to)).first()
                    .satisfies(p -> assertThat(p.avg()).isEqualTo(20.0));
            assertThat(r.series("host", Metric.MEMORY_BYTES, from, to)).first()
                    .satisfies(p -> assertThat(p.avg()).isEqualTo(2.0 * (1L << 30)));
            assertThat(r.series("web", Metric.MEMORY_BYTES, from, to)).last()
                    .satisfies(p -> assertThat(p.avg()).isEqualTo(200));
            assertThat(r.memoryLimit("web", from, to).getAsDouble()).isEqualTo(1 << 20);
            assertThat(r.series("web", Metric.CPU_PERCENT, from, to)).isNotEmpty(); // a rate at the second sweep
        }
        assertThat(log.toString()).doesNotContain("history not recorded");
    }
}
