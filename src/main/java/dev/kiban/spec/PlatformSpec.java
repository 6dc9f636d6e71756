package dev.kiban.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole platform as declared in {@code kiban.yaml}. Plain immutable values: no file-system or
 * engine types, so renderers and planners can be tested without a machine. Key names match the YAML;
 * {@link SpecBinder} maps the file onto these records and reports every mismatch.
 */
public record PlatformSpec(
        String apiVersion,
        String kind,
        Admin admin,
        Host host,
        Budget budget,
        Engine engine,
        Networks networks,
        Ports ports,
        Storage storage,
        Backup backup,
        Monitor monitor,
        Security security,
        Swarm swarm,
        Audit audit,
        Migrate migrate,
        Maintenance maintenance,
        Dashboard dashboard) {

    public static final String API_VERSION = "kiban.dev/v1";
    public static final String KIND = "Platform";

    /**
     * The spec with every {@code auto} decided for this host: the OS family, the Swarm addresses, and
     * the engine switches that depend on them (live-restore off with Swarm, D1; SELinux labels on
     * rhel, D11).
     */
    public PlatformSpec resolved(Family hostFamily, String primaryAddress) {
        Family family = host.family() == Family.AUTO ? hostFamily : host.family();
        HostAddress advertise = swarm.advertiseAddress().isAuto() ? new HostAddress(primaryAddress)
                : swarm.advertiseAddress();
        HostAddress listen = swarm.listenAddress().isAuto() ? advertise : swarm.listenAddress();
        Tristate liveRestore = engine.liveRestore() == Tristate.AUTO
                ? (swarm.enabled() ? Tristate.FALSE : Tristate.TRUE) : engine.liveRestore();
        Tristate selinux = engine.selinuxEnabled() == Tristate.AUTO
                ? (family == Family.RHEL ? Tristate.TRUE : Tristate.FALSE) : engine.selinuxEnabled();
        Host h = new Host(family, host.cpuCores(), host.cpuThreads(), host.memory(), host.disks(), host.swappiness());
        Engine e = new Engine(engine.hosts(), engine.dataRoot(), engine.storageDriver(), engine.logging(), liveRestore,
                engine.userlandProxy(),
                engine.noNewPrivileges(), engine.seccompProfile(), selinux, engine.usernsRemap(),
                engine.maxConcurrentDownloads(), engine.maxConcurrentUploads(), engine.ulimits(), engine.sysctl());
        Swarm s = new Swarm(swarm.enabled(), advertise, listen, swarm.defaultAddrPool(), swarm.subnetSize(),
                swarm.dataPathPort(), swarm.nodeNetworks(), swarm.joinTokenFile(), swarm.joinToken(),
                swarm.managerJoinToken(), swarm.nodes());
        return new PlatformSpec(apiVersion, kind, admin, h, budget, e, networks, ports, storage, backup, monitor,
                security, s, audit, migrate, maintenance, dashboard);
    }

    /** The mail recipients: the channel's own list, else the admin address. */
    public List<String> mailRecipients() {
        return monitor.channels().mail().to().isEmpty() ? List.of(admin.email()) : monitor.channels().mail().to();
    }

    public record Admin(String email) {}

    public record Host(Family family, int cpuCores, int cpuThreads, ByteSize memory, List<Disk> disks,
            int swappiness) {}

    public enum Family { AUTO, RHEL, DEBIAN }

    public record Disk(String name, HostPath mount, Optional<ByteSize> size) {}

    public record Budget(double overcommit, Share hostReserve, Share docker, Share spare) {
        /** The vCPUs that the sum of all services' CPU limits may reach (R1.2). */
        public double dockerVcpus() {
            return docker.cpus() * overcommit;
        }
    }

    public record Share(double cpus, ByteSize memory, Map<String, ByteSize> disks) {}

    public record Engine(
            List<String> hosts,
            HostPath dataRoot,
            String storageDriver,
            Logging logging,
            Tristate liveRestore,
            boolean userlandProxy,
            boolean noNewPrivileges,
            String seccompProfile,
            Tristate selinuxEnabled,
            String usernsRemap,
            int maxConcurrentDownloads,
            int maxConcurrentUploads,
            Map<String, Ulimit> ulimits,
            Map<String, String> sysctl) {}

    public record Logging(String driver, ByteSize maxSize, int maxFile, List<String> labels) {}

    public record Ulimit(long soft, long hard) {}

    public record Networks(List<LibvirtNetwork> libvirt, DockerNetworks docker) {}

    public record LibvirtNetwork(String name, Cidr cidr) {}

    public record DockerNetworks(Cidr bridge, Cidr gwbridge, Cidr ingress, ServiceNetworks services) {}

    /** The per-stack bridge networks: every /N from {@code from} to {@code to}. */
    public record ServiceNetworks(Cidr from, Cidr to) {
        public AddressRange range() {
            return new AddressRange(from.first(), to.last());
        }
    }

    public record Ports(Map<String, List<PortRange>> classes, List<PortRange> forbidden,
            @Key("public") List<PublicPort> publicPorts) {}

    public record PublicPort(PortRange port, @Key("class") String portClass, Optional<Protocol> protocol) {}

    public enum Protocol { TCP, UDP }

    public record Storage(HostPath data, HostPath volumes, HostPath images, HostPath localBackups, HostPath compose,
            HostPath commonEnv) {}

    public record Backup(Schedule schedule, HostPath repository, List<BackupSource> sources, Retention retention,
                         Optional<SecretRef> encryptionKey, HostPath log, Optional<RepositoryDisk> repositoryDisk) {}

    /**
     * The disk the backup repository must be on (issue 16): its filesystem's UUID or label, as
     * {@code /dev/disk/by-uuid} and {@code by-label} name it; one of the two.
     */
    public record RepositoryDisk(Optional<String> uuid, Optional<String> label) {}

    public enum BackupSource { VOLUMES, IMAGES, COMPOSE, SWARM }

    public record Retention(int keepLast, Optional<Integer> keepDaily, int keepWeekly, int keepMonthly) {}

    /** {@code history}: whether the agent keeps the metrics history the dashboard graphs (monitor.MetricHistory). */
    public record Monitor(TimeSpan interval, TimeSpan journalRetention, HostPath state, Metrics metrics,
            List<AlertRule> rules, Channels channels, Report report, boolean history) {
        /** The threshold of the first rule on {@code metric}, if the spec has one. */
        public Optional<Percent> threshold(Metric metric) {
            return rules.stream().filter(r -> r.metric() == metric).map(AlertRule::above).flatMap(Optional::stream)
                    .findFirst();
        }
    }

    /** {@code listen} may carry the port itself ({@code 127.0.0.1:9464}); then it is the one in force. */
    public record Metrics(ListenAddress listen, int port) {
        public Metrics {
            if (listen != null && listen.port().isPresent()) port = listen.port().get();
        }
    }

    /**
     * One alert rule (R6.2). {@code above} is the threshold and {@code clear} the level it must fall below
     * to resolve (hysteresis; default 90% of {@code above}); {@code for} how long a condition holds before
     * it fires; {@code repeat} how often a firing alert is sent again; {@code count} within {@code window}
     * for restart loops.
     */
    public record AlertRule(String name, Metric metric, Optional<Percent> above, Optional<Percent> clear,
            @Key("for") Optional<TimeSpan> forDuration, Optional<TimeSpan> repeat, Optional<Integer> count,
            Optional<TimeSpan> window, List<String> channels) {}

    /** What a rule watches; {@code NODE_DOWN} is a Swarm node down, or a manager the others cannot reach. */
    public enum Metric { CPU, MEMORY, DISK, CONTAINER_DOWN, RESTART_LOOP, REPLICAS, LOG_ERRORS, BACKUP, NODE_DOWN }

    public record Channels(Discord discord, Mail mail, Webhook webhook) {
        public static final List<String> NAMES = List.of("discord", "mail", "webhook");
    }

    public record Discord(SecretRef webhook) {}

    public record Mail(String smtpHost, int smtpPort, boolean starttls, Optional<String> username,
            Optional<SecretRef> password, String from, List<String> to) {}

    public record Webhook(Optional<SecretRef> url) {}

    public record Report(String detail, String range, List<String> services) {}

    public record Security(Ssh ssh, Fail2ban fail2ban, Selinux selinux, Updates updates, Firewall firewall) {}

    public record Ssh(int port, boolean permitRootLogin, boolean passwordAuthentication, boolean pubkeyAuthentication,
                      String authorizedKeysFile, List<String> allowUsers) {}

    public record Fail2ban(TimeSpan bantime, TimeSpan findtime, int maxretry, String action, List<String> jails) {}

    public record Selinux(String mode, String policy) {}

    public record Updates(String type, boolean download, boolean apply, String emailFrom, String emailHost) {}

    public record Firewall(String zone) {}

    /**
     * {@code kiban audit}: the checks waived, the severity from which a failed check fails the audit
     * ({@code low}, {@code medium}, {@code high}, {@code critical}), and the age in days from which a running
     * container's image is reported as old ({@code kiban.image.age}).
     */
    public record Audit(List<Waiver> waivers, String failOn, int maxImageAgeDays) {}

    /**
     * {@code kiban migrate ecs} (R10): the AWS region and ECS cluster it writes for (its options override
     * them), and the size of a service that declares no limits or reservations.
     */
    public record Migrate(String region, String cluster, MigrateDefaults defaults) {}

    public record MigrateDefaults(double cpus, ByteSize memory) {}

    /**
     * The weekly routine (R9.1), each job a systemd timer {@code kiban apply} writes and a line a run in its log
     * under {@code logs}: the image clean-up (D9), a sampled read-back of the backup, the engine's update window
     * (D16); and, when {@code offsiteCopy} is set, a copy of the backup repository to a second place after the
     * weekly backup (R5).
     */
    public record Maintenance(ImageCleanup images, BackupCheck verify, EngineUpdate engineUpdate, HostPath logs,
            Optional<OffsiteCopy> offsiteCopy) {}

    /**
     * {@code kiban backup copy --to TARGET} on a timer: {@code to} is a local absolute path,
     * {@code sftp://user@host[:port]/path} or {@code s3://bucket[/prefix]}; {@code schedule} empty: the backup's
     * own, run after it. {@code identity} and {@code knownHosts} go with sftp, {@code endpoint}, {@code region}
     * and {@code credentialsFile} with s3 (validated in {@code SpecRules}, since they land in a unit's argv).
     */
    public record OffsiteCopy(String to, Optional<Schedule> schedule, Optional<HostPath> identity,
            Optional<HostPath> knownHosts, Optional<String> endpoint, Optional<String> region,
            Optional<HostPath> credentialsFile) {}

    /**
     * {@code kiban dashboard}: served by kiban-dashboard.service when {@code enabled}; {@code bind} is ADDR:PORT,
     * and beyond loopback {@code tls} and {@code tokenFile} are required.
     */
    public record Dashboard(boolean enabled, String bind, Optional<DashboardTls> tls, Optional<HostPath> tokenFile) {
        /** {@code bind}'s address, an IP literal ({@code [::1]} in brackets); IllegalArgumentException when not. */
        public java.net.InetAddress address() {
            return address(bind);
        }

        public int port() {
            return port(bind);
        }

        /** ADDR:PORT's address: only an IP literal, so nothing is looked up. */
        public static java.net.InetAddress address(String bind) {
            int colon = bind == null ? -1 : bind.lastIndexOf(':');
            String host = colon < 1 ? "" : bind.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            else if (host.contains(":")) host = "";
            if (!host.matches("[0-9.]{7,15}|[0-9a-fA-F:]{2,39}")) {
                throw new IllegalArgumentException("expected ADDR:PORT with an IP address, such as 127.0.0.1:9440 or "
                        + "[::1]:9440");
            }
            try {
                return java.net.InetAddress.getByName(host);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("expected ADDR:PORT with an IP address, such as 127.0.0.1:9440");
            }
        }

        public static int port(String bind) {
            int colon = bind == null ? -1 : bind.lastIndexOf(':');
            try {
                int port = Integer.parseInt(bind.substring(colon + 1));
                if (colon > 0 && port >= 0 && port <= 65535) return port;
            } catch (RuntimeException e) {
                // below
            }
            throw new IllegalArgumentException("expected ADDR:PORT with a port from 0 to 65535, such as "
                    + "127.0.0.1:9440");
        }
    }

    /** The dashboard's certificate chain and key, PEM files. */
    public record DashboardTls(HostPath certificate, HostPath key) {}

    /** {@code kiban images prune}: dangling images, and unused ones built longer ago than {@code olderThan}. */
    public record ImageCleanup(Schedule schedule, TimeSpan olderThan) {}

    /** {@code kiban backup verify --read-data-subset}: the share of the packs read back. */
    public record BackupCheck(Schedule schedule, Percent readData) {}

    /** The engine's packages, held back from automatic updates (D16), updated at this time. */
    public record EngineUpdate(Schedule schedule) {}

    /** A check the operator accepts failing: its id, why, and until when ({@code YYYY-MM-DD}, inclusive). */
    public record Waiver(String id, String reason, String expires) {}

    /**
     * The Swarm (R8). {@code nodes} lists every node of the cluster as the operator means it to be (empty: this
     * host alone); {@code joinToken}/{@code managerJoinToken} are read on a joining host only, from a file or the
     * environment, never from the spec's text or the command line.
     */
    public record Swarm(boolean enabled, HostAddress advertiseAddress, HostAddress listenAddress,
            List<Cidr> defaultAddrPool, int subnetSize, int dataPathPort, List<Cidr> nodeNetworks,
            HostPath joinTokenFile, Optional<SecretRef> joinToken, Optional<SecretRef> managerJoinToken,
            List<SwarmNode> nodes) {
        /** The declared node of that hostname. */
        public Optional<SwarmNode> node(String hostname) {
            return nodes.stream().filter(n -> n.name().equals(hostname)).findFirst();
        }

        /** The declared node at that address. */
        public Optional<SwarmNode> nodeAt(String address) {
            return nodes.stream().filter(n -> n.address().address().equals(address)).findFirst();
        }

        /** The addresses of the declared managers, where a joining node finds the cluster. */
        public List<String> managerAddresses() {
            return nodes.stream().filter(n -> n.role() == NodeRole.MANAGER).map(n -> n.address().address()).toList();
        }
    }

    /** One node of the Swarm: its hostname, the address it advertises, its role, labels and availability. */
    public record SwarmNode(String name, HostAddress address, NodeRole role, Optional<Map<String, String>> labels,
            Optional<NodeAvailability> availability) {
        /** The labels the spec gives this node (none when the key is absent). */
        public Map<String, String> nodeLabels() {
            return labels.orElse(Map.of());
        }

        /** The availability the spec asks for; active unless it says otherwise. */
        public NodeAvailability wantedAvailability() {
            return availability.orElse(NodeAvailability.ACTIVE);
        }
    }

    public enum NodeRole { MANAGER, WORKER }

    public enum NodeAvailability { ACTIVE, PAUSE, DRAIN }
}
