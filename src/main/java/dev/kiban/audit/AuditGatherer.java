package dev.kiban.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.engine.ContainerHardening;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.DaemonSecurity;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineInfo;
import dev.kiban.engine.EngineNotFoundException;
import dev.kiban.engine.EngineObjects;
import dev.kiban.os.HostPrograms;
import dev.kiban.os.HostRoot;
import dev.kiban.spec.AuditedPaths;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecNode;
import dev.kiban.spec.SpecReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The audit's one edge of I/O: asks the engine, reads daemon.json, the systemd units, {@code /proc/net/tcp}
 * and file stats under the root, runs {@code sshd -T}, and gathers the hardening services (fail2ban, SELinux,
 * the firewall, DOCKER-USER, the update timers, apt's and journald's files), once. Whatever cannot be read becomes an
 * unreadable {@link Fact} with the reason, so only the checks that need it are ERROR: an engine lost
 * half-way leaves the facts it already gave and the host's.
 */
public final class AuditGatherer {
    /** The files sections 3 and kiban's socket checks look at. */
    public static final List<String> FILES = List.of("/lib/systemd/system/docker.service",
            "/usr/lib/systemd/system/docker.service", "/lib/systemd/system/docker.socket",
            "/usr/lib/systemd/system/docker.socket", "/etc/docker", "/etc/docker/daemon.json", "/etc/default/docker",
            "/etc/sysconfig/docker", "/var/run/docker.sock", "/run/containerd/containerd.sock",
            "/etc/docker/certs.d");
    private static final List<String> UNITS = List.of("/lib/systemd/system/docker.service",
            "/usr/lib/systemd/system/docker.service", "/etc/systemd/system/docker.service");
    private static final Duration SSHD_TIMEOUT = Duration.ofSeconds(10);
    /** The time any other host program is given to answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private AuditGatherer() {}

    /** Gathers the facts; {@code engine} connects (it may throw when no engine answers). */
    public static AuditFacts gather(PlatformSpec spec, Supplier<Engine> engine, HostPrograms programs, Path root) {
        Fact<EngineInfo> info;
        Fact<DaemonSecurity> daemon;
        Fact<List<ContainerHardening>> containers;
        Engine e;
        try {
            e = engine.get();
        } catch (RuntimeException ex) {
            String why = "the engine could not be reached: " + ex.getMessage();
            Fact<JsonNode> json = daemonJson(root);
            return new AuditFacts(spec, Fact.unreadable(why), Fact.unreadable(why), Fact.unreadable(why), json,
                    sshd(programs, root), files(spec, root, json), Fact.unreadable(why),
                    services(spec, programs, root));
        }
        info = ask(e::info);
        daemon = ask(e::daemonSecurity);
        containers = ask(() -> running(e));
        Fact<EngineObjects> objects = ask(e::auditObjects);
        Fact<JsonNode> json = daemonJson(root);
        return new AuditFacts(spec, info, daemon, containers, json, sshd(programs, root), files(spec, root, json),
                objects, services(spec, programs, root));
    }

    private static <T> Fact<T> ask(Supplier<T> call) {
        try {
            return Fact.of(call.get());
        } catch (RuntimeException ex) {
            return Fact.unreadable("the engine did not answer: " + ex.getMessage());
        }
    }

    /** The running containers' inspect data; one removed between the list and its inspect is left out. */
    private static List<ContainerHardening> running(Engine e) {
        List<ContainerHardening> out = new ArrayList<>();
        for (ContainerSummary c : e.containers()) {
            if (!c.running()) continue;
            try {
                out.add(e.hardening(c.id()));
            } catch (EngineNotFoundException gone) {
                // removed meanwhile: nothing to audit
            }
        }
        return out;
    }

