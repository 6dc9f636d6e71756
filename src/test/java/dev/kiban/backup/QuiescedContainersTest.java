package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.EngineNotFoundException;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.testing.FakeEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Stopping a volume's writers around its copy, over an in-memory engine. */
class QuiescedContainersTest {
    private static final BackupRepository.Source DATA = new BackupRepository.Source("volume:data",
            Path.of("/var/lib/docker/volumes/data/_data"));
    private static final List<ContainerSummary.Mount> MOUNTS_DATA =
            List.of(new ContainerSummary.Mount("volume", "data", "/var/lib/docker/volumes/data/_data", "/data"));
    private final FakeEngine engine = new FakeEngine();

    private boolean running(String id) {
        return engine.inspectContainer(id).running();
    }

    @Test
    void stopsTheLabelledWritersForTheCopyAndStartsThemAfter() throws IOException {
        String db = engine.addContainer("db", "running", Map.of(QuiescedContainers.STOP, "true"), MOUNTS_DATA);
        String reader = engine.addContainer("reader", "running", Map.of(), MOUNTS_DATA);
        String other = engine.addContainer("other", "running", Map.of(QuiescedContainers.STOP, "true"), List.of());
        QuiescedContainers q = new QuiescedContainers(engine, Set.of());

        q.before(DATA);
        assertThat(running(db)).isFalse();
        assertThat(running(reader)).isTrue();
        assertThat(running(other)).isTrue();

        q.after(DATA);
        assertThat(running(db)).isTrue();
        assertThat(q.notes()).singleElement().asString().startsWith("db: stopped for")
                .endsWith("while volume:data was copied");
    }

    @Test
    void aContainerNamedToStopIsStoppedWithoutTheLabel() throws IOException {
        String db = engine.addContainer("db", "running", Map.of(), MOUNTS_DATA);
        QuiescedContainers q = new QuiescedContainers(engine, Set.of("db"));
        q.before(DATA);
        assertThat(running(db)).isFalse();
        q.after(DATA);
        assertThat(running(db)).isTrue();
    }

    @Test
    void runsThePreAndPostHooksInsideTheContainer() throws IOException {
        String db = engine.addContainer("db", "running", Map.of(QuiescedContainers.PRE, "echo dump",
                QuiescedContainers.POST, "echo done"),
                MOUNTS_DATA);
        QuiescedContainers q = new QuiescedContainers(engine, Set.of());
        q.before(DATA);
        q.after(DATA);
        assertThat(engine.execs()).containsExactly(db + ": sh -c echo dump", db + ": sh -c echo done");
        assertThat(q.notes()).containsExactly("db: ran kiban.backup.pre before copying volume:data",
                "db: ran kiban.backup.post");
    }

    @Test
    void aFailingPreHookFailsTheVolumesBackup() {
        engine.addContainer("db", "running", Map.of(QuiescedContainers.PRE, "echo no database; exit 2"), MOUNTS_DATA);
        assertThatThrownBy(() -> new QuiescedContainers(engine, Set.of()).before(DATA)).isInstanceOf(IOException.class)
                .hasMessage("the pre-backup command of db (kiban.backup.pre) failed with exit 2: no database");
    }

    @Test
    void aRestoreRunsNoHooks() throws IOException {
        engine.addContainer("db", "running", Map.of(QuiescedContainers.PRE, "echo dump", QuiescedContainers.STOP,
                "true"), MOUNTS_DATA);
        QuiescedContainers q = new QuiescedContainers(engine, Set.of(), false);
        q.before(DATA);
        q.after(DATA);
        assertThat(engine.execs()).isEmpty();
    }

    @Test
    void aServiceTaskIsStoppedByScalingItsServiceToZeroAndBack() throws IOException {
        engine.asManager(List.of("10.0.0.0/8"), 24);
        String app = engine.addService("app", 2, Map.of());
        String task = engine.addContainer("app.1", "running", Map.of("com.docker.swarm.service.id", app,
                QuiescedContainers.STOP, "true"),
                MOUNTS_DATA);
        QuiescedContainers q = new QuiescedContainers(engine, Set.of());

        q.before(DATA);
        assertThat(engine.services(Map.of()).get(0).replicas()).isZero();
        assertThat(running(task)).isFalse();

        q.after(DATA);
        assertThat(engine.services(Map.of()).get(0).replicas()).isEqualTo(2);
        assertThat(q.notes()).singleElement().asString().startsWith("app.1: service scaled to 0 for");
    }

    @Test
    void aTaskContainerTheSwarmRemovedCountsAsStopped() throws IOException {
        engine.asManager(List.of("10.0.0.0/8"), 24);
        String app = engine.addService("app", 1, Map.of());
        String task = engine.addContainer("app.1", "running", Map.of("com.docker.swarm.service.id", app,
                QuiescedContainers.STOP, "true"),
                MOUNTS_DATA);
        engine.failOn(task, new EngineNotFoundException("No such container: " + task));

        new QuiescedContainers(engine, Set.of()).before(DATA); // returns: the copy may go on
    }

    @Test
    void aLostEngineWhileWaitingForTheStopIsNoReasonToCopy() {
        engine.asManager(List.of("10.0.0.0/8"), 24);
        String app = engine.addService("app", 1, Map.of());
        String task = engine.addContainer("app.1", "running", Map.of("com.docker.swarm.service.id", app,
                QuiescedContainers.STOP, "true"),
                MOUNTS_DATA);
        engine.failOn(task, new EngineUnavailableException("no Docker engine answers"));

        assertThatThrownBy(() -> new QuiescedContainers(engine, Set.of()).before(DATA))
                .isInstanceOf(EngineUnavailableException.class);
    }
}
