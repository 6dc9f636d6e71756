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
import dev.kiban.spec.PlatformSpec;
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
 * and file stats under the root, and runs {@code sshd -T}, once. Whatever cannot be read becomes an
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
                    sshd(programs, root), files(root, json), Fact.unreadable(why));
        }
        info = ask(e::info);
        daemon = ask(e::daemonSecurity);
        containers = ask(() -> running(e));
        Fact<EngineObjects> objects = ask(e::auditObjects);
        Fact<JsonNode> json = daemonJson(root);
        return new AuditFacts(spec, info, daemon, containers, json, sshd(programs, root), files(root, json),
                objects);
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

    static Fact<AuditFacts.HostFiles> files(Path root, Fact<JsonNode> daemonJson) {
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
        for (String f : HostChecks.AUDITED.values()) if (f.startsWith("/")) stats.put(f, stat(root, f));
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
        Path p = HostRoot.resolve(root, "/proc/mounts");
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(p)) return out;
        for (String line : Files.readString(p).split("\n")) {
            String[] f = line.split(" ");
            if (f.length >= 2) out.add(f[1].replace("\\040", " "));
        }
        return out;
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
