package dev.kiban.stack;

import dev.kiban.spec.AddressRange;
import dev.kiban.spec.ByteSize;
import dev.kiban.spec.Cidr;
import dev.kiban.spec.HostPath;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PortRange;
import dev.kiban.spec.Problem;
import dev.kiban.spec.Problem.Severity;
import dev.kiban.spec.SpecNode;
import dev.kiban.spec.SpecNode.Mapping;
import dev.kiban.spec.SpecNode.Scalar;
import dev.kiban.spec.SpecNode.Sequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks compose files against the platform spec before they are deployed: limits and reservations
 * on every service (R1.3) and their sum within the Docker budget (R1.2), published ports in their
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
    private double cpuTotal;
    private long memoryTotal;
    private final List<String> contributors = new ArrayList<>();
    private final List<NamedRange> networks = new ArrayList<>();

    private record NamedRange(String label, AddressRange range) {}

    private StackLint(PlatformSpec spec) {
        this.spec = spec;
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
                cpus.ifPresent(c -> cpuTotal += c * replicas);
                memory.ifPresent(b -> memoryTotal += b.bytes() * replicas);
                if (cpus.isPresent() || memory.isPresent()) {
                    contributors.add(compose.stack() + "/" + name + " " + replicas + "x("
                            + cpus.map(StackLint::number).orElse("?") + " cpu, "
                            + memory.map(ByteSize::toString).orElse("?") + ")");
                }
            }
        }
        if (deploy != null && !(deploy.get("restart_policy") instanceof Mapping)) {
            add(Severity.WARNING, file, deploy, path + ".deploy.restart_policy",
                    "no restart_policy; the design restarts on-failure (R8.2)");
        }

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

    /** R1.2: all limits together, replicas counted, within Docker's share (CPU with the overcommit ratio). */
    private void budget(List<ComposeFile> files) {
        if (files.isEmpty()) return;
        var b = spec.budget();
        String where = files.get(0).file();
        SpecNode at = files.get(0).tree();
        if (cpuTotal > b.dockerVcpus() + 1e-9) {
            add(Severity.ERROR, where, at, "deploy.resources.limits.cpus", "the stacks' CPU limits add up to "
                    + number(cpuTotal) + " vCPU, over the Docker budget of "
                    + number(b.dockerVcpus()) + " (" + number(b.docker().cpus()) + " cores x " + number(b.overcommit())
                    + " overcommit): "
                    + String.join(", ", contributors) + " (R1.2)");
        }
        if (memoryTotal > b.docker().memory().bytes()) {
            add(Severity.ERROR, where, at, "deploy.resources.limits.memory", "the stacks' memory limits add up to "
                    + ByteSize.ofBytes(memoryTotal)
                    + ", over the Docker budget of " + b.docker().memory() + ": " + String.join(", ", contributors)
                    + " (R1.2)");
        }
    }

    private static int replicas(Mapping deploy) {
        // one per node; this is one node (R8)
        if (text(deploy.get("mode")).orElse("replicated").equals("global")) return 1;
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
