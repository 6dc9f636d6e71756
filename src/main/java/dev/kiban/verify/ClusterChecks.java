package dev.kiban.verify;

import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.NotSwarmManagerException;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.swarm.ClusterNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * R11.1 for the Swarm as a cluster, asked of a manager (skipped on a worker, naming the managers): every node
 * ready, the managers' quorum, and the nodes as {@code swarm.nodes} lists them. The engine is asked once per
 * check ({@link #withNodes}); what the node list means is decided by pure functions the tests call directly.
 */
final class ClusterChecks {
    private ClusterChecks() {}

    static Check nodesReady() {
        return new NamedCheck("swarm-nodes-ready", "unit", "R11.1, R8.3", "every Swarm node ready",
                c -> withNodes(c, ClusterChecks::ready));
    }

    static Check quorum() {
        return new NamedCheck("swarm-quorum", "unit", "R11.1, R8.3", "the managers hold the Raft quorum",
                c -> withNodes(c, ClusterChecks::quorum));
    }

    static Check nodesAsSpec() {
        return new NamedCheck("swarm-nodes-as-spec", "unit", "R11.1, R8.3", "the Swarm's nodes as swarm.nodes says",
                c -> withNodes(c, nodes -> asSpec(c.spec().swarm().nodes(), nodes)));
    }

    /**
     * The node list, decided on; skipped off a manager. A manager that answers "no leader" has lost the
     * quorum: that is every cluster check's failure, in the engine's words.
     */
    private static Check.Outcome withNodes(CheckContext c, Function<List<NodeSummary>, Check.Outcome> decide) {
        Optional<Check.Outcome> off = SwarmRole.needsManager(c);
        if (off.isPresent()) return off.get();
        List<NodeSummary> nodes;
        try {
            nodes = c.engine().get().orElseThrow().nodes();
        } catch (NotSwarmManagerException e) {
            return Check.Outcome.fail("quorum lost: this manager lists no nodes: " + e.getMessage());
        }
        return decide.apply(nodes);
    }

    /** Every node ready, and every manager reachable by the others; names each that is not. */
    static Check.Outcome ready(List<NodeSummary> nodes) {
        List<String> not = nodes.stream().filter(n -> !n.healthy()).map(ClusterChecks::condition).toList();
        long managers = nodes.stream().filter(NodeSummary::manager).count();
        String counts = nodes.size() + " node" + (nodes.size() == 1 ? "" : "s") + " (" + managers + " manager"
                + (managers == 1 ? "" : "s") + ", " + (nodes.size() - managers) + " worker"
                + (nodes.size() - managers == 1 ? "" : "s") + ")";
        if (not.isEmpty()) return Check.Outcome.pass(counts + ", all ready");
        return Check.Outcome.fail(not.size() + " of " + counts + " not ready: " + String.join(", ", not));
    }

    /** "worker-2 (down)", "manager-3 (ready, unreachable)". */
    private static String condition(NodeSummary n) {
        return name(n) + " (" + n.state() + (n.manager() ? ", " + (n.reachability().isEmpty() ? "reachability unknown"
                : n.reachability()) : "") + ")";
    }

    private static String name(NodeSummary n) {
        return n.hostname().isEmpty() ? n.id() : n.hostname();
    }

    /**
     * Raft needs more than half of the managers reachable; the failures it tolerates are the reachable ones beyond
     * that ({@link ClusterNodes.Quorum}). None to spare is a warning where there is more than one node (a single
     * node has nothing to spare).
     */
    static Check.Outcome quorum(List<NodeSummary> nodes) {
        List<NodeSummary> managers = nodes.stream().filter(NodeSummary::manager).toList();
        ClusterNodes.Quorum q = ClusterNodes.Quorum.of(nodes);
        List<String> unreachable = managers.stream().filter(m -> !m.healthy()).map(ClusterChecks::condition).toList();
        String down = unreachable.isEmpty() ? "" : "; unreachable: " + String.join(", ", unreachable);
        if (!q.held()) {
            return Check.Outcome.fail("quorum lost: " + q.reachable() + " of " + q.managers()
                    + " managers reachable, " + (q.managers() / 2 + 1) + " needed" + down);
        }
        String text = q.managers() + " manager" + (q.managers() == 1 ? "" : "s") + ", tolerates " + q.tolerates()
                + " failure" + (q.tolerates() == 1 ? "" : "s") + down;
        if (q.tolerates() == 0 && nodes.size() > 1) {
            return Check.Outcome.pass(text + "; WARNING: losing one more manager loses the quorum"
                    + (q.managers() < 3 ? " (3 managers tolerate 1 failure)" : ""));
        }
        return Check.Outcome.pass(text);
    }

    /**
     * The nodes against the spec's, as {@link ClusterNodes} compares them: each declared node found by hostname
     * with its role, its labels (when the spec gives them) and its availability; nodes the spec does not list are
     * extra. An empty {@code swarm.nodes} declares nothing to compare.
     */
    static Check.Outcome asSpec(List<PlatformSpec.SwarmNode> declared, List<NodeSummary> nodes) {
        if (declared.isEmpty()) return Check.Outcome.pass("swarm.nodes lists no nodes; " + nodes.size() + " node"
                + (nodes.size() == 1 ? "" : "s") + " not compared");
        // the same comparison 'kiban swarm status' shows and 'kiban swarm apply' acts on
        ClusterNodes.Plan plan = ClusterNodes.plan(declared, nodes);
        List<String> differences = new ArrayList<>(plan.drift());
        plan.updates().forEach(u -> differences.add(u.describe() + " ('kiban swarm apply')"));
        differences.addAll(plan.refusals());
        if (differences.isEmpty()) return Check.Outcome.pass(nodes.size() + (nodes.size() == 1 ? " node" : " nodes")
                + " as swarm.nodes lists them");
        return Check.Outcome.fail(differences.size() + " difference" + (differences.size() == 1 ? "" : "s")
                + " from swarm.nodes: " + String.join("; ", differences));
    }
}
