package dev.kiban.swarm;

import dev.kiban.engine.NodeChange;
import dev.kiban.engine.NodeSummary;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.NodeRole;
import dev.kiban.spec.PlatformSpec.SwarmNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The swarm's nodes against {@code swarm.nodes}: the changes a manager makes so that roles, labels and
 * availability are as the spec says (promotions first, demotions last, none that would cost the quorum), and
 * the drift it cannot fix itself (a node not joined yet, one the spec does not know, two of one name). Pure.
 */
public final class ClusterNodes {
    private ClusterNodes() {}

    /** One node's change: the node as read (its version index goes with the update) and what it becomes. */
    public record Update(NodeSummary node, NodeChange change, String describe) {}

    public record Plan(List<Update> updates, List<String> drift, List<String> refusals, Quorum quorum) {
        public boolean inOrder() {
            return updates.isEmpty() && drift.isEmpty() && refusals.isEmpty();
        }
    }

    /**
     * Managers in the cluster and how many are reachable; Raft keeps working while a majority is. {@code tolerates}
     * is how many managers may fail before it stops.
     */
    public record Quorum(int managers, int reachable) {
        public static Quorum of(List<NodeSummary> nodes) {
            List<NodeSummary> managers = nodes.stream().filter(NodeSummary::manager).toList();
            return new Quorum(managers.size(), (int) managers.stream().filter(NodeSummary::healthy).count());
        }

        /** How many more managers may fail, from now, before the quorum is lost. */
        public int tolerates() {
            return Math.max(0, reachable - (managers / 2 + 1));
        }

        public boolean held() {
            return reachable > managers / 2;
        }

        public String describe() {
            String base = managers + " manager" + (managers == 1 ? "" : "s") + " (" + reachable + " reachable)";
            if (!held()) return base + ": quorum LOST, the swarm cannot change until a majority is back";
            return base + ": tolerates " + tolerates() + (reachable < managers ? " more" : "") + " manager failure"
                    + (tolerates() == 1 ? "" : "s");
        }
    }

    public static Plan plan(PlatformSpec spec, List<NodeSummary> nodes) {
        return plan(spec.swarm().nodes(), nodes);
    }

    /** The plan for the {@code declared} nodes (a spec's {@code swarm.nodes}). */
    public static Plan plan(List<SwarmNode> declared, List<NodeSummary> nodes) {
        List<Update> promote = new ArrayList<>();
        List<Update> other = new ArrayList<>();
        List<Update> demote = new ArrayList<>();
        List<String> drift = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        Quorum now = Quorum.of(nodes);
        if (declared.isEmpty()) return new Plan(List.of(), List.of(), List.of(), now);
        int managersAfter = now.managers();
        int reachableAfter = now.reachable();
        for (SwarmNode want : declared) {
            List<NodeSummary> named = nodes.stream().filter(n -> n.hostname().equals(want.name())).toList();
            if (named.isEmpty()) {
                drift.add(want.name() + " (" + want.address() + ") is not in the swarm: run 'kiban swarm join' on it");
                continue;
            }
            if (named.size() > 1) {
                refusals.add(named.size() + " nodes are called " + want.name() + ": " + String.join(", ", named.stream()
                        .map(n -> n.id() + " " + n.state()).toList()) + "; remove the stale one ('docker node rm ID') "
                        + "so the spec's entry names one node");
                continue;
            }
            NodeSummary node = named.get(0);
            if (!node.address().isEmpty() && !node.address().equals(want.address().address())
                    && !"0.0.0.0".equals(node.address())) {
                drift.add(want.name() + " advertises " + node.address() + ", the spec says " + want.address()
                        + " (the address is set when a node joins: leave and join again to change it)");
            }
            String role = want.role().name().toLowerCase(Locale.ROOT);
            String availability = want.wantedAvailability().name().toLowerCase(Locale.ROOT);
            // labels the spec does not give (no labels key) are left as they are; labels: {} clears them
            Map<String, String> labels = new TreeMap<>(want.labels().orElse(node.labels()));
            List<String> what = new ArrayList<>();
            if (!role.equals(node.role())) what.add((want.role() == NodeRole.MANAGER ? "promote to" : "demote to") + " "
                    + role);
            if (!availability.equals(node.availability())) what.add("availability " + node.availability() + " -> "
                    + availability);
            if (!labels.equals(new TreeMap<>(node.labels()))) what.add("labels " + new TreeMap<>(node.labels())
                    + " -> " + labels);
            if (what.isEmpty()) continue;
            Update u = new Update(node, new NodeChange(role, availability, labels), want.name() + ": "
                    + String.join(", ", what));
            if (!role.equals(node.role()) && want.role() == NodeRole.WORKER) {
                int m = managersAfter - 1;
                int r = reachableAfter - (node.healthy() ? 1 : 0);
                if (m < 1 || r <= m / 2) {
                    refusals.add("not demoting " + want.name() + ": " + new Quorum(m, r).describe()
                            + " afterwards; promote another node first");
                    continue;
                }
                managersAfter = m;
                reachableAfter = r;
                demote.add(u);
            } else if (!role.equals(node.role())) {
                if (!node.healthy()) {
                    refusals.add("not promoting " + want.name() + ": it is " + node.state() + "; a manager that "
                            + "cannot vote counts against the quorum");
                    continue;
                }
                managersAfter++;
                reachableAfter++;
                promote.add(u);
            } else {
                other.add(u);
            }
        }
        for (NodeSummary n : nodes) {
            if (declared.stream().noneMatch(d -> d.name().equals(n.hostname()))) {
                drift.add(n.hostname() + " (" + n.address() + ", " + n.role() + ", " + n.state() + ") is in the swarm "
                        + "but not in swarm.nodes");
            }
        }
        List<Update> updates = new ArrayList<>(promote);
        updates.addAll(other);
        updates.addAll(demote);
        return new Plan(List.copyOf(updates), List.copyOf(drift), List.copyOf(refusals),
                new Quorum(managersAfter, reachableAfter));
    }

    /** The node named {@code nameOrId}: by hostname, else by id or unambiguous id prefix. */
    public static Optional<NodeSummary> find(List<NodeSummary> nodes, String nameOrId) {
        List<NodeSummary> named = nodes.stream().filter(n -> n.hostname().equals(nameOrId)).toList();
        if (named.size() == 1) return Optional.of(named.get(0));
        List<NodeSummary> ids = nodes.stream().filter(n -> n.id().startsWith(nameOrId)).toList();
        return ids.size() == 1 && !nameOrId.isEmpty() ? Optional.of(ids.get(0)) : Optional.empty();
    }
}
