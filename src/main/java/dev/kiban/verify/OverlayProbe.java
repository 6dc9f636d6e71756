package dev.kiban.verify;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineApiException;
import dev.kiban.engine.EngineNotFoundException;
import dev.kiban.engine.ExecResult;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.TaskSummary;
import dev.kiban.os.Wait;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * R11.2 across nodes: overlay traffic from this manager to every other Ready node. A throwaway attachable overlay
 * network {@code kiban-probe-<random>} and a global service of the probe image sleeping on it, both labelled
 * {@value CheckContext#LABEL} and removed whatever happens; once a task runs on every Ready, active node (at most
 * {@link #WAIT}), this node's task pings each other task's overlay address. The engine I/O is {@link #probe};
 * where the tasks are ({@link #placement}) and what the pings mean ({@link #verdict}) are pure.
 */
final class OverlayProbe {
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    private OverlayProbe() {}

    /** Another node's probe task: where it runs and its address on the probe network. */
    record Target(String hostname, String address) {}

    /**
     * Where the probe's tasks are: the container of this node's task, the other nodes' tasks to ping, and the
     * expected nodes that run none (each with the engine's reason when it gives one).
     */
    record Placement(Optional<String> localContainer, List<Target> targets, List<String> missing) {
        boolean complete() {
            return localContainer.isPresent() && missing.isEmpty();
        }
    }

    static Check check() {
        return check(WAIT);
    }

    static Check check(Duration wait) {
        return new NamedCheck("swarm-overlay", "integration", "R11.2, R8.3",
                "overlay traffic reaches every Swarm node", c -> probe(c, wait));
    }

    static Check.Outcome probe(CheckContext c, Duration wait) throws IOException {
        Optional<Check.Outcome> off = SwarmRole.needsManager(c);
        if (off.isPresent()) return off.get();
        Engine engine = c.engine().get().orElseThrow();
        List<NodeSummary> nodes = engine.nodes();
        if (nodes.size() < 2) return Check.Outcome.skip("a single node: no overlay path between nodes to probe");
        if (c.probeImage().isBlank()) {
            return Check.Outcome.skip("no probe image: give --probe-image IMAGE (sleep and ping, on every node)");
        }
        if (!engine.hasImage(c.probeImage())) {
            return Check.Outcome.fail("image " + c.probeImage()
                    + " is not on this engine (kiban does not pull); give --probe-image");
        }
        String here = engine.swarm().nodeId();
        List<NodeSummary> expected = nodes.stream().filter(OverlayProbe::takesTasks).toList();
        List<String> notProbed = nodes.stream().filter(n -> !takesTasks(n))
                .map(n -> n.hostname() + " (" + n.state() + ", " + n.availability() + ")").toList();
        String hostname = nodes.stream().filter(n -> n.id().equals(here)).map(NodeSummary::hostname).findFirst()
                .orElse("this node");
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        String name = "kiban-probe-" + HexFormat.of().formatHex(random);
        Map<String, String> labels = Map.of(CheckContext.LABEL, "true", "dev.kiban.managed", "true");
        String service = null;
        boolean network = false;
        Check.Outcome outcome = null;
        try {
            engine.createOverlayNetwork(name, labels);
            network = true;
            service = engine.createGlobalService(name, c.probeImage(), List.of("sleep", "600"), name, labels);
            String id = service;
            Placement placed;
            try {
                placed = Wait.until(() -> Optional.of(placement(expected, engine.tasks(id), name, here))
                        .filter(Placement::complete), wait, Duration.ofMillis(500), "a probe task on every node");
            } catch (Wait.TimedOut e) {
                placed = placement(expected, engine.tasks(id), name, here);
            }
            Map<Target, ExecResult> pings = new LinkedHashMap<>();
            if (placed.localContainer().isPresent()) {
                for (Target t : placed.targets()) pings.put(t, ping(engine, placed.localContainer().get(), t));
            }
            outcome = verdict(hostname, placed, pings, notProbed);
        } finally {
            String left = remove(engine, service, network ? name : null);
            if (!left.isEmpty() && outcome != null) {
                outcome = Check.Outcome.fail(outcome.evidence() + "; " + left);
            }
        }
        return outcome;
    }

    /** A node the orchestrator gives a global service's task to: ready and active (not paused, not drained). */
    static boolean takesTasks(NodeSummary n) {
        return "ready".equals(n.state()) && "active".equals(n.availability());
    }

    private static ExecResult ping(Engine engine, String container, Target t) {
        try {
            return engine.exec(container, List.of("ping", "-c1", "-W2", t.address()));
        } catch (EngineApiException e) {
            return new ExecResult(-1, e.getMessage());
        }
    }

    /** Removes the service, then the network (the engine refuses that while the tasks are still leaving). */
    private static String remove(Engine engine, String service, String network) {
        List<String> left = new ArrayList<>();
        if (service != null) {
            try {
                engine.removeService(service);
            } catch (EngineNotFoundException e) {
                // already gone
            } catch (RuntimeException e) {
                left.add("service " + service + " not removed: " + e.getMessage());
            }
        }
        if (network != null) {
            String[] last = {""};
            try {
                Wait.until(() -> {
                    try {
                        engine.removeNetwork(network);
                        return true;
                    } catch (EngineNotFoundException e) {
                        return true;
                    } catch (EngineApiException e) {
                        last[0] = e.getMessage();
                        return false;
                    }
                }, Duration.ofSeconds(30), "the probe network to be removed");
            } catch (IOException e) {
                left.add("network " + network + " not removed: " + last[0]);
            }
        }
        return String.join("; ", left);
    }

    /**
     * Where the probe service's tasks are on {@code expected} nodes: a node counts when its newest running task
     * has an address on {@code network}; this node's ({@code here}) gives the container to ping from.
     */
    static Placement placement(List<NodeSummary> expected, List<TaskSummary> tasks, String network, String here) {
        Optional<String> local = Optional.empty();
        List<Target> targets = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (NodeSummary node : expected) {
            List<TaskSummary> mine = tasks.stream().filter(t -> t.nodeId().equals(node.id())).toList();
            Optional<TaskSummary> running = mine.stream().filter(TaskSummary::running)
                    .filter(t -> t.address(network).isPresent()).findFirst();
            if (running.isEmpty()) {
                missing.add(node.hostname() + " runs no probe task (" + (mine.isEmpty() ? "none given yet"
                        : mine.get(0).state() + (mine.get(0).error().isEmpty() ? "" : ": " + mine.get(0).error()))
                        + ")");
            } else if (node.id().equals(here)) {
                if (!running.get().containerId().isEmpty()) local = Optional.of(running.get().containerId());
            } else {
                targets.add(new Target(node.hostname(), running.get().address(network).orElseThrow()));
            }
        }
        return new Placement(local, targets, missing);
    }

    /** Every expected node ran a task and answered this node's ping; otherwise the node pairs that failed. */
    static Check.Outcome verdict(String here, Placement placed, Map<Target, ExecResult> pings,
                                 List<String> notProbed) {
        String skipped = notProbed.isEmpty() ? "" : "; not probed: " + String.join(", ", notProbed);
        if (placed.localContainer().isEmpty()) {
            return Check.Outcome.fail("no probe task with a container on this node (" + here + ") to ping from"
                    + (placed.missing().isEmpty() ? "" : ": " + String.join("; ", placed.missing())) + skipped);
        }
        List<String> failed = new ArrayList<>(placed.missing());
        List<String> reached = new ArrayList<>();
        pings.forEach((t, r) -> {
            if (r.exitCode() == 0) {
                reached.add(t.hostname());
            } else {
                failed.add(here + " -> " + t.hostname() + " (" + t.address() + "): " + gist(r));
            }
        });
        if (failed.isEmpty()) {
            return Check.Outcome.pass(here + " reached " + String.join(", ", reached) + " over the overlay network"
                    + skipped);
        }
        return Check.Outcome.fail(failed.size() + " failed: " + String.join("; ", failed)
                + (reached.isEmpty() ? "" : "; reached " + String.join(", ", reached)) + skipped);
    }

    /** The line of ping's output that says the most: its loss, else its last line; the exit code without one. */
    static String gist(ExecResult r) {
        List<String> lines = r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String line = lines.stream().filter(l -> l.contains("packet loss")).findFirst()
                .orElse(lines.isEmpty() ? "exit " + r.exitCode() : lines.get(lines.size() - 1));
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
