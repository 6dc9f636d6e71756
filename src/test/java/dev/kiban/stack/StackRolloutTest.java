package dev.kiban.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.TaskSummary;
import dev.kiban.testing.FakeEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Following a rollout: an update counts as done only when the engine says so, and a rollback is a failure. */
class StackRolloutTest {
    static final Map<String, String> WEB = Map.of(StackRollout.NAMESPACE_LABEL, "web");
    static final String ROLLED_BACK = "rollback completed: update rolled back due to failure or early termination of "
            + "task 4x2k9 (new task)";

    final FakeEngine engine = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
    final StringWriter printed = new StringWriter();

    String service(int replicas) {
        return engine.addService(new ServiceSummary("svc1", "web_app", "app:2.0", false, replicas, WEB));
    }

    TaskSummary task(String id, int slot, String desired, String state, String error, String at) {
        return new TaskSummary(id, "svc1", slot, desired, state, error, at, "c-" + id);
    }

    StackRollout.Outcome follow() {
        return StackRollout.follow(engine, "web", Duration.ofSeconds(3), new PrintWriter(printed));
    }

    @Test
    void anUpdateTheEngineRolledBackFailsWithItsReasonAndTheTasksError() {
        String id = service(1);
        // the old task runs again; the new one failed to start
        engine.addTask(task("t1", 1, "running", "running", "", "2026-12-05T10:00:00Z"));
        engine.addTask(task("t2", 1, "shutdown", "failed", "task: non-zero exit (1)", "2026-12-05T10:01:00Z"));
        engine.setUpdateStatus(id, new ServiceSummary.Update("rollback_completed", ROLLED_BACK));

        StackRollout.Outcome outcome = follow();

        assertThat(outcome.converged()).isFalse();
        assertThat(outcome.reason()).isEqualTo("web_app rolled back: " + ROLLED_BACK
                + "; failed task: task: non-zero exit (1)");
        assertThat(printed.toString()).contains("web_app 1/1 running, update rollback completed (" + ROLLED_BACK
                + "), 1 failed: task: non-zero exit (1)");
    }

    @Test
    void aRollbackLeftFromAnEarlierDeployIsNotThisDeploysFailure() {
        String id = service(1);
        engine.addTask(task("t1", 1, "running", "running", "", "2026-12-05T10:00:00Z"));
        var earlier = new ServiceSummary.Update("rollback_completed", ROLLED_BACK, "2026-12-05T09:00:00Z");
        engine.setUpdateStatus(id, earlier);
        var before = StackRollout.updatesBefore(engine, "web");
        assertThat(before).containsEntry("web_app", earlier);

        // an unchanged redeploy: the engine starts no update and still reports the old rollback
        StackRollout.Outcome unchanged = StackRollout.follow(engine, "web", Duration.ofSeconds(3),
                new PrintWriter(printed), before);
        assertThat(unchanged.converged()).as(unchanged.reason()).isTrue();

        // a new update that the engine rolls back again has a new start: that is this deploy's failure
        engine.setUpdateStatus(id, new ServiceSummary.Update("rollback_completed", ROLLED_BACK,
                "2026-12-05T11:00:00Z"));
        StackRollout.Outcome again = StackRollout.follow(engine, "web", Duration.ofSeconds(3),
                new PrintWriter(printed), before);
        assertThat(again.converged()).isFalse();
        assertThat(again.reason()).startsWith("web_app rolled back: " + ROLLED_BACK);
    }

    @Test
    void aPausedUpdateFailsRatherThanWaitingOutTheTimeout() {
        String id = service(2);
        engine.addTask(task("t1", 1, "running", "running", "", "2026-12-05T10:00:00Z"));
        engine.addTask(task("t2", 2, "running", "running", "", "2026-12-05T10:00:00Z"));
        engine.setUpdateStatus(id, new ServiceSummary.Update("paused", "update paused due to failure or early "
                + "termination of task 9x"));

        assertThat(follow().reason()).isEqualTo("web_app update paused: update paused due to failure or early "
                + "termination of task 9x");
    }

    @Test
    void anUpdateUnderWayIsNotConvergedWhileOldTasksStillRun() {
        String id = service(2);
        engine.addTask(task("t1", 1, "running", "running", "", "2026-12-05T10:00:00Z"));
        engine.addTask(task("t2", 2, "running", "running", "", "2026-12-05T10:00:00Z"));
        engine.setUpdateStatus(id, new ServiceSummary.Update("updating", "update in progress"));

        StackRollout.Outcome outcome = follow();

        assertThat(outcome.converged()).isFalse();
        assertThat(outcome.reason()).isEqualTo("not converged within 3 s");
    }

    @Test
    void aCompletedUpdateConverges() {
        String id = service(1);
        engine.addTask(task("t1", 1, "running", "running", "", "2026-12-05T10:00:00Z"));
        engine.setUpdateStatus(id, new ServiceSummary.Update("completed", "update completed"));

        StackRollout.Outcome outcome = follow();

        assertThat(outcome.converged()).isTrue();
        assertThat(printed.toString()).contains("web_app 1/1 running").doesNotContain("update");
    }

    @Test
    void assessCarriesTheUpdateStatus() {
        ServiceSummary s = new ServiceSummary("svc1", "web_app", "app:2.0", false, 1, WEB)
                .withUpdate(new ServiceSummary.Update("rollback_started", "rolling back"));
        StackRollout.Progress p = StackRollout.assess(List.of(s), Map.of("svc1", List.of(
                task("t1", 1, "running", "running", "", "x"))), 1).get(0);
        assertThat(p.converged()).isFalse();
        assertThat(p.givenUp()).isFalse();
        assertThat(p.toString()).isEqualTo("web_app 1/1 running, update rollback started (rolling back)");
    }
}
