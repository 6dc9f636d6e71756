package dev.kiban.spec;

import dev.kiban.spec.PlatformSpec.Disk;
import dev.kiban.spec.PlatformSpec.LibvirtNetwork;
import dev.kiban.spec.PlatformSpec.PublicPort;
import dev.kiban.spec.PlatformSpec.Share;
import dev.kiban.spec.Problem.Severity;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules a well-typed spec must still satisfy: the budget adds up to the host (R1.2), no two
 * networks overlap (R3.3, D2), ports stay in their classes and the Docker API stays unpublished
 * (R3.4), and the design's own defects are not repeated (D1, D6, D13). Pure: spec in, problems out.
 */
final class SpecRules {
    private final PlatformSpec spec;
    private final Locator locator;
    private final List<Problem> problems;

    SpecRules(PlatformSpec spec, Locator locator, List<Problem> problems) {
        this.spec = spec;
        this.locator = locator;
        this.problems = problems;
    }

    void check() {
        header();
        host();
        budget();
        networks();
        ports();
        engine();
        storage();
        repositoryDisk();
        monitor();
        security();
        swarm();
        audit();
        migrate();
        maintenance();
        dashboard();
        new ValueRules(spec, locator, problems).check();
    }

    private void header() {
        if (!PlatformSpec.API_VERSION.equals(spec.apiVersion())) {
            error("apiVersion", "this kiban reads " + PlatformSpec.API_VERSION + ", not \"" + spec.apiVersion() + "\"");
        }
        if (!PlatformSpec.KIND.equals(spec.kind())) {
            error("kind", "expected " + PlatformSpec.KIND + ", got \"" + spec.kind() + "\"");
        }
    }

