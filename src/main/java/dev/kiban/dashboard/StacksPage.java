package dev.kiban.dashboard;

import dev.kiban.engine.ContainerState;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Engine;
import dev.kiban.engine.ServiceReplicas;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.TaskSummary;
import dev.kiban.stack.StackRollout;
import dev.kiban.swarm.ClusterNodes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stacks and services: a Swarm service's replicas desired and running, its update's state (rolled back, paused)
 * and its recent failed tasks with the engine's reason; every container with its state, restarts, exit code and
 * whether the kernel killed it for memory. Labels are not shown (they may carry secrets); the stack is the compose
 * project or stack namespace.
 */
final class StacksPage {
    static final int MAX_INSPECTED = 300;
    static final int FAILED_TASKS = 5;

    private StacksPage() {}

    static String render(Sources sources) {
        StringBuilder b = new StringBuilder();
        try (Engine engine = sources.engines().get()) {
            boolean manager = engine.info().swarm().manager();
            b.append("<section id=\"services\"><h2>Swarm services</h2>");
            Map<String, ServiceSummary> summaries = new java.util.HashMap<>();
            if (manager) {
                List<List<String>> rows = new ArrayList<>();
                List<ServiceReplicas> services = engine.serviceReplicas().stream()
                        .sorted(Comparator.comparing(ServiceReplicas::name)).toList();
                engine.services(Map.of()).forEach(s -> summaries.put(s.id(), s));
                for (ServiceReplicas s : services) {
                    ServiceSummary summary = summaries.get(s.id());
                    ServiceSummary.Update update = summary == null || summary.update() == null
                            ? ServiceSummary.Update.NONE : summary.update();
                    String stack = summary == null ? stack(s.name())
                            : summary.labels().getOrDefault(StackRollout.NAMESPACE_LABEL, stack(s.name()));
                    List<TaskSummary> failed = engine.tasks(s.id()).stream().filter(TaskSummary::failed)
                            .limit(FAILED_TASKS).toList();
                    StringBuilder f = new StringBuilder();
                    for (TaskSummary t : failed) {
                        f.append("<div class=\"failure\">").append(Html.escape(t.timestamp() + " " + t.state() + ": "
                                + t.error())).append("</div>");
                    }
                    String state = update.rolledBack() ? "rolled back" : update.paused() ? "update paused"
                            : update.underWay() ? "updating" : s.running() >= s.desired() ? "converged" : "converging";
                    if (!update.message().isEmpty()) {
                        f.insert(0, "<div class=\"failure\">" + Html.escape(update.state() + ": " + update.message())
                                + "</div>");
                    }
                    rows.add(List.of(Html.escape(stack), Html.escape(s.name()),
                            "<span class=\"desired\">" + s.desired() + "</span>",
                            "<span class=\"running\">" + s.running() + "</span>",
                            Html.state(state, !state.equals("converged")), f.toString()));
                }
                b.append(Html.table(List.of("stack", "service", "desired", "running", "state", "recent failures"),
                        rows, "No Swarm service."));
            } else {
                b.append("<p class=\"none\">This engine is not a Swarm manager: no services to list.</p>");
            }
            b.append("</section>\n");
            if (manager) b.append(drift(sources, engine, List.copyOf(summaries.values())));

            b.append("<section id=\"containers\"><h2>Containers</h2>");
            List<ContainerSummary> all = engine.containers().stream()
                    .sorted(Comparator.comparing((ContainerSummary c) -> project(c)).thenComparing(
                            ContainerSummary::name)).toList();
            List<List<String>> rows = new ArrayList<>();
            int inspected = 0;
            for (ContainerSummary c : all) {
                String restarts = "";
                String exit = "";
                String oom = "";
                if (inspected++ < MAX_INSPECTED) {
                    try {
                        ContainerState s = engine.inspectContainer(c.id());
                        restarts = Integer.toString(s.restartCount());
                        exit = s.running() ? "" : Integer.toString(s.exitCode());
                        oom = s.oomKilled() ? Html.state("OOMKilled", true) : "";
                    } catch (RuntimeException e) {
                        restarts = "gone";
                    }
                }
                boolean bad = c.restarting() || c.health() == ContainerSummary.Health.UNHEALTHY || !oom.isEmpty()
                        || (!c.running() && !exit.isEmpty() && !exit.equals("0"));
                rows.add(List.of(Html.escape(project(c)), "<span class=\"name\">" + Html.escape(c.name()) + "</span>",
                        Html.escape(c.image()), Html.state(c.state(), bad), Html.escape(c.status()),
                        Html.escape(restarts), Html.escape(exit), oom));
            }
            b.append("<p class=\"counts\"><span id=\"container-count\">").append(all.size())
                    .append("</span> containers</p>");
            b.append(Html.table(List.of("stack", "container", "image", "state", "status", "restarts", "exit code",
                    "memory"), rows, "No container.")).append("</section>\n");
        } catch (RuntimeException e) {
            b.append(Html.errorBox("The engine did not answer", Pages.reason(e)));
        }
        return b.toString();
    }

    /**
     * Drift from the compose tree (per stack and service: {@link StackDrift}) and from the spec's swarm.nodes, as
     * {@code kiban swarm status} reports it ({@link ClusterNodes}).
     */
    static String drift(Sources sources, Engine engine, List<ServiceSummary> services) {
        StringBuilder b = new StringBuilder("<section id=\"drift\"><h2>Drift from the compose files and the spec</h2>");
        b.append("<p>Compose tree <code>").append(Html.escape(sources.composeTree().toString())).append("</code></p>");
        try {
            b.append(StackDrift.render(StackDrift.compare(StackDrift.read(sources.composeTree()), services)));
        } catch (IOException | RuntimeException e) {
            b.append(Html.errorBox("The compose tree could not be read", Pages.reason(e)));
        }
        List<String> nodes = new ArrayList<>();
        try {
            ClusterNodes.Plan plan = ClusterNodes.plan(sources.spec(), engine.nodes());
            nodes.addAll(plan.drift());
            plan.updates().forEach(u -> nodes.add(u.describe() + " (kiban swarm apply)"));
            nodes.addAll(plan.refusals());
        } catch (RuntimeException e) {
            return b.append(Html.errorBox("The nodes could not be listed", Pages.reason(e))).append("</section>\n")
                    .toString();
        }
        if (nodes.isEmpty()) {
            b.append("<p class=\"none\" id=\"spec-drift\">The nodes are as swarm.nodes says.</p>");
        } else {
            b.append("<ul id=\"spec-drift\">");
            nodes.forEach(n -> b.append("<li class=\"bad\">").append(Html.escape(n)).append("</li>"));
            b.append("</ul>");
        }
        return b.append("</section>\n").toString();
    }

    /** A service's stack: the part of its name before the first underscore, as docker stack deploy names them. */
    static String stack(String service) {
        int u = service.indexOf('_');
        return u > 0 ? service.substring(0, u) : "";
    }

    static Map<String, Integer> stacks(List<ServiceReplicas> services) {
        Map<String, Integer> out = new TreeMap<>();
        services.stream().filter(s -> !stack(s.name()).isEmpty()).forEach(s -> out.merge(stack(s.name()), 1,
                Integer::sum));
        return out;
    }

    private static String project(ContainerSummary c) {
        String p = c.labels().get("com.docker.compose.project");
        if (p == null) p = c.labels().get("com.docker.stack.namespace");
        return p == null ? "" : p;
    }
}
