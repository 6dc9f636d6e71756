package dev.kiban.stack;

import dev.kiban.engine.Engine;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.TaskSummary;
import dev.kiban.os.Wait;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Follows a stack until every service runs as many tasks as it wants, printing each change, or until
 * a service keeps failing or the time is up. A service fails when it has no running task and its
 * tasks have failed {@link #FAILURES_BEFORE_GIVING_UP} times: the engine would go on retrying a
 * missing image forever.
 *
 * <p>An update (a redeploy that changes a service) is followed by the engine's {@code UpdateStatus}: while
 * it is updating or rolling back the service has not converged, however many old tasks still run; when the
 * engine has rolled the update back ({@code failure_action: rollback}) or paused it ({@code pause}), the
 * rollout has failed, with the engine's reason and the failed tasks' errors.
 */
public final class StackRollout {
    public static final String NAMESPACE_LABEL = "com.docker.stack.namespace";
    static final int FAILURES_BEFORE_GIVING_UP = 3;

    private StackRollout() {}

    /** One service's progress. */
    public record Progress(String service, int running, int desired, int failures, Set<String> errors,
            ServiceSummary.Update update) {
        public Progress(String service, int running, int desired, int failures, Set<String> errors) {
            this(service, running, desired, failures, errors, ServiceSummary.Update.NONE);
        }

        public boolean converged() {
            if (update.underWay() || update.rolledBack() || update.paused()) return false;
            return running >= desired && desired > 0 || desired == 0;
        }

        public boolean givenUp() {
            return running == 0 && failures >= FAILURES_BEFORE_GIVING_UP || update.rolledBack() || update.paused();
        }

        /** Why this service failed, once it has given up: the engine's reason for a rollback, then the tasks'. */
        String failure() {
            String tasks = String.join("; ", errors);
            String engine = update.rolledBack() ? "rolled back: " : update.paused() ? "update paused: " : "";
            if (engine.isEmpty()) return tasks;
            engine += update.message().isEmpty() ? "the engine gave no reason" : update.message();
            return tasks.isEmpty() ? engine : engine + "; failed task: " + tasks;
        }

        @Override
        public String toString() {
            String state = update.state().isEmpty() || update.state().equals("completed") ? ""
                    : ", update " + update.state().replace('_', ' ')
                            + (update.message().isEmpty() ? "" : " (" + update.message() + ")");
            return service + " " + running + "/" + desired + " running" + state
                    + (failures > 0 ? ", " + failures + " failed: " + String.join("; ", errors) : "");
        }
    }

    public record Outcome(boolean converged, List<Progress> services, String reason) {}

    /** The progress of each service from what the engine lists; pure. */
    public static List<Progress> assess(List<ServiceSummary> services, Map<String, List<TaskSummary>> tasks,
            int nodes) {
        List<Progress> out = new ArrayList<>();
        for (ServiceSummary s : services) {
            List<TaskSummary> ts = tasks.getOrDefault(s.id(), List.of());
            int running = (int) ts.stream().filter(TaskSummary::running).count();
            List<TaskSummary> failed = ts.stream().filter(TaskSummary::failed).toList();
            Set<String> errors = new LinkedHashSet<>();
            failed.forEach(t -> errors.add(t.error().isEmpty() ? t.state() : t.error()));
            out.add(new Progress(s.name(), running, s.global() ? nodes : s.replicas(), failed.size(), errors,
                    s.update()));
        }
        return out;
    }

    public static Outcome follow(Engine engine, String stack, Duration timeout, PrintWriter out) {
        return follow(engine, stack, timeout, out, Map.of());
    }

    /**
     * The update each service of the stack reports now, by service name: read before a deploy, so that
     * {@link #follow} does not take a rollback left from an earlier deploy for this one's.
     */
    public static Map<String, ServiceSummary.Update> updatesBefore(Engine engine, String stack) {
        Map<String, ServiceSummary.Update> out = new LinkedHashMap<>();
        engine.services(Map.of(NAMESPACE_LABEL, stack)).forEach(s -> out.put(s.name(), s.update()));
        return out;
    }

    /** Follows the rollout; an update a service reported already before the deploy ({@code before}) is not this one. */
    public static Outcome follow(Engine engine, String stack, Duration timeout, PrintWriter out,
                                 Map<String, ServiceSummary.Update> before) {
        Map<String, String> lastSeen = new LinkedHashMap<>();
        List<List<Progress>> latest = new ArrayList<>(List.of(List.of()));
        int nodes = Math.max(1, engine.nodes().size());
        try {
            return Wait.until(() -> {
                List<ServiceSummary> services = engine.services(Map.of(NAMESPACE_LABEL, stack)).stream()
                        .map(s -> s.update().equals(before.get(s.name())) && !s.update().startedAt().isEmpty()
                                ? s.withUpdate(ServiceSummary.Update.NONE) : s).toList();
                Map<String, List<TaskSummary>> tasks = new LinkedHashMap<>();
                services.forEach(s -> tasks.put(s.id(), engine.tasks(s.id())));
                List<Progress> progress = assess(services, tasks, nodes);
                latest.set(0, progress);
                for (Progress p : progress) {
                    if (!p.toString().equals(lastSeen.get(p.service()))) {
                        out.println("  " + p);
                        out.flush();
                        lastSeen.put(p.service(), p.toString());
                    }
                }
                return verdict(services, progress);
            }, timeout, Duration.ofSeconds(1), "convergence");
        } catch (Wait.TimedOut e) {
            return new Outcome(false, latest.get(0), "not converged within " + timeout.toSeconds() + " s");
        } catch (java.io.InterruptedIOException e) {
            return new Outcome(false, latest.get(0), "interrupted");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // the looks above read the engine only, which throws unchecked
        }
    }

    /** The rollout's end once it is decided; empty while it is still under way. */
    private static Optional<Outcome> verdict(List<ServiceSummary> services, List<Progress> progress) {
        if (services.isEmpty()) return Optional.of(new Outcome(false, progress, "the stack has no services"));
        if (progress.stream().allMatch(Progress::converged)) return Optional.of(new Outcome(true, progress, ""));
        List<Progress> failed = progress.stream().filter(Progress::givenUp).toList();
        if (failed.isEmpty()) return Optional.empty();
        List<Progress> updates = failed.stream().filter(p -> p.update().rolledBack() || p.update().paused()).toList();
        if (!updates.isEmpty()) {
            return Optional.of(new Outcome(false, progress, String.join("; ", updates.stream()
                    .map(p -> p.service() + " " + p.failure()).toList())));
        }
        return Optional.of(new Outcome(false, progress, "gave up on "
                + String.join(", ", failed.stream().map(Progress::service).toList())
                + " after " + FAILURES_BEFORE_GIVING_UP + " failed tasks: "
                + String.join("; ", failed.stream().flatMap(p -> p.errors().stream()).distinct().toList())));
    }
}