    private void host() {
        var host = spec.host();
        if (host.cpuCores() < 1) error("host.cpuCores", "a host has at least one core");
        if (host.cpuThreads() < host.cpuCores()) {
            error("host.cpuThreads", "cannot be fewer than host.cpuCores (" + host.cpuCores() + ")");
        }
        if (host.swappiness() < 0 || host.swappiness() > 200) {
            error("host.swappiness", "vm.swappiness runs from 0 to 200");
        }
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < host.disks().size(); i++) {
            Disk d = host.disks().get(i);
            if (seen.contains(d.name())) {
                error("host.disks[" + i + "].name", "disk \"" + d.name() + "\" is declared twice");
            }
            seen.add(d.name());
        }
    }

    /** R1.2: reserve + Docker + spare must fit the host, per resource and per disk. */
    private void budget() {
        var host = spec.host();
        var b = spec.budget();
        List<Share> shares = List.of(b.hostReserve(), b.docker(), b.spare());
        String parts = "hostReserve + docker + spare";

        double cpus = shares.stream().mapToDouble(Share::cpus).sum();
        for (String name : List.of("hostReserve", "docker", "spare")) {
            if (share(name).cpus() < 0) error("budget." + name + ".cpus", "cannot be negative");
        }
        if (cpus > host.cpuCores() + 1e-9) {
            error(locator.firstWritten("budget", "host.cpuCores"),
                    String.format(Locale.ROOT, "CPU budget %s = %s cores exceeds host.cpuCores %d (R1.2)", parts,
                            number(cpus), host.cpuCores()));
        }
        if (b.overcommit() < 1) {
            error("budget.overcommit", "must be at least 1 (1 = no overcommit, 2 = the design's 1:2)");
        } else if (b.docker().cpus() * b.overcommit() > host.cpuThreads() * 2.0) {
            warning("budget.overcommit", String.format(Locale.ROOT,
                    "%s vCPUs for Docker is more than twice the host's %d threads",
                    number(b.dockerVcpus()), host.cpuThreads()));
        }

        ByteSize memory = shares.stream().map(Share::memory).reduce(ByteSize.ofBytes(0), ByteSize::plus);
        if (memory.exceeds(host.memory())) {
            error(locator.firstWritten("budget", "host.memory"), "memory budget " + parts + " = " + memory
                    + " exceeds host.memory " + host.memory() + " (R1.2)");
        }

        List<String> diskNames = host.disks().stream().map(Disk::name).toList();
        for (String name : List.of("hostReserve", "docker", "spare")) {
            for (String disk : share(name).disks().keySet()) {
                if (!diskNames.contains(disk)) {
                    error("budget." + name + ".disks." + disk, "no disk \"" + disk + "\" in host.disks"
                            + Suggestion.nearest(disk, diskNames).map(s -> "; did you mean '" + s + "'?")
                            .orElse(" (declared: " + String.join(", ", diskNames) + ")"));
                }
            }
        }
        for (Disk disk : host.disks()) {
            ByteSize used = shares.stream().map(s -> s.disks().getOrDefault(disk.name(), ByteSize.ofBytes(0)))
                    .reduce(ByteSize.ofBytes(0), ByteSize::plus);
            if (used.bytes() == 0) continue;
            if (disk.size().isEmpty()) {
                error("host.disks", "disk \"" + disk.name() + "\" has budget shares but no size");
            } else if (used.exceeds(disk.size().get())) {
                error(locator.firstWritten("budget", "host.disks"), "disk \"" + disk.name() + "\": " + parts + " = "
                        + used + " exceeds its size " + disk.size().get() + " (R1.2)");
            }
        }
    }

    private Share share(String name) {
        var b = spec.budget();
        return switch (name) {
            case "hostReserve" -> b.hostReserve();
            case "docker" -> b.docker();
            default -> b.spare();
        };
    }

    /** R3.3: every pair of networks is disjoint, the Swarm address pool included (D2). */
    private void networks() {
        record Net(String path, String label, AddressRange range, boolean libvirt) {}
        List<Net> nets = new ArrayList<>();
        List<LibvirtNetwork> libvirt = spec.networks().libvirt();
        for (int i = 0; i < libvirt.size(); i++) {
            nets.add(new Net("networks.libvirt[" + i + "].cidr", "libvirt network " + libvirt.get(i).name() + " "
                    + libvirt.get(i).cidr(), libvirt.get(i).cidr().range(), true));
        }
        var docker = spec.networks().docker();
        nets.add(new Net("networks.docker.bridge", "docker0 " + docker.bridge(), docker.bridge().range(), false));
        nets.add(new Net("networks.docker.gwbridge", "docker_gwbridge " + docker.gwbridge(), docker.gwbridge().range(),
                false));
        var services = docker.services();
        if (services.from().first() > services.to().first()) {
            error("networks.docker.services", "from " + services.from() + " comes after to " + services.to());
        } else if (services.from().prefix() != services.to().prefix()) {
            error("networks.docker.services.to", "from and to must have the same prefix length (/"
                    + services.from().prefix() + ")");
        } else {
            nets.add(new Net("networks.docker.services", "the service networks " + services.from() + " to "
                    + services.to(), services.range(), false));
        }
        var swarm = spec.swarm();
        if (swarm.enabled()) {
            nets.add(new Net("networks.docker.ingress", "the Swarm ingress network " + docker.ingress(),
                    docker.ingress().range(), false));
            if (swarm.defaultAddrPool().isEmpty()) {
                error("swarm.defaultAddrPool",
                        "empty means the engine's default pool 10.0.0.0/8, which covers the libvirt networks; "
                        + "give a pool such as 10.20.0.0/16 (D2)");
            }
            for (int i = 0; i < swarm.defaultAddrPool().size(); i++) {
                Cidr pool = swarm.defaultAddrPool().get(i);
                nets.add(new Net("swarm.defaultAddrPool[" + i + "]", "the Swarm address pool " + pool, pool.range(),
                        false));
                if (swarm.subnetSize() < pool.prefix()) {
                    error("swarm.subnetSize", "/" + swarm.subnetSize() + " subnets do not fit in the pool " + pool);
                }
            }
        }
        for (int i = 0; i < nets.size(); i++) {
            for (int j = i + 1; j < nets.size(); j++) {
                Net a = nets.get(i);
                Net b = nets.get(j);
                if (a.libvirt() && b.libvirt()) continue; // libvirt's own layout is not kiban's to judge
                if (a.range().overlaps(b.range())) {
                    boolean swarmPool = a.path().startsWith("swarm.") || b.path().startsWith("swarm.");
                    error(b.path(), b.label() + " overlaps " + a.label() + " (R3.3" + (swarmPool ? ", D2" : "") + ")");
                }
            }
        }
        if (swarm.subnetSize() < 8 || swarm.subnetSize() > 29) {
            error("swarm.subnetSize", "overlay subnets are /8 to /29");
        }
    }

    /** R3.4: public ports in their class, the Docker API in none. */
    private void ports() {
        var ports = spec.ports();
        for (var cls : ports.classes().entrySet()) {
            for (int i = 0; i < cls.getValue().size(); i++) {
                PortRange range = cls.getValue().get(i);
                int index = i;
                forbidden(range).ifPresent(f -> error("ports.classes." + cls.getKey() + "[" + index + "]",
                        "port class " + cls.getKey() + " includes " + f
                        + ", the Docker API, which must never be reachable (R3.4)"));
            }
        }
        List<String> classNames = List.copyOf(ports.classes().keySet());
        for (int i = 0; i < ports.publicPorts().size(); i++) {
            PublicPort p = ports.publicPorts().get(i);
            String path = "ports.public[" + i + "]";
            Optional<PortRange> api = forbidden(p.port());
            if (api.isPresent()) {
                error(path + ".port", "port " + p.port() + " publishes the Docker API (" + api.get()
                        + "), which must never be reachable (R3.4, R7.6)");
                continue;
            }
            List<PortRange> cls = ports.classes().get(p.portClass());
            if (cls == null) {
                error(path + ".class", "no port class \"" + p.portClass() + "\""
                        + Suggestion.nearest(p.portClass(), classNames).map(s -> "; did you mean '" + s + "'?")
                        .orElse(" (classes: " + String.join(", ", classNames) + ")"));
            } else if (cls.stream().noneMatch(r -> r.contains(p.port()))) {
                error(path + ".port", "port " + p.port() + " is outside its class " + p.portClass() + " " + cls
                        + " (R3.4)");
            }
        }
        forbidden(new PortRange(spec.security().ssh().port(), spec.security().ssh().port()))
                .ifPresent(f -> error("security.ssh.port", "port " + f + " belongs to the Docker API"));
        int metrics = spec.monitor().metrics().port();
        if (metrics < 1 || metrics > 65535) {
            error("monitor.metrics.port", "ports run from 1 to 65535");
        } else {
            forbidden(new PortRange(metrics, metrics)).ifPresent(f -> error("monitor.metrics.port", "port " + f
                    + " belongs to the Docker API"));
        }
    }

    private Optional<PortRange> forbidden(PortRange range) {
        return spec.ports().forbidden().stream().filter(range::overlaps).findFirst();
    }

    private void engine() {
        var engine = spec.engine();
        var swarm = spec.swarm();
        if (swarm.enabled() && engine.liveRestore() == Tristate.TRUE) {
            error("engine.liveRestore",
                    "live-restore cannot be combined with Swarm mode: the engine refuses 'swarm init'; "
                    + "use auto (off with Swarm) or disable swarm (D1)");
        }
        if (swarm.enabled() && !engine.usernsRemap().isEmpty()) {
            warning("engine.usernsRemap",
                    "userns-remap hides existing images and Swarm state, and forbids privileged and host-network "
                    + "services with no per-service opt-out in Swarm (D13)");
        }
        for (int i = 0; i < engine.hosts().size(); i++) {
            String host = engine.hosts().get(i);
            String path = "engine.hosts[" + i + "]";
            if (host.startsWith("unix://") || host.startsWith("fd://")) continue;
            if (!host.startsWith("tcp://")) continue; // ValueRules says what is expected
            URI uri;
            try {
                uri = new URI(host);
            } catch (java.net.URISyntaxException e) {
                continue; // malformed: ValueRules reports it at this key
            }
            if (uri.getHost() == null || uri.getRawUserInfo() != null) continue; // ValueRules: a login, not shown
            if (SpecText.isLoopback(uri.getHost())) {
                warning(path, "the Docker API on TCP is root access to anyone on this host who can reach " + host
                        + "; prefer the unix socket");
            } else {
                error(path, "the Docker API must never be reachable from outside: " + host
                        + " listens on a network address (R3.4, R7.6)");
            }
        }
        if (engine.maxConcurrentDownloads() < 1) error("engine.maxConcurrentDownloads", "must be at least 1");
        if (engine.maxConcurrentUploads() < 1) error("engine.maxConcurrentUploads", "must be at least 1");
        if (engine.logging().maxFile() < 1) error("engine.logging.maxFile", "must be at least 1");
        engine.ulimits().forEach((name, u) -> {
            if (u.soft() > u.hard()) {
                error("engine.ulimits." + name + ".soft", "soft limit " + u.soft() + " exceeds hard limit " + u.hard());
            }
        });
    }

    /** D6: the engine's data root must not hold (or sit in) the bind-mount volume tree. */
    private void storage() {
        HostPath dataRoot = spec.engine().dataRoot();
        var storage = spec.storage();
        if (dataRoot.nests(storage.volumes()) || dataRoot.equals(storage.data())) {
            error("engine.dataRoot", "data-root " + dataRoot + " overlaps the bind-mount volume tree "
                    + storage.volumes()
                    + ": Docker's own volume store " + dataRoot.resolve("volumes")
                    + " would share directories with the volumes kiban binds; "
                    + "keep it at /var/lib/docker on the SSD (D6)");
        }
        if (!storage.volumes().within(storage.data())) {
            warning("storage.volumes", storage.volumes() + " lies outside storage.data " + storage.data());
        }
        if (spec.backup().repository().nests(storage.volumes())) {
            error("backup.repository", "the backup repository " + spec.backup().repository() + " and the volume tree "
                    + storage.volumes()
                    + " overlap: a backup would copy itself");
        }
    }

    /**
     * backup.repositoryDisk: one of uuid or label, in the characters {@code /dev/disk/by-uuid} and {@code by-label}
     * names can hold (a name, never a path: no '/', no '.' or '..').
     */
    private void repositoryDisk() {
        var disk = spec.backup().repositoryDisk();
        if (disk.isEmpty()) return;
        var uuid = disk.get().uuid();
        var label = disk.get().label();
        if (uuid.isPresent() == label.isPresent()) {
            error("backup.repositoryDisk", "name the disk by one of uuid or label, e.g. {uuid: 1b2c3d4e-…} "
                    + "(blkid shows both)");
            return;
        }
        if (uuid.isPresent() && !uuid.get().matches("[0-9A-Fa-f][0-9A-Fa-f-]{0,63}")) {
            error("backup.repositoryDisk.uuid", "expected a filesystem UUID as blkid shows it (hexadecimal digits "
                    + "and '-', e.g. 1b2c3d4e-5f60-4a1b-9c2d-3e4f5a6b7c8d or 1A2B-3C4D)");
        }
        if (label.isPresent() && (!label.get().matches("[A-Za-z0-9_+:@=,-][A-Za-z0-9_.+:@=,-]{0,63}"))) {
            error("backup.repositoryDisk.label", "expected a filesystem label of letters, digits and _.+:@=,- "
                    + "(at most 64, not starting with '.'; no '/', space or '\\'), e.g. kiban-backup");
        }
    }

    private void monitor() {
        var monitor = spec.monitor();
        if (monitor.interval().duration().getSeconds() < 1) error("monitor.interval", "must be at least 1s");
        if (!monitor.metrics().listen().isLoopback()) {
            warning("monitor.metrics.listen", "metrics on " + monitor.metrics().listen()
                    + " are reachable from the network; 127.0.0.1 keeps them local");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < monitor.rules().size(); i++) {
            var rule = monitor.rules().get(i);
            String path = "monitor.rules[" + i + "]";
            if (names.contains(rule.name())) error(path + ".name", "rule \"" + rule.name() + "\" is declared twice");
            names.add(rule.name());
            boolean threshold = switch (rule.metric()) {
                case CPU, MEMORY, DISK -> true;
                default -> false;
            };
            if (threshold && rule.above().isEmpty()) {
                error(path + ".above", "a " + SpecBinder.enumKey(rule.metric())
                        + " rule needs a threshold, e.g. above: 80%");
            }
            if (!threshold && rule.above().isPresent()) {
                error(path + ".above", "a " + SpecBinder.enumKey(rule.metric()) + " rule has no threshold");
            }
            if (rule.clear().isPresent() && rule.above().isPresent()
                    && rule.clear().get().value() >= rule.above().get().value()) {
                error(path + ".clear", "clear (" + rule.clear().get() + ") must be below above (" + rule.above().get()
                        + "), or the alert would flap");
            }
            if (rule.metric() == PlatformSpec.Metric.RESTART_LOOP && rule.count().orElse(3) < 2) {
                error(path + ".count", "a restart loop needs at least 2 restarts");
            }
            if (rule.metric() != PlatformSpec.Metric.RESTART_LOOP
                    && (rule.count().isPresent() || rule.window().isPresent())) {
                error(path + (rule.count().isPresent() ? ".count" : ".window"),
                        "count and window belong to restart-loop rules");
            }
            for (int c = 0; c < rule.channels().size(); c++) {
                String ch = rule.channels().get(c);
                if (!PlatformSpec.Channels.NAMES.contains(ch)) {
                    error(path + ".channels[" + c + "]", "no channel \"" + ch + "\""
                            + Suggestion.nearest(ch, PlatformSpec.Channels.NAMES)
                            .map(s -> "; did you mean '" + s + "'?").orElse(" (channels: discord, mail, webhook)"));
                } else if (ch.equals("webhook") && monitor.channels().webhook().url().isEmpty()) {
                    error(path + ".channels[" + c + "]", "the webhook channel has no monitor.channels.webhook.url");
                }
            }
        }
        var mail = monitor.channels().mail();
        if (mail.smtpPort() < 1 || mail.smtpPort() > 65535) {
            error("monitor.channels.mail.smtpPort", "ports run from 1 to 65535");
        }
        if (mail.password().isPresent() && mail.username().isEmpty()) {
            error("monitor.channels.mail.username", "a password needs a username");
        }
    }

    private void security() {
        var sec = spec.security();
        if (sec.ssh().port() < 1 || sec.ssh().port() > 65535) error("security.ssh.port", "ports run from 1 to 65535");
        if (sec.ssh().allowUsers().isEmpty()) {
            error("security.ssh.allowUsers",
                    "name at least one user: with password and root login off, nobody could log in");
        }
        if (sec.ssh().allowUsers().contains("root") && !sec.ssh().permitRootLogin()) {
            warning("security.ssh.allowUsers",
                    "root is allowed but permitRootLogin is false, so root still cannot log in");
        }
        if (!sec.ssh().pubkeyAuthentication() && !sec.ssh().passwordAuthentication()) {
            error("security.ssh.pubkeyAuthentication",
                    "with both public-key and password authentication off, nobody can log in");
        }
        if (sec.fail2ban().maxretry() < 1) error("security.fail2ban.maxretry", "must be at least 1");
        for (int i = 0; i < sec.fail2ban().jails().size(); i++) {
            String jail = sec.fail2ban().jails().get(i);
            if (!List.of("sshd", "docker-api").contains(jail)) {
                error("security.fail2ban.jails[" + i + "]", "kiban renders the jails sshd and docker-api, not \""
                        + jail + "\"");
            }
        }
        if (!List.of("enforcing", "permissive", "disabled").contains(sec.selinux().mode())) {
            error("security.selinux.mode", "expected enforcing, permissive or disabled, got \"" + sec.selinux().mode()
                    + "\"");
        }
        if (!List.of("security", "default").contains(sec.updates().type())) {
            error("security.updates.type", "expected security or default, got \"" + sec.updates().type() + "\"");
        }
    }

    private void swarm() {
        var swarm = spec.swarm();
        if (swarm.dataPathPort() < 1024 || swarm.dataPathPort() > 49151) {
            error("swarm.dataPathPort", "the engine accepts 1024 to 49151");
        }
        if (!swarm.listenAddress().isAuto() && !swarm.advertiseAddress().isAuto()
                && !swarm.listenAddress().equals(swarm.advertiseAddress())) {
            warning("swarm.listenAddress",
                    "differs from advertiseAddress; other nodes reach this one at the advertise address");
        }
        if (!swarm.joinTokenFile().value().startsWith("/root/")
                && !swarm.joinTokenFile().value().startsWith("/etc/kiban/")) {
            warning("swarm.joinTokenFile",
                    "keep the join token under /root or /etc/kiban; kiban writes it 0600 wherever it is (R8.1)");
        }
        swarm.joinToken().filter(t -> t.kind() == SecretRef.Kind.LITERAL).ifPresent(t -> error("swarm.joinToken",
                "give the token as file:/path or env:NAME; a token written into the spec is read by everyone who "
                + "reads the spec"));
        swarm.managerJoinToken().filter(t -> t.kind() == SecretRef.Kind.LITERAL).ifPresent(t -> error(
                "swarm.managerJoinToken", "give the token as file:/path or env:NAME; a manager token in the spec "
                + "lets its reader take over the cluster"));
        var docker = spec.networks().docker();
        java.util.Map<String, Cidr> made = new java.util.LinkedHashMap<>();
        for (int i = 0; i < swarm.defaultAddrPool().size(); i++) {
            made.put("swarm.defaultAddrPool[" + i + "]", swarm.defaultAddrPool().get(i));
        }
        made.put("networks.docker.ingress", docker.ingress());
        made.put("networks.docker.gwbridge", docker.gwbridge());
        made.forEach((key, cidr) -> swarm.nodeNetworks().stream().filter(cidr::overlaps).findFirst().ifPresent(net ->
                error(key, cidr + " overlaps the node network " + net + " (swarm.nodeNetworks): the nodes would be "
                        + "routed into a Docker network and lose one another (D2)")));
        swarmNodes();
    }

    /** The declared nodes: unique names and addresses, inside the node networks, a quorum that makes sense (R8.3). */
    private void swarmNodes() {
        var swarm = spec.swarm();
        List<PlatformSpec.SwarmNode> nodes = swarm.nodes();
        if (nodes.isEmpty()) return;
        if (swarm.nodeNetworks().isEmpty()) {
            error("swarm.nodeNetworks", "the spec lists " + nodes.size() + " node(s) but no node network; the Swarm "
                    + "ports open only to these networks (D15), so give the network the nodes are on");
        }
        java.util.Map<String, Integer> names = new java.util.HashMap<>();
        java.util.Map<String, Integer> addresses = new java.util.HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            var node = nodes.get(i);
            String path = "swarm.nodes[" + i + "]";
            if (!node.name().matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?")) {
                error(path + ".name", "expected the node's hostname (letters, digits, '.' and '-'), got "
                        + SpecText.shown(node.name()));
            }
            Integer first = names.putIfAbsent(node.name(), i);
            if (first != null) {
                error(path + ".name", "node \"" + node.name() + "\" is already swarm.nodes[" + first + "]; "
                        + "Swarm tells nodes apart by hostname");
            }
            if (node.address().isAuto()) {
                error(path + ".address", "a node's address cannot be auto; give the address it advertises");
                continue;
            }
            Integer same = addresses.putIfAbsent(node.address().address(), i);
            if (same != null) {
                error(path + ".address", node.address() + " is already the address of swarm.nodes[" + same + "]");
            }
            long ip = Ipv4.parse(node.address().address());
            if (!swarm.nodeNetworks().isEmpty()
                    && swarm.nodeNetworks().stream().noneMatch(n -> n.range().overlaps(new AddressRange(ip, ip)))) {
                error(path + ".address", node.address() + " is outside swarm.nodeNetworks " + swarm.nodeNetworks()
                        + "; the firewall opens the Swarm ports only to those networks (D15)");
            }
            node.nodeLabels().forEach((k, v) -> {
                if (!k.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                    error(path + ".labels", "label " + SpecText.shown(k) + ": expected letters, digits, '.', "
                            + "'_' and '-'");
                }
            });
        }
        long managers = nodes.stream().filter(n -> n.role() == PlatformSpec.NodeRole.MANAGER).count();
        if (managers == 0) {
            error("swarm.nodes", "no node is a manager; a Swarm needs at least one (three tolerate one failure)");
        } else if (managers % 2 == 0) {
            warning("swarm.nodes", managers + " managers tolerate " + (managers - 1) / 2 + " failure(s), as "
                    + (managers - 1) + " would (quorum is a majority); use an odd number");
        } else if (managers > 7) {
            warning("swarm.nodes", managers + " managers slow every Raft write; Docker advises at most seven");
        }
    }

    /** Waivers name a known check, say why, and have not expired; failOn is a severity; the image age >= 1 day. */
    private void audit() {
        var audit = spec.audit();
        if (!List.of("low", "medium", "high", "critical").contains(audit.failOn())) {
            error("audit.failOn", "expected low, medium, high or critical, not \"" + audit.failOn() + "\"");
        }
        if (audit.maxImageAgeDays() < 1) {
            error("audit.maxImageAgeDays", "expected a number of days, at least 1, not " + audit.maxImageAgeDays());
        }
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        for (int i = 0; i < audit.waivers().size(); i++) {
            PlatformSpec.Waiver w = audit.waivers().get(i);
            String at = "audit.waivers[" + i + "].";
            if (!AuditIds.known(w.id())) {
                error(at + "id", "no audit check has the id \"" + w.id() + "\" (CIS ids such as 5.12, or kiban.…)");
            }
            if (w.reason().isBlank()) error(at + "reason", "a waiver says why the check may fail");
            try {
                if (java.time.LocalDate.parse(w.expires()).isBefore(today)) {
                    error(at + "expires", "the waiver expired on " + w.expires() + "; renew it or fix the finding");
                }
            } catch (java.time.format.DateTimeParseException e) {
                error(at + "expires", "expected a date YYYY-MM-DD, not \"" + w.expires() + "\"");
            }
        }
    }

    /** The image clean-up spares what is younger than a day at least; a read-back sample reads something. */
    private void maintenance() {
        var m = spec.maintenance();
        if (m.images().olderThan().duration().compareTo(java.time.Duration.ofDays(1)) < 0) {
            error("maintenance.images.olderThan", "expected a day at least (e.g. 30d): a younger image may be one "
                    + "a deploy is about to use, not " + m.images().olderThan());
        }
        if (!(m.verify().readData().value() > 0)) {
            error("maintenance.verify.readData", "expected more than 0% (5% reads each pack in about a year of "
                    + "weekly runs)");
        }
        m.offsiteCopy().ifPresent(this::offsiteCopy);
    }

    /**
     * The off-site copy's target and options: they land in a unit's ExecStart= argv, so each has its one form
     * ({@link OffsiteTarget}), and an option belongs to its kind of target (identity with sftp, endpoint with s3).
     */
    private void offsiteCopy(PlatformSpec.OffsiteCopy c) {
        String at = "maintenance.offsiteCopy.";
        OffsiteTarget kind;
        try {
            kind = OffsiteTarget.of(c.to());
        } catch (IllegalArgumentException e) {
            error(at + "to", e.getMessage());
            return;
        }
        if (kind == OffsiteTarget.LOCAL && (c.to().equals(spec.backup().repository().value())
                || c.to().startsWith(spec.backup().repository().value() + "/")
                || spec.backup().repository().value().startsWith(c.to() + "/"))) {
            error(at + "to", "the copy and the backup repository " + spec.backup().repository() + " overlap: a copy "
                    + "is a second repository elsewhere");
        }
        if (kind != OffsiteTarget.SFTP) {
            if (c.identity().isPresent()) error(at + "identity", "an identity goes with an sftp:// target");
            if (c.knownHosts().isPresent()) error(at + "knownHosts", "known hosts go with an sftp:// target");
        }
        if (kind != OffsiteTarget.S3) {
            if (c.endpoint().isPresent()) error(at + "endpoint", "an endpoint goes with an s3:// target");
            if (c.region().isPresent()) error(at + "region", "a region goes with an s3:// target");
            if (c.credentialsFile().isPresent()) {
                error(at + "credentialsFile", "a credentials file goes with an s3:// target");
            }
        }
        c.endpoint().flatMap(OffsiteTarget::endpointProblem).ifPresent(p -> error(at + "endpoint", p));
        c.region().flatMap(OffsiteTarget::regionProblem).ifPresent(p -> error(at + "region", p));
    }

    /** The dashboard's address parses; beyond loopback it has TLS and a token (else its pages are open in clear). */
    private void dashboard() {
        var d = spec.dashboard();
        java.net.InetAddress address;
        try {
            address = d.address();
            d.port();
        } catch (IllegalArgumentException e) {
            error("dashboard.bind", e.getMessage() + ", not " + SpecText.shown(d.bind()));
            return;
        }
        if (address.isAnyLocalAddress()) {
            error("dashboard.bind", "expected the one address the dashboard is reached at, not a wildcard ("
                    + SpecText.shown(d.bind()) + "): it refuses requests for other names");
        } else if (!address.isLoopbackAddress() && (d.tls().isEmpty() || d.tokenFile().isEmpty())) {
            error("dashboard.bind", SpecText.shown(d.bind()) + " is beyond loopback: set dashboard.tls "
                    + "(certificate, key) and dashboard.tokenFile too, or keep 127.0.0.1 and an SSH tunnel");
        }
    }

    /** An AWS region's shape, a cluster name ECS accepts, and a default size Fargate can hold. */
    private void migrate() {
        var m = spec.migrate();
        if (!m.region().matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            error("migrate.region", "expected an AWS region like ap-northeast-1, not \"" + m.region() + "\"");
        }
        if (!m.cluster().matches("[A-Za-z0-9_-]{1,255}")) {
            error("migrate.cluster", "an ECS cluster name is letters, digits, - and _ (at most 255)");
        }
        if (!(m.defaults().cpus() > 0 && m.defaults().cpus() <= 16)) {
            error("migrate.defaults.cpus", "expected more than 0 and at most 16 (Fargate's largest task)");
        }
        long mib = m.defaults().memory().bytes() >> 20;
        if (mib < 6 || mib > 120 * 1024) {
            error("migrate.defaults.memory", "expected 6M (ECS's least) to 120G (Fargate's largest task)");
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private void error(String path, String message) {
        problems.add(locator.problem(Severity.ERROR, path, message));
    }

    private void warning(String path, String message) {
        problems.add(locator.problem(Severity.WARNING, path, message));
    }
}
