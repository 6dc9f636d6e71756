package dev.kiban.stack;

import dev.kiban.spec.AddressRange;
import dev.kiban.spec.ByteSize;
import dev.kiban.spec.Cidr;
import dev.kiban.spec.HostPath;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.NodeAvailability;
import dev.kiban.spec.PlatformSpec.NodeRole;
import dev.kiban.spec.PortRange;
import dev.kiban.spec.Problem;
import dev.kiban.spec.Problem.Severity;
import dev.kiban.spec.SpecNode;
import dev.kiban.spec.SpecNode.Mapping;
import dev.kiban.spec.SpecNode.Scalar;
import dev.kiban.spec.SpecNode.Sequence;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks compose files against the platform spec before they are deployed: limits and reservations
 * on every service (R1.3) and their sum within the Docker budget of the nodes they may run on (R1.2; every
 * node of {@code swarm.nodes} has the spec's budget), placement constraints some node satisfies, rolling
 * updates one task at a time that roll back by themselves (R8), published ports in their
 * class and never the Docker API (R3.4), networks that are overlay or inside the service range and
 * overlap nothing (R3.3), volumes bound under the volume tree (R4.3), the obsolete {@code version:}
 * key (D10), and every way a service can reach past its container to the host ({@link Escalations}).
 * Pure.
 *
 * <p>A service that must do one of those things on purpose says so with a waiver label, on the
 * service or under {@code deploy:}, as a mapping or as a list of {@code key=value}; the value is the
 * reason and must not be empty. One label per class of finding:
 * <ul>
 *   <li>{@code kiban.waiver.privileged}: {@code privileged: true}</li>
 *   <li>{@code kiban.waiver.docker-sock}: a bind of a container runtime's socket (docker.sock,
 *       containerd.sock, ...) or of a directory holding one ({@code /}, {@code /run}, {@code /var/run},
 *       {@code /run/containerd}, ...)</li>
 *   <li>{@code kiban.waiver.host-network}: {@code network_mode: host}, or the {@code host} network</li>
 *   <li>{@code kiban.waiver.host-namespace}: {@code pid}, {@code ipc}, {@code uts}, {@code userns_mode},
 *       {@code cgroup} set to {@code host}; sysctls that are not namespaced</li>
 *   <li>{@code kiban.waiver.capabilities}: {@code cap_add} beyond Docker's default set</li>
 *   <li>{@code kiban.waiver.host-mount}: binds of host system paths ({@code /}, {@code /etc}, {@code /proc},
 *       {@code /var/lib/docker}, ...) and shared mount propagation; a config or secret read from one</li>
 *   <li>{@code kiban.waiver.devices}: {@code devices}, {@code device_cgroup_rules}</li>
 *   <li>{@code kiban.waiver.security-opt}: {@code security_opt} turning off seccomp, AppArmor, SELinux
 *       labels, no-new-privileges or the masked system paths</li>
 * </ul>
 */
public final class StackLint {
    /** Labels that accept a deliberate exception, e.g. a reverse proxy that must read docker.sock. */
    public static final String WAIVER_PRIVILEGED = "kiban.waiver.privileged";
    public static final String WAIVER_DOCKER_SOCK = "kiban.waiver.docker-sock";
    public static final String WAIVER_HOST_NETWORK = "kiban.waiver.host-network";
    public static final String WAIVER_HOST_NAMESPACE = "kiban.waiver.host-namespace";
    public static final String WAIVER_CAPABILITIES = "kiban.waiver.capabilities";
    public static final String WAIVER_HOST_MOUNT = "kiban.waiver.host-mount";
    public static final String WAIVER_DEVICES = "kiban.waiver.devices";
    public static final String WAIVER_SECURITY_OPT = "kiban.waiver.security-opt";
    /** Every waiver label; any other {@code kiban.waiver.*} label is a typo and is reported. */
    public static final List<String> WAIVERS = List.of(WAIVER_PRIVILEGED, WAIVER_DOCKER_SOCK, WAIVER_HOST_NETWORK,
            WAIVER_HOST_NAMESPACE, WAIVER_CAPABILITIES, WAIVER_HOST_MOUNT, WAIVER_DEVICES, WAIVER_SECURITY_OPT);

