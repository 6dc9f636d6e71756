package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ContainerCounters;
import dev.kiban.engine.EngineApiException;
import dev.kiban.engine.EngineNotFoundException;
import dev.kiban.engine.ServiceReplicas;
import dev.kiban.engine.Swarm;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.FakePrograms;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector over an in-memory engine; no cgroup files (an empty root), so counters come from the engine. */
class CollectorTest {
    private static final HostFacts HOST = new HostFacts(4, 8L << 30);
    @TempDir
    Path cgroupRoot;
    private final FakeEngine engine = new FakeEngine();
    private Collector collector;

    private Collector collector(Swarm swarm) {
        collector = new Collector(engine, swarm, new CgroupFiles(cgroupRoot), HOST, List.of(), null,
                FakePrograms.none());
        return collector;
    }

    @AfterEach
    void close() {
        if (collector != null) collector.close();
    }

    @Test
    void samplesEveryContainerAndTakesCountersFromTheEngineWhenNoCgroupFilesAreHere() {
        String web = engine.addContainer("web", "running", Map.of("com.docker.compose.service", "web"), List.of());
        engine.addContainer("job", "exited", Map.of(), List.of());
        engine.setCounters(web, new ContainerCounters(1_000_000, 300L << 20, 100L << 20, 1L << 30, 0));
        engine.setRestarts(web, 2, false);

        Sweep s = collector(engine).sweep(false);

        assertThat(s.counterSource()).isEqualTo("engine");
        assertThat(s.failures()).isEmpty();
        assertThat(s.containers()).extracting(Sweep.ContainerSample::name).containsExactlyInAnyOrder("web", "job");
        Sweep.ContainerSample w = s.containers().stream().filter(c -> c.name().equals("web")).findFirst().orElseThrow();
        assertThat(w.service()).isEqualTo("web");
        assertThat(w.workingSet()).isEqualTo(200L << 20);
        assertThat(w.memoryLimit()).isEqualTo(1L << 30);
        assertThat(w.restartCount()).isEqualTo(2);
        assertThat(w.cpuPercentOfHost()).isNaN(); // a rate needs a second sweep
    }

    @Test
    void theSecondSweepGivesACpuRate() throws Exception {
        String web = engine.addContainer("web", "running", Map.of(), List.of());
        engine.setCounters(web, new ContainerCounters(0, 1 << 20, 0, 0, 0));
        Collector c = collector(engine);
        c.sweep(false);
        Thread.sleep(20);
        engine.setCounters(web, new ContainerCounters(10_000_000, 1 << 20, 0, 0, 0));
        assertThat(c.sweep(false).containers().get(0).cpuPercentOfHost()).isPositive().isFinite();
    }

    @Test
    void aContainerRemovedMidSweepIsSimplyNotInIt() {
        engine.addContainer("web", "running", Map.of(), List.of());
        engine.addContainer("gone", "running", Map.of(), List.of());
        engine.failOn("gone", new EngineNotFoundException("No such container: gone"));

        Sweep s = collector(engine).sweep(false);

        assertThat(s.containers()).extracting(Sweep.ContainerSample::name).containsExactly("web");
        assertThat(s.failures()).isEmpty();
    }

    @Test
    void aFailedSampleIsReportedNotSilentlyDropped() {
        engine.addContainer("web", "running", Map.of(), List.of());
        engine.addContainer("db", "running", Map.of(), List.of());
        engine.failOn("db", new EngineApiException(500, "the engine's stats broke"));

        Sweep s = collector(engine).sweep(false);

        assertThat(s.containers()).extracting(Sweep.ContainerSample::name).containsExactly("web");
        assertThat(s.failures()).containsExactly("db: the engine's stats broke");
    }

    @Test
    void aManagerListsItsServicesWithRunningAndDesiredCounts() {
        engine.asManager(List.of("10.0.0.0/8"), 24);
        String api = engine.addService("api", 2, Map.of());
        engine.addContainer("api.1", "running", Map.of("com.docker.swarm.service.id", api), List.of());

        assertThat(collector(engine).sweep(false).services()).containsExactly(new ServiceReplicas(api, "api", 1, 2));
    }

    @Test
    void offASwarmManagerTheServicesAreNotAskedForAgain() {
        Collector c = collector(engine);
        Sweep first = c.sweep(false);
        assertThat(first.services()).isEmpty();
        assertThat(first.failures()).isEmpty(); // no manager is no failure

        engine.asManager(List.of("10.0.0.0/8"), 24);
        engine.addService("api", 1, Map.of());
        assertThat(c.sweep(false).services()).isEmpty();
    }

    @Test
    void anyOtherServiceListingFailureIsReportedAndAskedAgainNextTime() {
        engine.asManager(List.of("10.0.0.0/8"), 24);
        engine.addService("api", 1, Map.of());
        boolean[] broken = {true};
        Swarm flaky = (Swarm) Proxy.newProxyInstance(Swarm.class.getClassLoader(), new Class<?>[] {Swarm.class}, (p,
                m, args) -> {
            if (m.getName().equals("serviceReplicas") && broken[0]) throw new EngineApiException(500, "raft is busy");
            try {
                return m.invoke(engine, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        Collector c = collector(flaky);

        assertThat(c.sweep(false).failures()).containsExactly("services: raft is busy");
        broken[0] = false;
        assertThat(c.sweep(false).services()).extracting(ServiceReplicas::name).containsExactly("api");
    }

    @Test
    void aJournalThatCannotBeReadIsASweepFailureNotAQuietJournal() {
        var programs = FakePrograms.answering(List.of("journalctl"), 1, "Failed to open journal: Permission denied\n");
        collector = new Collector(engine, new CgroupFiles(cgroupRoot), HOST, List.of(), null, programs);
        Sweep s = collector.sweep(true);
        assertThat(s.journalErrors()).isEmpty();
        assertThat(s.failures())
                .containsExactly("journal: journalctl exited 1: Failed to open journal: Permission denied");
    }
}