    static Fact<JsonNode> daemonJson(Path root) {
        Path p = HostRoot.resolve(root, "/etc/docker/daemon.json");
        try {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return Fact.of(new ObjectMapper().createObjectNode());
            // a link could lead anywhere (under --root, to a file whose text the parser's message would quote)
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return Fact.unreadable("/etc/docker/daemon.json is not a regular file (a link is not followed)");
            }
            JsonNode n = new ObjectMapper().readTree(Files.readString(p, StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) return Fact.unreadable("/etc/docker/daemon.json is not a JSON object");
            return Fact.of(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            // the parser's message quotes the text it met: only where is said
            return Fact.unreadable("/etc/docker/daemon.json is not valid JSON (line "
                    + (ex.getLocation() == null ? "?" : ex.getLocation().getLineNr()) + ")");
        } catch (IOException ex) {
            return Fact.unreadable("/etc/docker/daemon.json could not be read: " + ex.getMessage());
        }
    }

    /** {@code sshd -T}: the effective settings after every Include and drop-in. */
    static Fact<Map<String, String>> sshd(HostPrograms programs, Path root) {
        var sshd = programs.findUnder(root, "sshd");
        if (sshd.isEmpty()) return Fact.unreadable("sshd is not installed");
        List<String> argv = new ArrayList<>(List.of(sshd.get().toString(), "-T"));
        if (!HostRoot.isSystemRoot(root)) {
            argv.addAll(List.of("-f", HostRoot.resolve(root, "/etc/ssh/sshd_config").toString()));
        }
        try {
            HostPrograms.Result r = programs.run(argv, SSHD_TIMEOUT);
            if (!r.ok()) return Fact.unreadable("sshd -T failed: " + r.gist());
            return Fact.of(parseSshd(r.output()));
        } catch (IOException ex) {
            return Fact.unreadable("sshd -T could not run: " + ex.getMessage());
        }
    }

    /** {@code sshd -T} output: lower-case keys, a repeated key's values joined by a space. */
    public static Map<String, String> parseSshd(String output) {
        Map<String, String> out = new TreeMap<>();
        for (String line : output.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) continue;
            int sp = l.indexOf(' ');
            String key = (sp < 0 ? l : l.substring(0, sp)).toLowerCase(java.util.Locale.ROOT);
            String value = sp < 0 ? "" : l.substring(sp + 1).strip();
            out.merge(key, value, (a, b) -> a + " " + b);
        }
        return out;
    }