    private final PlatformSpec spec;
    private final List<Problem> problems = new ArrayList<>();
    private final List<ClusterNode> nodes;
    private final List<Demand> demands = new ArrayList<>();
    private final List<NamedRange> networks = new ArrayList<>();

    private record NamedRange(String label, AddressRange range) {}

    /** A node as lint sees it: the spec's, or this host alone ({@code implicit}) when swarm.nodes is empty. */
    private record ClusterNode(String name, boolean manager, Map<String, String> labels, boolean active,
            boolean implicit) {
        String describe() {
            String l = labels.isEmpty() ? "no labels" : String.join(", ", labels.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
            return name + " (" + (manager ? "manager" : "worker") + ", " + l + (active ? "" : ", not active") + ")";
        }
    }

    /**
     * A service's share of the budget: its limits, how many tasks, and the nodes that may run them (R1.2). Located
     * at its placement (or deploy) for a finding about the nodes it is confined to.
     */
    private record Demand(String label, String file, SpecNode at, String path, boolean global, int replicas,
            Optional<Integer> maxPerNode, Set<String> eligible, Optional<Double> cpus, Optional<ByteSize> memory) {
        /** The tasks that must run on {@code nodes}, whatever the scheduler does with the rest. */
        int tasksOn(Set<String> nodes, boolean wholeCluster) {
            if (wholeCluster) return global ? eligible.size() : replicas;
            if (eligible.isEmpty()) return 0; // runs nowhere: its constraints are the finding
            if (global) return (int) eligible.stream().filter(nodes::contains).count();
            if (nodes.containsAll(eligible)) return replicas;
            long elsewhere = eligible.stream().filter(n -> !nodes.contains(n)).count();
            return maxPerNode.map(m -> (int) Math.max(0, replicas - m * elsewhere)).orElse(0);
        }
    }

    private StackLint(PlatformSpec spec) {
        this.spec = spec;
        this.nodes = spec.swarm().nodes().isEmpty()
                ? List.of(new ClusterNode("this host", true, Map.of(), true, true))
                : spec.swarm().nodes().stream().map(n -> new ClusterNode(n.name(), n.role() == NodeRole.MANAGER,
                        n.nodeLabels(), n.wantedAvailability() == NodeAvailability.ACTIVE, false)).toList();
        var nets = spec.networks();
        nets.libvirt().forEach(n -> networks.add(new NamedRange("libvirt network " + n.name() + " " + n.cidr(),
                n.cidr().range())));
        networks.add(new NamedRange("docker0 " + nets.docker().bridge(), nets.docker().bridge().range()));
        networks.add(new NamedRange("docker_gwbridge " + nets.docker().gwbridge(), nets.docker().gwbridge().range()));
        networks.add(new NamedRange("ingress " + nets.docker().ingress(), nets.docker().ingress().range()));
    }

    /** Every finding over all the files, the budget over all of them together. */
    public static List<Problem> lint(List<ComposeFile> files, PlatformSpec spec) {
        StackLint lint = new StackLint(spec);
        files.forEach(lint::file);
        lint.budget(files);
        List<Problem> sorted = new ArrayList<>(lint.problems);
        sorted.sort(java.util.Comparator.comparing(Problem::file).thenComparingInt(Problem::line)
                .thenComparingInt(Problem::column));
        return List.copyOf(sorted);
    }

    private void file(ComposeFile compose) {
        if (!(compose.tree() instanceof Mapping root)) {
            add(Severity.ERROR, compose.file(), compose.tree(), "", "a compose file is a mapping with services:");
            return;
        }
        SpecNode version = root.get("version");
        if (version != null) {
            add(Severity.WARNING, compose.file(), keyNode(root, "version"), "version",
                    "'version' is obsolete in Compose v2 and ignored; remove it (D10)");
        }
        if (root.get("networks") instanceof Mapping nets) {
            nets.entries().forEach((name, e) -> network(compose, name, e));
        }
        if (root.get("volumes") instanceof Mapping vols) {
            vols.entries().forEach((name, e) -> volume(compose, name, e.value()));
        }
        if (!(root.get("services") instanceof Mapping services)) {
            add(Severity.ERROR, compose.file(), root, "services", "no services");
            return;
        }
        services.entries().forEach((name, e) -> service(compose, root, name, e));
        for (String kind : List.of("configs", "secrets")) {
            if (root.get(kind) instanceof Mapping defs) {
                defs.entries().forEach((name, e) -> Escalations.hostFile(compose, kind + "." + name, e.value(),
                        problems));
            }
        }
    }

    private void service(ComposeFile compose, Mapping root, String name, SpecNode.Entry entry) {
        String path = "services." + name;
        String file = compose.file();
        if (!(entry.value() instanceof Mapping svc)) {
            add(Severity.ERROR, file, entry.value(), path, "a service is a mapping");
            return;
        }
        Mapping deploy = svc.get("deploy") instanceof Mapping d ? d : null;

        String image = text(svc.get("image")).orElse("");
        if (image.isEmpty()) add(Severity.ERROR, file, svc, path + ".image", "no image: a stack cannot build images");
        else if (!image.contains(":") || image.endsWith(":latest")) {
            add(Severity.WARNING, file, svc.get("image"), path + ".image", image
                    + " is not pinned to a version; a redeploy may run different code");
        }

        // R1.3: limits and reservations, and their contribution to the budget (R1.2).
        Mapping resources = deploy != null && deploy.get("resources") instanceof Mapping r ? r : null;
        int replicas = deploy == null ? 1 : replicas(deploy);
        boolean global = deploy != null && text(deploy.get("mode")).orElse("replicated").equals("global");
        Mapping placement = deploy != null && deploy.get("placement") instanceof Mapping pl ? pl : null;
        Set<String> eligible = placement(file, path + ".deploy.placement", placement);
        Optional<Integer> maxPerNode = maxReplicasPerNode(file, path + ".deploy.placement", placement, global,
                replicas, eligible);
        Optional<Double> limitCpus = Optional.empty();
        Optional<ByteSize> limitMemory = Optional.empty();
        for (String kind : List.of("limits", "reservations")) {
            Mapping m = resources != null && resources.get(kind) instanceof Mapping k ? k : null;
            String at = path + ".deploy.resources." + kind;
            if (m == null) {
                add(Severity.ERROR, file, resources != null ? resources : deploy != null ? deploy : svc, at,
                        "no resource " + kind + "; every service declares cpus and memory " + kind + " (R1.3)");
                continue;
            }
            Optional<Double> cpus = cpus(file, m.get("cpus"), at + ".cpus");
            Optional<ByteSize> memory = memory(file, m.get("memory"), at + ".memory");
            if (m.get("cpus") == null) add(Severity.ERROR, file, m, at + ".cpus", "no cpus " + kind + " (R1.3)");
            if (m.get("memory") == null) add(Severity.ERROR, file, m, at + ".memory", "no memory " + kind + " (R1.3)");
            if (kind.equals("limits")) {
                limitCpus = cpus;
                limitMemory = memory;
            }
        }
        if (limitCpus.isPresent() || limitMemory.isPresent()) {
            SpecNode at = placement != null ? placement : deploy != null ? deploy : svc;
            String atPath = path + (placement != null ? ".deploy.placement" : deploy != null ? ".deploy" : "");
            demands.add(new Demand(compose.stack() + "/" + name, file, at, atPath, global, replicas, maxPerNode,
                    eligible, limitCpus, limitMemory));
        }
        if (deploy != null && !(deploy.get("restart_policy") instanceof Mapping)) {
            add(Severity.WARNING, file, deploy, path + ".deploy.restart_policy",
                    "no restart_policy; the design restarts on-failure (R8.2)");
        }
        if (deploy != null) updateConfig(file, path + ".deploy", deploy);

        ports(file, path, svc.get("ports"));

        Escalations.service(compose, root, path, svc, problems);
    }

    private void ports(String file, String path, SpecNode node) {
        if (!(node instanceof Sequence ports)) return;
        var classes = spec.ports().classes();
        for (int i = 0; i < ports.items().size(); i++) {
            SpecNode p = ports.items().get(i);
            String at = path + ".ports[" + i + "]";
            Optional<String> published;
            if (p instanceof Mapping m) {
                published = text(m.get("published"));
            } else {
                String t = text(p).orElse("");
                t = t.replaceFirst("/(tcp|udp|sctp)$", "");
                String[] parts = t.split(":");
                published = parts.length >= 2 ? Optional.of(parts[parts.length - 2]) : Optional.empty();
            }
            // not published: reachable only inside its networks
            if (published.isEmpty() || published.get().isEmpty()) continue;
            PortRange range;
            try {
                range = PortRange.parse(published.get());
            } catch (IllegalArgumentException e) {
                add(Severity.ERROR, file, p, at, e.getMessage());
                continue;
            }
            if (spec.ports().forbidden().stream().anyMatch(range::overlaps)) {
                add(Severity.ERROR, file, p, at, "publishes " + range
                        + ", the Docker API, which must never be reachable (R3.4)");
                continue;
            }
            boolean inClass = classes.values().stream().flatMap(List::stream).anyMatch(c -> c.contains(range));
            if (!inClass) {
                add(Severity.ERROR, file, p, at, "publishes " + range + ", outside every port class " + classes
                        + " (R3.4)");
            }
        }
    }

    private void network(ComposeFile compose, String name, SpecNode.Entry entry) {
        String path = "networks." + name;
        Mapping net = entry.value() instanceof Mapping m ? m : null;
        if (net != null && external(net)) return;
        String driver = net == null ? "overlay" : text(net.get("driver")).orElse("overlay");
        List<SpecNode> subnets = new ArrayList<>();
        if (net != null && net.get("ipam") instanceof Mapping ipam && ipam.get("config") instanceof Sequence configs) {
            for (SpecNode c : configs.items()) {
                if (c instanceof Mapping cm && cm.get("subnet") != null) subnets.add(cm.get("subnet"));
            }
        }
        if (!driver.equals("overlay") && !driver.equals("bridge")) {
            add(Severity.ERROR, compose.file(), net, path + ".driver", "driver " + driver
                    + ": networks are overlay, or bridge inside the service range (R3.3)");
            return;
        }
        if (driver.equals("bridge")) {
            add(Severity.WARNING, compose.file(), net.get("driver"), path + ".driver",
                    "a Swarm stack cannot attach services to a bridge network; use overlay");
        }
        AddressRange serviceRange = spec.networks().docker().services().range();
        for (SpecNode subnet : subnets) {
            Cidr cidr;
            try {
                cidr = Cidr.parse(text(subnet).orElse(""));
            } catch (IllegalArgumentException e) {
                add(Severity.ERROR, compose.file(), subnet, path + ".ipam.config", e.getMessage());
                continue;
            }
            if (driver.equals("bridge") && !(cidr.first() >= serviceRange.first()
                    && cidr.last() <= serviceRange.last())) {
                add(Severity.ERROR, compose.file(), subnet, path + ".ipam.config", "subnet " + cidr
                        + " is outside the service networks "
                        + spec.networks().docker().services().from() + " to "
                        + spec.networks().docker().services().to() + " (R3.2)");
            }
            for (NamedRange other : networks) {
                if (other.range().overlaps(cidr.range())) {
                    add(Severity.ERROR, compose.file(), subnet, path + ".ipam.config", "subnet " + cidr + " overlaps "
                            + other.label() + " (R3.3)");
                }
            }
            networks.add(new NamedRange(compose.stack() + " network " + name + " " + cidr, cidr.range()));
        }
    }

    private void volume(ComposeFile compose, String name, SpecNode node) {
        if (!(node instanceof Mapping vol) || external(vol)) return;
        // a plain named volume: Docker's own store (R4.2)
        if (!(vol.get("driver_opts") instanceof Mapping opts)) return;
        Optional<String> device = text(opts.get("device"));
        String o = text(opts.get("o")).orElse("");
        if (device.isEmpty() || !o.contains("bind") && !Escalations.interpolated(o)) return; // a variable may say bind
        HostPath tree = spec.storage().volumes();
        try {
            HostPath dev = HostPath.parse(device.get());
            if (!dev.within(tree) || dev.equals(tree)) {
                add(Severity.ERROR, compose.file(), opts.get("device"), "volumes." + name + ".driver_opts.device",
                        device.get() + " is outside the volume tree " + tree + " (R4.3)");
            } else if (!dev.value().equals(tree.resolve(name).value()) && !dev.value().endsWith("/" + name)) {
                add(Severity.WARNING, compose.file(), opts.get("device"), "volumes." + name + ".driver_opts.device",
                        "the design names the directory after the volume: " + tree.resolve(name) + " (R4.3)");
            }
        } catch (IllegalArgumentException e) {
            add(Severity.ERROR, compose.file(), opts.get("device"), "volumes." + name + ".driver_opts.device",
                    e.getMessage());
        }
    }

    /**
     * R1.2: all limits together within Docker's share (CPU with the overcommit ratio), per node: every node has
     * the spec's budget, a replicated service needs replicas x its limits, a global one its limits on every node
     * it may run on. Checked for the whole cluster and for each set of nodes some service is confined to, with
     * the services that must run inside that set.
     */
    private void budget(List<ComposeFile> files) {
        if (files.isEmpty()) return;
        Set<String> cluster = new LinkedHashSet<>(nodes.stream().filter(ClusterNode::active)
                .map(ClusterNode::name).toList());
        Set<Set<String>> sets = new LinkedHashSet<>();
        sets.add(cluster);
        demands.stream().map(Demand::eligible).filter(e -> !e.isEmpty()).forEach(sets::add);
        for (Set<String> set : sets) budget(files.get(0), set, set.equals(cluster));
    }

    private void budget(ComposeFile first, Set<String> set, boolean wholeCluster) {
        var b = spec.budget();
        double cpuTotal = 0;
        long memoryTotal = 0;
        List<String> contributors = new ArrayList<>();
        Demand firstDemand = null;
        for (Demand d : demands) {
            int tasks = d.tasksOn(set, wholeCluster);
            if (tasks == 0) continue;
            cpuTotal += d.cpus().orElse(0.0) * tasks;
            memoryTotal += d.memory().map(ByteSize::bytes).orElse(0L) * tasks;
            contributors.add(d.label() + " " + tasks + "x(" + d.cpus().map(StackLint::number).orElse("?") + " cpu, "
                    + d.memory().map(ByteSize::toString).orElse("?") + ")");
            if (firstDemand == null) firstDemand = d;
        }
        if (firstDemand == null && !wholeCluster) return;
        // one node: the words of a single host; more: which nodes, and the budget as nodes x each one's
        boolean oneNode = wholeCluster && set.size() <= 1;
        String file = wholeCluster ? first.file() : firstDemand.file();
        SpecNode at = wholeCluster ? first.tree() : firstDemand.at();
        String names = String.join(", ", set);
        String whose = wholeCluster ? "the stacks' " : "the services that can run only on " + names + " have ";
        String over = ", over " + (oneNode ? "the" : wholeCluster ? "the cluster's" : "their nodes'")
                + " Docker budget of ";
        String nodeCount = set.size() + " node" + (set.size() == 1 ? "" : "s") + (wholeCluster ? " (" + names + ")"
                : "") + " x ";
        String cores = number(b.docker().cpus()) + " cores x " + number(b.overcommit()) + " overcommit";
        double cpuBudget = b.dockerVcpus() * set.size();
        long memoryBudget = b.docker().memory().bytes() * set.size();
        String all = ": " + String.join(", ", contributors) + " (R1.2)";
        if (cpuTotal > cpuBudget + 1e-9) {
            String budget = oneNode ? number(cpuBudget) + " (" + cores + ")"
                    : number(cpuBudget) + " (" + nodeCount + number(b.dockerVcpus()) + " vCPU: " + cores + ")";
            add(Severity.ERROR, file, at, wholeCluster ? "deploy.resources.limits.cpus" : firstDemand.path(),
                    whose + "CPU limits add" + (wholeCluster ? "" : "ing") + " up to " + number(cpuTotal) + " vCPU"
                            + over + budget + all);
        }
        if (memoryTotal > memoryBudget) {
            String budget = oneNode ? b.docker().memory().toString()
                    : ByteSize.ofBytes(memoryBudget) + " (" + nodeCount + b.docker().memory() + ")";
            add(Severity.ERROR, file, at, wholeCluster ? "deploy.resources.limits.memory" : firstDemand.path(),
                    whose + "memory limits add" + (wholeCluster ? "" : "ing") + " up to "
                            + ByteSize.ofBytes(memoryTotal) + over + budget + all);
        }
    }

    private static final Pattern CONSTRAINT = Pattern.compile("\\s*([^=!\\s]+)\\s*(==|!=)\\s*(\\S.*?)\\s*");

    /**
     * The nodes a service may run on: the active ones that satisfy every placement constraint lint can judge
     * (role, hostname, labels, the OS); a constraint it cannot judge is a warning and taken as satisfied, one
     * that no node satisfies an error.
     */
    private Set<String> placement(String file, String path, Mapping placement) {
        Set<String> eligible = new LinkedHashSet<>(nodes.stream().filter(ClusterNode::active)
                .map(ClusterNode::name).toList());
        if (placement == null || !(placement.get("constraints") instanceof Sequence constraints)) return eligible;
        boolean eachSatisfiable = true;
        for (int i = 0; i < constraints.items().size(); i++) {
            SpecNode item = constraints.items().get(i);
            String at = path + ".constraints[" + i + "]";
            String text = text(item).orElse("");
            Matcher m = CONSTRAINT.matcher(text);
            if (Escalations.interpolated(text) || !m.matches()) {
                add(Severity.WARNING, file, item, at, "lint cannot judge the constraint '" + text + "'"
                        + (m.matches() ? " (a variable)" : ": not key==value or key!=value")
                        + "; it is taken as satisfied");
                continue;
            }
            String key = m.group(1);
            boolean equal = m.group(2).equals("==");
            String value = m.group(3);
            Set<String> satisfying = new LinkedHashSet<>();
            boolean judged = true;
            for (ClusterNode node : nodes) {
                Optional<Boolean> matches = matches(node, key, value);
                if (matches.isEmpty()) {
                    judged = false;
                    break;
                }
                if (matches.get() == equal) satisfying.add(node.name());
            }
            if (!judged) {
                add(Severity.WARNING, file, item, at, "lint cannot judge the constraint '" + text + "'"
                        + (key.equals("node.hostname")
                                ? ": swarm.nodes is empty, so lint does not know the nodes' hostnames; list them there"
                                : ": it judges node.role, node.hostname, node.labels.* and node.platform.os only")
                        + "; it is taken as satisfied");
                continue;
            }
            if (satisfying.isEmpty()) {
                eachSatisfiable = false;
                add(Severity.ERROR, file, item, at, unsatisfiable(text, key, equal, value));
            }
            eligible.retainAll(satisfying);
        }
        if (eligible.isEmpty() && eachSatisfiable) {
            add(Severity.ERROR, file, constraints, path + ".constraints", "no active node in swarm.nodes satisfies "
                    + "all of these constraints together; its tasks would stay pending; nodes: " + String.join(", ",
                    nodes.stream().map(ClusterNode::describe).toList()));
        }
        return eligible;
    }

    /** Whether {@code node}'s value for {@code key} is {@code value}, case aside as Swarm compares; empty: unknown. */
    private static Optional<Boolean> matches(ClusterNode node, String key, String value) {
        if (key.equals("node.role")) return Optional.of(value.equalsIgnoreCase(node.manager() ? "manager" : "worker"));
        if (key.equals("node.hostname")) {
            return node.implicit() ? Optional.empty() : Optional.of(value.equalsIgnoreCase(node.name()));
        }
        if (key.equals("node.platform.os")) return Optional.of(value.equalsIgnoreCase("linux"));
        if (key.startsWith("node.labels.") && key.length() > "node.labels.".length()) {
            String label = node.labels().get(key.substring("node.labels.".length()));
            return Optional.of(label != null && label.equalsIgnoreCase(value)); // Swarm: a missing label is not equal
        }
        return Optional.empty();
    }

    private String unsatisfiable(String text, String key, boolean equal, String value) {
        String what;
        if (key.equals("node.role")) what = (equal ? "is a " : "is other than a ") + value;
        else if (key.equals("node.hostname")) what = (equal ? "is named " : "is named other than ") + value;
        else if (key.equals("node.platform.os")) what = "runs " + (equal ? "" : "other than ") + value;
        else {
            what = (equal ? "has label " : "lacks label ") + key.substring("node.labels.".length()) + "=" + value;
        }
        if (nodes.get(0).implicit()) {
            return "constraint '" + text + "': swarm.nodes is empty, so the cluster is this host alone, a manager "
                    + "without labels, and no node " + what + "; list the cluster's nodes, their roles and labels in "
                    + "swarm.nodes";
        }
        return "constraint '" + text + "': no node in swarm.nodes " + what + "; its tasks would stay pending; "
                + "nodes: " + String.join(", ", nodes.stream().map(ClusterNode::describe).toList());
    }

    /** {@code max_replicas_per_node}, when it is a number; more replicas than it lets the nodes hold is an error. */
    private Optional<Integer> maxReplicasPerNode(String file, String path, Mapping placement, boolean global,
            int replicas, Set<String> eligible) {
        SpecNode node = placement == null ? null : placement.get("max_replicas_per_node");
        if (node == null || global) return Optional.empty();
        int max;
        try {
            max = Integer.parseInt(text(node).orElse(""));
        } catch (NumberFormatException e) {
            return Optional.empty(); // a variable, or Docker's own error
        }
        if (max <= 0) return Optional.empty(); // 0: no limit
        if (!eligible.isEmpty() && replicas > (long) max * eligible.size()) {
            add(Severity.ERROR, file, node, path + ".max_replicas_per_node", replicas + " replicas at most " + max
                    + " per node need " + (replicas + max - 1) / max + " nodes; it may run on " + eligible.size()
                    + " (" + String.join(", ", eligible) + "), so " + (replicas - max * eligible.size())
                    + " would stay pending");
        }
        return Optional.of(max);
    }

    /**
     * R8: a rolling update replaces one task at a time, waits before the next, and rolls back by itself when
     * the new tasks fail. Docker's defaults are parallelism 1, delay 0s and failure_action pause.
     */
    private void updateConfig(String file, String path, Mapping deploy) {
        String at = path + ".update_config";
        if (!(deploy.get("update_config") instanceof Mapping update)) {
            add(Severity.WARNING, file, deploy.get("update_config") != null ? deploy.get("update_config") : deploy,
                    at, "no update_config; advised: {parallelism: 1, delay: 10s, failure_action: rollback}, so an "
                            + "update replaces one task at a time, 10s apart, and a broken image rolls back by "
                            + "itself (Docker's default is delay 0s and failure_action pause) (R8)");
            return;
        }
        SpecNode parallelism = update.get("parallelism");
        if (parallelism != null && !text(parallelism).orElse("").equals("1")) {
            add(Severity.WARNING, file, parallelism, at + ".parallelism", "parallelism "
                    + text(parallelism).orElse("?") + "; advised: update_config.parallelism: 1, so an update "
                    + "replaces one task at a time and the others keep serving (0 replaces all at once) (R8)");
        }
        SpecNode delay = update.get("delay");
        Optional<Double> seconds = delay == null ? Optional.of(0.0) : seconds(text(delay).orElse(""));
        if (seconds.isEmpty() || seconds.get() < 10) {
            add(Severity.WARNING, file, delay != null ? delay : update, at + ".delay", (delay == null ? "no delay"
                    : "delay " + text(delay).orElse("?")) + "; advised: update_config.delay: 10s or more, so a new "
                    + "task's failure shows before the next one is replaced (R8)");
        }
        SpecNode action = update.get("failure_action");
        if (!text(action).orElse("pause").equalsIgnoreCase("rollback")) {
            add(Severity.WARNING, file, action != null ? action : update, at + ".failure_action",
                    (action == null ? "no failure_action (Docker pauses the update)"
                            : "failure_action " + text(action).orElse("?"))
                            + "; advised: update_config.failure_action: rollback, so a broken image rolls back by "
                            + "itself (R8)");
        }
    }

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    /** A Go duration (10s, 1m30s, 500ms) in seconds; a bare 0 too; empty when it is not one. */
    static Optional<Double> seconds(String duration) {
        String t = duration.trim();
        if (t.equals("0")) return Optional.of(0.0);
        Matcher m = DURATION_PART.matcher(t);
        double total = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            total += v * switch (m.group(2)) {
                case "h" -> 3600;
                case "m" -> 60;
                case "s" -> 1;
                case "ms" -> 1e-3;
                case "us", "µs" -> 1e-6;
                default -> 1e-9;
            };
            end = m.end();
        }
        return end > 0 && end == t.length() ? Optional.of(total) : Optional.empty();
    }

