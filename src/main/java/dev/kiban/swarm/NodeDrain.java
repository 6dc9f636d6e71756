package dev.kiban.swarm;

import dev.kiban.engine.NodeChange;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.ServiceReplicas;
import dev.kiban.engine.Swarm;
import dev.kiban.engine.TaskSummary;
import dev.kiban.failure.RefusedException;
import dev.kiban.failure.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code kiban node drain|activate}: sets a node's availability and, for a drain, waits until its tasks run
 * elsewhere, or says why they could not (the engine's reason for each task left pending).
 */
public final class NodeDrain {
    private static final Duration PAUSE = Duration.ofMillis(500);

    private final Swarm swarm;
    private final PrintWriter out;

    public NodeDrain(Swarm swarm, PrintWriter out) {
        this.swarm = swarm;
        this.out = out;
    }

    /** The node of that name or id, or a usage error listing the nodes there are. */
    public NodeSummary node(String nameOrId) {
        List<NodeSummary> nodes = swarm.nodes();
        return ClusterNodes.find(nodes, nameOrId).orElseThrow(() -> new UsageException("no node "
                + dev.kiban.spec.SpecText.shown(nameOrId) + " in the swarm; nodes: "
                + String.join(", ", nodes.stream().map(NodeSummary::hostname).toList())));
    }

    /** Drains the node and waits up to {@code timeout} for its tasks to run elsewhere; the time it took. */
    public Duration drain(String nameOrId, Duration timeout) throws IOException {
        long start = System.nanoTime();
        NodeSummary node = node(nameOrId);
        Set<String> moving = new LinkedHashSet<>();
        swarm.nodeTasks(node.id()).stream().filter(TaskSummary::running).forEach(t -> moving.add(t.serviceId()));
        if (!"drain".equals(node.availability())) {
            swarm.updateNode(node, new NodeChange(node.role(), "drain", node.labels()));
        }
        out.println("draining " + node.hostname() + ": " + moving.size() + " service(s) had tasks on it");
        out.flush();
        long deadline = start + timeout.toNanos();
        List<String> short_ = List.of();
        while (true) {
            boolean left = swarm.nodeTasks(node.id()).stream().anyMatch(t -> "running".equals(t.state()));
            short_ = shortServices(moving);
            if (!left && short_.isEmpty()) break;
            if (System.nanoTime() > deadline) {
                List<String> why = new ArrayList<>(short_);
                if (left) why.add(0, "tasks still run on " + node.hostname());
                throw new RefusedException(node.hostname() + " is drained, but after " + seconds(timeout)
                        + " not every task runs elsewhere ('kiban node activate " + node.hostname()
                        + "' undoes the drain):", why);
            }
            sleep();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        out.println(node.hostname() + " drained in " + seconds(took) + "; its tasks run on other nodes");
        return took;
    }

    /**
     * Why {@code --self} (the engine-update window) drains nothing on this host, if so: outside a swarm, or as its
     * only node, there is nowhere to move the containers, which restart with the engine (live-restore is off under
     * Swarm, D1) in the spec's window; a worker cannot set its own availability (that is a manager's API), and the
     * managers place its tasks elsewhere while its engine is down.
     */
    public static java.util.Optional<String> nothingToDrain(dev.kiban.engine.EngineInfo.SwarmState s) {
        if (!s.active()) {
            return java.util.Optional.of("this host is not in a swarm: nothing to drain; its containers restart with "
                    + "the engine, in the maintenance window");
        }
        if (s.nodes() <= 1) {
            return java.util.Optional.of("this host is the swarm's only node: nothing to drain to; its containers "
                    + "and tasks restart with the engine (live-restore is off under Swarm, D1), in the maintenance "
                    + "window");
        }
        if (!s.manager()) {
            return java.util.Optional.of("this host is a worker, which cannot drain itself (a node's availability "
                    + "is a manager's API): its tasks stop with the engine and the managers place them elsewhere "
                    + "while it is down; 'kiban node drain HOST' on a manager before the window moves them first");
        }
        return java.util.Optional.empty();
    }

    /** Drains this host's node ({@link #nothingToDrain} said there is something to drain). */
    public Duration drainSelf(Duration timeout) throws IOException {
        return drain(swarm.swarm().nodeId(), timeout);
    }

    /** Sets this host's node active again, or says why there is nothing to set (as {@link #nothingToDrain}). */
    public void activateSelf(dev.kiban.engine.EngineInfo.SwarmState s) {
        if (!s.active() || s.nodes() <= 1) {
            out.println(s.active() ? "this host is the swarm's only node: nothing to activate"
                    : "this host is not in a swarm: nothing to activate");
        } else if (!s.manager()) {
            out.println("this host is a worker, which cannot set its own availability: if a manager drained it, "
                    + "'kiban node activate HOST' there");
        } else {
            activate(swarm.swarm().nodeId());
        }
        out.flush();
    }

    /** Sets the node active again. Swarm does not move running tasks back by itself; the note says how. */
    public void activate(String nameOrId) {
        NodeSummary node = node(nameOrId);
        if (!"active".equals(node.availability())) {
            swarm.updateNode(node, new NodeChange(node.role(), "active", node.labels()));
        }
        out.println(node.hostname() + " is active: new tasks may be placed on it (running tasks stay where they "
                + "are; 'docker service update --force SERVICE' spreads one again)");
    }

    /** The services among {@code ids} with fewer tasks running than desired, each with the engine's reason. */
    private List<String> shortServices(Set<String> ids) {
        List<String> out = new ArrayList<>();
        for (ServiceReplicas s : swarm.serviceReplicas()) {
            if (!ids.contains(s.id()) || s.running() >= s.desired()) continue;
            String reason = swarm.tasks(s.id()).stream().filter(t -> "running".equals(t.desiredState()))
                    .filter(t -> !t.running()).map(t -> t.state() + (t.error().isEmpty() ? "" : ": " + t.error()))
                    .findFirst().orElse("no task yet");
            out.add(s.name() + ": " + s.running() + " of " + s.desired() + " running (" + reason + ")");
        }
        return out;
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while draining");
        }
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