    static Fact<AuditFacts.HostFiles> files(PlatformSpec spec, Path root, Fact<JsonNode> daemonJson) {
        Map<String, FileFact> stats = new LinkedHashMap<>();
        for (String f : FILES) stats.put(f, stat(root, f));
        daemonJson.value().ifPresent(j -> {
            for (String key : DaemonChecks.TLS_FILES) {
                String f = j.path(key).asText("");
                if (f.startsWith("/") && HostRoot.problem(f).isEmpty()) stats.put(f, stat(root, f));
            }
        });
        Path certs = HostRoot.resolve(root, DaemonChecks.REGISTRY_CERTS);
        if (Files.isDirectory(certs, LinkOption.NOFOLLOW_LINKS)) {
            try (var walk = Files.walk(certs, 2)) {
                walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).limit(200).forEach(p -> {
                    String host = DaemonChecks.REGISTRY_CERTS + "/" + certs.relativize(p).toString();
                    stats.put(host, stat(root, host));
                });
            } catch (IOException ex) {
                return Fact.unreadable(DaemonChecks.REGISTRY_CERTS + " could not be listed: " + ex.getMessage());
            }
        }
        for (String id : AuditedPaths.BY_ID.keySet()) {
            for (String f : AuditedPaths.paths(id, spec)) if (f.startsWith("/")) stats.put(f, stat(root, f));
        }
        StringBuilder units = new StringBuilder();
        List<Path> unitFiles = new ArrayList<>();
        for (String u : UNITS) unitFiles.add(HostRoot.resolve(root, u));
        Path dropins = HostRoot.resolve(root, "/etc/systemd/system/docker.service.d");
        if (Files.isDirectory(dropins, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dropins, "*.conf")) {
                ds.forEach(unitFiles::add);
            } catch (IOException ex) {
                return Fact.unreadable(dropins + " could not be listed: " + ex.getMessage());
            }
        }
        try {
            for (Path p : unitFiles) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) units.append(Files.readString(p)).append('\n');
            }
            List<Integer> ports = new ArrayList<>();
            for (String t : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path p = HostRoot.resolve(root, t);
                if (Files.isRegularFile(p)) ports.addAll(listening(Files.readString(p)));
            }
            return Fact.of(new AuditFacts.HostFiles(stats, units.toString(), ports, auditRules(root),
                    mountPoints(root), dockerGroup(root)));
        } catch (IOException ex) {
            return Fact.unreadable("the docker units could not be read: " + ex.getMessage());
        }
    }

    /** The largest compose file read to place a finding: a compose file is a few KiB; more is not one. */
    static final long COMPOSE_LIMIT = 1 << 20;

    /**
     * The line of {@code services: NAME:} in the compose file {@code file} under the root, to place a workload's
     * finding (SARIF); empty when the file is not a regular file (a link is not followed), is larger than
     * {@link #COMPOSE_LIMIT}, is not YAML or has no such service.
     */
    public static Optional<Integer> composeServiceLine(Path root, String file, String service) {
        if (!file.startsWith("/") || HostRoot.problem(file).isPresent()) return Optional.empty();
        Path p = HostRoot.resolve(root, file);
        try {
            var a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() || a.size() > COMPOSE_LIMIT) return Optional.empty();
            SpecNode tree = SpecReader.read(file, Files.readString(p, StandardCharsets.UTF_8), new ArrayList<>());
            if (!(tree instanceof SpecNode.Mapping m) || !(m.get("services") instanceof SpecNode.Mapping services)) {
                return Optional.empty();
            }
            SpecNode.Entry e = services.entries().get(service);
            return e == null ? Optional.empty() : Optional.of(e.keyLocation().line());
        } catch (IOException | RuntimeException ex) {
            return Optional.empty();
        }
    }

    /** The mount points of {@code /proc/mounts} (octal escapes such as {@code \\040} decoded); none without it. */
    static List<String> mountPoints(Path root) throws IOException {
        return dev.kiban.os.Mounts.points(root);
    }

    /** The docker group's members as {@code /etc/group} lists them. */
    static List<String> dockerGroup(Path root) throws IOException {
        Path p = HostRoot.resolve(root, "/etc/group");
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return List.of();
        for (String line : Files.readString(p).split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 4 && f[0].equals("docker")) {
                return java.util.Arrays.stream(f[3].split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList();
            }
        }
        return List.of();
    }

    /** auditd's rules as augenrules would load them: audit.rules and every rules.d/*.rules, in order. */
    static String auditRules(Path root) throws IOException {
        StringBuilder out = new StringBuilder();
        Path main = HostRoot.resolve(root, "/etc/audit/audit.rules");
        if (Files.isRegularFile(main, LinkOption.NOFOLLOW_LINKS)) out.append(Files.readString(main)).append('\n');
        Path dir = HostRoot.resolve(root, "/etc/audit/rules.d");
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.rules")) {
                ds.forEach(files::add);
            }
            files.sort(null);
            for (Path p : files) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) out.append(Files.readString(p)).append('\n');
            }
        }
        return out.toString();
    }

    /** The local ports in state LISTEN (0A) of a {@code /proc/net/tcp} table. */
    public static List<Integer> listening(String table) {
        List<Integer> out = new ArrayList<>();
        for (String line : table.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 4 || !f[3].equals("0A")) continue;
            int colon = f[1].lastIndexOf(':');
            if (colon < 0) continue;
            try {
                out.add(Integer.parseInt(f[1].substring(colon + 1), 16));
            } catch (NumberFormatException ex) {
                // not a row of the table
            }
        }
        return out;
    }

    /** The units whose being enabled runs the automatic updates, per family. */
    static List<String> updateTimers(Family family) {
        return family == Family.RHEL ? List.of("dnf-automatic.timer")
                : List.of("apt-daily.timer", "apt-daily-upgrade.timer");
    }

    /** Where journald's drop-ins are, the first the one that wins over a file of the same name in the others. */
    static final List<String> JOURNALD_DIRS = List.of("/etc/systemd/journald.conf.d", "/run/systemd/journald.conf.d",
            "/usr/local/lib/systemd/journald.conf.d", "/usr/lib/systemd/journald.conf.d");

    /**
     * The host's hardening services: what the running system says (only on {@code /}: under another root each of
     * those parts is unreadable, saying why) and what its files say (read under the root, no link followed).
     */
    static Fact<HostServices> services(PlatformSpec spec, HostPrograms programs, Path root) {
        boolean system = HostRoot.isSystemRoot(root);
        boolean rhel = spec.host().family() == Family.RHEL;
        boolean labelled = rhel && spec.security().selinux().mode().equals("enforcing");
        return Fact.of(new HostServices(
                system ? fail2ban(programs, root) : notHere("fail2ban-client"),
                rhel ? selinux(programs, root) : Fact.unreadable("SELinux is rhel's; debian confines with AppArmor"),
                labelled ? labels(programs, root, spec.storage().volumes().value()) : Fact.of(Map.of()),
                system ? (rhel ? firewalld(programs, root) : nftables(programs, root)) : notHere(rhel ? "firewall-cmd"
                        : "nft"),
                system ? dockerUser(programs, root) : notHere("iptables"),
                timers(programs, root, updateTimers(spec.host().family())),
                rhel ? Fact.unreadable("apt is debian's") : apt(root),
                journald(root),
                system ? active(programs, "auditd.service") : notHere("systemctl is-active")));
    }

    /** {@code systemctl is-active UNIT}: active, inactive, failed, activating… */
    static Fact<String> active(HostPrograms programs, String unit) {
        var systemctl = programs.find("systemctl");
        if (systemctl.isEmpty()) return Fact.unreadable("systemctl is not installed");
        try {
            HostPrograms.Result r = run(programs, systemctl.get(), "is-active", unit);
            String first = r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
            return Fact.of(first.matches("[a-z-]+") ? first : "unknown");
        } catch (IOException ex) {
            return Fact.unreadable("systemctl could not run: " + ex.getMessage());
        }
    }

    private static <T> Fact<T> notHere(String program) {
        return Fact.unreadable(program + " asks the running system, which is not the tree given with --root: "
                + "run the audit on the host itself");
    }

    private static Optional<Path> program(HostPrograms programs, Path root, String name) {
        return programs.findUnder(root, name);
    }

    private static HostPrograms.Result run(HostPrograms programs, Path program, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(program.toString()));
        argv.addAll(List.of(args));
        return programs.run(argv, TIMEOUT);
    }

    static Fact<HostServices.Fail2ban> fail2ban(HostPrograms programs, Path root) {
        var client = program(programs, root, "fail2ban-client");
        if (client.isEmpty()) return Fact.of(new HostServices.Fail2ban(false, "fail2ban is not installed", List.of()));
        try {
            HostPrograms.Result r = run(programs, client.get(), "status");
            if (!r.ok()) return Fact.of(new HostServices.Fail2ban(false, "fail2ban-client status: " + r.gist(),
                    List.of()));
            return Fact.of(new HostServices.Fail2ban(true, "running", parseJails(r.output())));
        } catch (IOException ex) {
            return Fact.unreadable("fail2ban-client could not run: " + ex.getMessage());
        }
    }

    /** The jails of {@code fail2ban-client status}: its {@code Jail list:} line, split at the commas. */
    public static List<String> parseJails(String output) {
        for (String line : output.split("\n")) {
            int at = line.indexOf("Jail list:");
            if (at < 0) continue;
            return java.util.Arrays.stream(line.substring(at + "Jail list:".length()).split(","))
                    .map(String::strip).filter(j -> !j.isEmpty()).toList();
        }
        return List.of();
    }

    /** SELinux's mode: getenforce where it runs (on {@code /}), else {@code /sys/fs/selinux/enforce} under the root. */
    static Fact<String> selinux(HostPrograms programs, Path root) {
        boolean system = HostRoot.isSystemRoot(root);
        var getenforce = system ? program(programs, root, "getenforce") : Optional.<Path>empty();
        try {
            if (getenforce.isPresent()) {
                HostPrograms.Result r = run(programs, getenforce.get());
                if (!r.ok()) return Fact.unreadable("getenforce failed: " + r.gist());
                return Fact.of(r.output().strip());
            }
            Path enforce = HostRoot.resolve(root, "/sys/fs/selinux/enforce");
            if (!Files.exists(enforce, LinkOption.NOFOLLOW_LINKS)) {
                return system ? Fact.of("Disabled") : Fact.unreadable("no /sys/fs/selinux/enforce under the root: "
                        + "SELinux's mode is the running kernel's; run the audit on the host itself");
            }
            if (!Files.isRegularFile(enforce, LinkOption.NOFOLLOW_LINKS)) {
                return Fact.unreadable("/sys/fs/selinux/enforce is not a regular file (a link is not followed)");
            }
            String v = Files.readString(enforce, StandardCharsets.US_ASCII).strip();
            return v.equals("1") ? Fact.of("Enforcing") : v.equals("0") ? Fact.of("Permissive")
                    : Fact.unreadable("/sys/fs/selinux/enforce holds neither 0 nor 1");
        } catch (IOException ex) {
            return Fact.unreadable("SELinux's mode could not be read: " + ex.getMessage());
        }
    }

    /**
     * The SELinux context of each directory ({@code stat -c %C}, which does not follow a link): empty when the file
     * has none; a path that does not exist is left out, one that is not a directory is said so.
     */
    static Fact<Map<String, String>> labels(HostPrograms programs, Path root, String... paths) {
        Map<String, String> out = new LinkedHashMap<>();
        var stat = programs.find("stat");
        for (String path : paths) {
            if (HostRoot.problem(path).isPresent()) continue;
            Path p = HostRoot.resolve(root, path);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) continue;
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                out.put(path, "(not a directory)");
                continue;
            }
            if (stat.isEmpty()) return Fact.unreadable("stat is not installed: the labels cannot be read");
            try {
                HostPrograms.Result r = run(programs, stat.get(), "-c", "%C", p.toString());
                if (!r.ok()) return Fact.unreadable("stat -c %C " + path + " failed: " + r.gist());
                String label = r.output().strip();
                out.put(path, label.equals("?") ? "" : label);
            } catch (IOException ex) {
                return Fact.unreadable("stat could not run: " + ex.getMessage());
            }
        }
        return Fact.of(out);
    }

    /** firewalld: its state, then the zones in use (the default zone and the active ones). */
    static Fact<HostServices.Firewall> firewalld(HostPrograms programs, Path root) {
        var cmd = program(programs, root, "firewall-cmd");
        if (cmd.isEmpty()) return Fact.of(new HostServices.Firewall(false, "firewalld is not installed", List.of()));
        try {
            HostPrograms.Result state = run(programs, cmd.get(), "--state");
            if (!state.ok()) return Fact.of(new HostServices.Firewall(false, "firewall-cmd --state: " + state.gist(),
                    List.of()));
            HostPrograms.Result def = run(programs, cmd.get(), "--get-default-zone");
            HostPrograms.Result active = run(programs, cmd.get(), "--get-active-zones");
            List<String> zones = new ArrayList<>();
            if (def.ok() && !def.output().isBlank()) zones.add(def.output().strip());
            if (active.ok()) parseActiveZones(active.output()).stream().filter(z -> !zones.contains(z))
                    .forEach(zones::add);
            return Fact.of(new HostServices.Firewall(true, state.output().strip(), zones));
        } catch (IOException ex) {
            return Fact.unreadable("firewall-cmd could not run: " + ex.getMessage());
        }
    }

    /** The zones of {@code firewall-cmd --get-active-zones}: the lines that are not indented. */
    public static List<String> parseActiveZones(String output) {
        return output.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(l -> l.strip().replaceFirst("\\s*\\(.*\\)$", "")).toList();
    }

    /** nftables: the tables loaded ({@code nft list tables}), as {@code family name}. */
    static Fact<HostServices.Firewall> nftables(HostPrograms programs, Path root) {
        var nft = program(programs, root, "nft");
        if (nft.isEmpty()) return Fact.of(new HostServices.Firewall(false, "nftables is not installed", List.of()));
        try {
            HostPrograms.Result r = run(programs, nft.get(), "list", "tables");
            if (!r.ok()) return Fact.of(new HostServices.Firewall(false, "nft list tables: " + r.gist(), List.of()));
            return Fact.of(new HostServices.Firewall(true, "nft list tables", parseTables(r.output())));
        } catch (IOException ex) {
            return Fact.unreadable("nft could not run: " + ex.getMessage());
        }
    }

    /** {@code nft list tables}: one {@code table FAMILY NAME} a line, as {@code FAMILY NAME}. */
    public static List<String> parseTables(String output) {
        return output.lines().map(String::strip).filter(l -> l.startsWith("table "))
                .map(l -> l.substring("table ".length()).strip().replaceAll("\\s+", " ")).toList();
    }

    /** {@code iptables -S DOCKER-USER}: the chain's rules; none when the chain does not exist. */
    static Fact<List<String>> dockerUser(HostPrograms programs, Path root) {
        var iptables = program(programs, root, "iptables");
        if (iptables.isEmpty()) return Fact.unreadable("iptables is not installed");
        try {
            HostPrograms.Result r = run(programs, iptables.get(), "-S", "DOCKER-USER");
            if (!r.ok() && r.output().contains("No chain/target/match")) return Fact.of(List.of());
            if (!r.ok()) return Fact.unreadable("iptables -S DOCKER-USER failed: " + r.gist());
            return Fact.of(parseRules(r.output()));
        } catch (IOException ex) {
            return Fact.unreadable("iptables could not run: " + ex.getMessage());
        }
    }

    /** The rule lines of {@code iptables -S}, each with single spaces; warnings and blank lines left out. */
    public static List<String> parseRules(String output) {
        return output.lines().map(String::strip).filter(l -> l.startsWith("-N ") || l.startsWith("-A ")
                || l.startsWith("-P ")).map(l -> l.replaceAll("\\s+", " ")).toList();
    }

    /**
     * {@code systemctl is-enabled} of each unit: on {@code /} the running manager's answer, under another root
     * systemctl's {@code --root}, which reads the tree's unit files; the first word it prints.
     */
    static Fact<Map<String, String>> timers(HostPrograms programs, Path root, List<String> units) {
        var systemctl = programs.find("systemctl");
        if (systemctl.isEmpty()) return Fact.unreadable("systemctl is not installed");
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String unit : units) {
                HostPrograms.Result r = HostRoot.isSystemRoot(root) ? run(programs, systemctl.get(), "is-enabled", unit)
                        : run(programs, systemctl.get(), "--root=" + root.toAbsolutePath(), "is-enabled", unit);
                String first = r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
                out.put(unit, first.matches("[a-z-]+") ? first : r.ok() ? "enabled" : "not-found");
            }
            return Fact.of(out);
        } catch (IOException ex) {
            return Fact.unreadable("systemctl could not run: " + ex.getMessage());
        }
    }

    /** apt's parts take names of letters, digits, '_', '-' and '.', with no extension or .conf (apt-config's rule). */
    static boolean aptPart(String name) {
        return name.matches("[A-Za-z0-9_.\\-]+") && (!name.contains(".") || name.endsWith(".conf"));
    }

    /** The effective APT::Periodic settings: the parts of /etc/apt/apt.conf.d in order, then /etc/apt/apt.conf. */
    static Fact<Map<String, String>> apt(Path root) {
        try {
            List<String> texts = new ArrayList<>();
            Path dir = HostRoot.resolve(root, "/etc/apt/apt.conf.d");
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                List<Path> parts = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                    ds.forEach(p -> {
                        if (aptPart(p.getFileName().toString())) parts.add(p);
                    });
                }
                parts.sort(null);
                for (Path p : parts) texts.add(regular(p, "/etc/apt/apt.conf.d/" + p.getFileName()).orElse(""));
            }
            texts.add(regular(HostRoot.resolve(root, "/etc/apt/apt.conf"), "/etc/apt/apt.conf").orElse(""));
            Map<String, String> periodic = new java.util.TreeMap<>();
            ConfigFiles.apt(texts).forEach((k, v) -> {
                if (k.startsWith("apt::periodic::")) periodic.put(k, v);
            });
            return Fact.of(periodic);
        } catch (IOException ex) {
            return Fact.unreadable(ex.getMessage());
        }
    }

    /**
     * journald's effective {@code [Journal]} settings: journald.conf, then the drop-ins of every directory sorted
     * by name, a name in an earlier directory hiding the same name in later ones (a link to /dev/null masks it).
     */
    static Fact<Map<String, String>> journald(Path root) {
        try {
            List<String> texts = new ArrayList<>();
            texts.add(regular(HostRoot.resolve(root, "/etc/systemd/journald.conf"), "/etc/systemd/journald.conf")
                    .orElse(""));
            Map<String, Path> dropins = new java.util.TreeMap<>();
            Map<String, String> shown = new java.util.HashMap<>();
            for (String d : JOURNALD_DIRS) {
                Path dir = HostRoot.resolve(root, d);
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) continue;
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.conf")) {
                    for (Path p : ds) {
                        String name = p.getFileName().toString();
                        if (dropins.containsKey(name) || !name.matches("[A-Za-z0-9_.@+\\-]+")) continue;
                        dropins.put(name, p);
                        shown.put(name, d + "/" + name);
                    }
                }
            }
            for (var e : dropins.entrySet()) {
                Path p = e.getValue();
                if (Files.isSymbolicLink(p) && Files.readSymbolicLink(p).toString().equals("/dev/null")) continue;
                texts.add(regular(p, shown.get(e.getKey())).orElse(""));
            }
            return Fact.of(ConfigFiles.journald(texts));
        } catch (IOException ex) {
            return Fact.unreadable(ex.getMessage());
        }
    }

    /**
     * A file's text, empty when there is none; one that is a link or not a regular file is refused, naming only
     * where it is (never what it holds).
     */
    static Optional<String> regular(Path p, String shown) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(shown + " is not a regular file (a link is not followed)");
        }
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (java.nio.charset.CharacterCodingException ex) {
            throw new IOException(shown + " is not UTF-8 text", ex);
        } catch (IOException ex) {
            throw new IOException(shown + " could not be read", ex);
        }
    }

    static FileFact stat(Path root, String path) {
        Path p = HostRoot.resolve(root, path);
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int mode = 0;
            for (PosixFilePermission perm : a.permissions()) mode |= 1 << (8 - perm.ordinal());
            return new FileFact(path, true, a.owner().getName(), a.group().getName(), mode);
        } catch (IOException | UnsupportedOperationException ex) {
            return FileFact.absent(path);
        }
    }
}