    private static int replicas(Mapping deploy) {
        try {
            return Integer.parseInt(text(deploy.get("replicas")).orElse("1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private Optional<Double> cpus(String file, SpecNode node, String path) {
        if (node == null) return Optional.empty();
        try {
            double v = Double.parseDouble(text(node).orElse(""));
            if (v <= 0) throw new NumberFormatException();
            return Optional.of(v);
        } catch (NumberFormatException e) {
            add(Severity.ERROR, file, node, path, "expected a CPU count like 0.5 or '1.0', got "
                    + text(node).orElse("a mapping"));
            return Optional.empty();
        }
    }

    private Optional<ByteSize> memory(String file, SpecNode node, String path) {
        if (node == null) return Optional.empty();
        String t = text(node).orElse("");
        try {
            if (t.matches("\\d+")) return Optional.of(ByteSize.ofBytes(Long.parseLong(t)));
            return Optional.of(ByteSize.parse(t.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            add(Severity.ERROR, file, node, path, "expected a memory size like 512M or 2G, got " + t);
            return Optional.empty();
        }
    }

    /** {@code external: true}, in any of YAML's spellings of true (True, TRUE). */
    private static boolean external(Mapping m) {
        return text(m.get("external")).orElse("false").equalsIgnoreCase("true");
    }

    private static SpecNode keyNode(Mapping m, String key) {
        SpecNode.Entry e = m.entries().get(key);
        return new Scalar(e.keyLocation(), key, Scalar.Kind.STRING);
    }

    private static Optional<String> text(SpecNode node) {
        return node instanceof Scalar s ? Optional.of(s.text()) : Optional.empty();
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(Math.round(v * 100) / 100.0);
    }

    private void add(Severity severity, String file, SpecNode node, String path, String message) {
        int line = node == null ? 0 : node.location().line();
        int col = node == null ? 0 : node.location().column();
        problems.add(new Problem(severity, file, line, col, path, message));
    }
}
