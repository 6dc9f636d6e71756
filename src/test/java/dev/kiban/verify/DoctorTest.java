package dev.kiban.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.engine.EngineNotFoundException;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.SwarmJoin;
import dev.kiban.engine.TaskSummary;
import dev.kiban.failure.RefusedException;
import dev.kiban.testing.FakeEngine;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine part of the doctor, over an in-memory engine and fixed host readings. */
class DoctorTest {
    private final FakeEngine engine = new FakeEngine();
    private final Doctor.HostReadings host = new Doctor.HostReadings() {
        @Override
        public Diagnosis.HostResources resources() {
            return new Diagnosis.HostResources(0.5, 4L << 30, 8L << 30, 40);
        }

        @Override
        public Optional<Integer> selinuxDenials() {
            return Optional.empty();
        }
    };

    private Diagnosis examine(String target) throws IOException {
        return Doctor.examine(engine, engine, target, host);
    }

    @Test
    void examinesAContainerByNameOffASwarm() throws IOException {
        String web = engine.addContainer("web", "running", Map.of(), List.of());
        engine.write(web, "ERROR: database unreachable");

        Diagnosis d = examine("web");

        assertThat(d.state().id()).isEqualTo(web);
        assertThat(d.taskErrors()).isEmpty();
        assertThat(d.logs()).contains("ERROR: database unreachable");
        assertThat(d.stats()).isPresent();
    }

    @Test
    void aServiceIsExaminedThroughItsNewestTaskWithAContainer() throws IOException {
        engine.asManager(List.of("10.0.0.0/8"), 24);
        String api = engine.addService("api", 1, Map.of());
        String task = engine.addContainer("api.1.abc", "exited", Map.of("com.docker.swarm.service.id", api), List.of());
        engine.addTask(new TaskSummary("t1", api, 1, "shutdown", "failed", "No such image: example/api:2",
                "2026-01-01T10:00:00Z", ""));
        engine.addTask(new TaskSummary("t2", api, 1, "running", "running", "", "2026-01-01T10:05:00Z", task));

        Diagnosis d = examine("api");

        assertThat(d.state().id()).isEqualTo(task);
        assertThat(d.stats()).isEmpty(); // not running
        assertThat(d.taskErrors()).containsExactly("No such image: example/api:2");
    }

    @Test
    void aServiceWhoseTasksNeverGotAContainerSaysWhyAsItsOwnFinding() {
        engine.asManager(List.of("10.0.0.0/8"), 24);
        String api = engine.addService("api", 1, Map.of());
        engine.addTask(new TaskSummary("t1", api, 1, "shutdown", "rejected", "No such image: example/api:2",
                "2026-01-01T10:00:00Z", ""));

        assertThatThrownBy(() -> examine("api")).isInstanceOf(RefusedException.class)
                .hasMessage("service api has no task with a container: No such image: example/api:2");
    }

    @Test
    void onAWorkerAServiceIsThisNodesContainerOfItSayingWhereItIs() throws IOException {
        engine.joinSwarm(new SwarmJoin("192.0.2.21", "0.0.0.0:2377", List.of("192.0.2.10:2377"), "SWMTKN-1-fake"));
        engine.addContainer("api.1.old", "exited", Map.of(Doctor.SERVICE_LABEL, "api"), List.of());
        String running = engine.addContainer("api.2.new", "running", Map.of(Doctor.SERVICE_LABEL, "api"), List.of());
        engine.addContainer("web.1.x", "running", Map.of(Doctor.SERVICE_LABEL, "web"), List.of());

        Diagnosis d = examine("api");

        assertThat(d.state().id()).isEqualTo(running);
        assertThat(d.notes()).containsExactly("on a worker: service api has 2 containers here (1 running), api.2.new "
                + "examined; its tasks on other nodes are seen from a manager (192.0.2.10:2377)");
    }

    @Test
    void onAWorkerAServiceWithNoContainerHereSendsTheOperatorToAManager() {
        engine.joinSwarm(new SwarmJoin("192.0.2.21", "0.0.0.0:2377", List.of("192.0.2.10:2377"), "SWMTKN-1-fake"));

        assertThatThrownBy(() -> examine("api")).isInstanceOf(RefusedException.class)
                .hasMessage("on a worker: no container of api on this node; a service's tasks are seen from a manager "
                        + "(192.0.2.10:2377): run 'kiban doctor api' there");
    }

    @Test
    void onAManagerPendingTasksGiveTheSchedulersReasonAndFailedOnesTheirNode() {
        engine.asManager(List.of("10.0.0.0/8"), 24);
        engine.addNode(new NodeSummary("w1", "worker-1", "worker", "active", "ready", "192.0.2.21", false));
        String api = engine.addService("api", 1, Map.of());
        engine.addTask(new TaskSummary("t1", api, 1, "shutdown", "failed", "No such image: example/api:2",
                "2026-01-01T10:00:00Z", "", "w1"));
        engine.addTask(new TaskSummary("t2", api, 1, "running", "pending",
                "no suitable node (scheduling constraints not satisfied on 3 nodes)", "2026-01-01T10:05:00Z", ""));

        assertThatThrownBy(() -> examine("api")).isInstanceOf(RefusedException.class)
                .hasMessage("service api has no task with a container: pending: no suitable node (scheduling "
                        + "constraints not satisfied on 3 nodes)");
        assertThat(Doctor.taskErrors(engine.tasks(api), Map.of("w1", "worker-1"))).containsExactly(
                "pending: no suitable node (scheduling constraints not satisfied on 3 nodes)",
                "No such image: example/api:2 (on worker-1)");
    }

    @Test
    void onAManagerAServiceRunningOnlyElsewhereNamesItsNodes() {
        engine.asManager(List.of("10.0.0.0/8"), 24);
        engine.addNode(new NodeSummary("w1", "worker-1", "worker", "active", "ready", "192.0.2.21", false));
        String api = engine.addService("api", 1, Map.of());
        engine.addTask(new TaskSummary("t1", api, 1, "running", "running", "", "2026-01-01T10:05:00Z", "remote-c",
                "w1"));

        assertThatThrownBy(() -> examine("api")).isInstanceOf(RefusedException.class)
                .hasMessage("service api runs no container on this node; its tasks run on worker-1: "
                        + "run 'kiban doctor api' there");
    }

    @Test
    void anUnknownTargetIsTheEnginesNotFound() {
        assertThatThrownBy(() -> examine("nothing")).isInstanceOf(EngineNotFoundException.class);
    }
}
