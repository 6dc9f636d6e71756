package dev.kiban.audit;

import static dev.kiban.audit.AuditCheck.Need.DAEMON_JSON;
import static dev.kiban.audit.AuditCheck.Need.ENGINE;
import static dev.kiban.audit.AuditCheck.Need.FILES;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * CIS section 2 (the daemon's configuration), section 3 (its files) and kiban's own daemon checks: the
 * API not on TCP, the socket's owner and mode. Pure functions of the facts.
 */
final class DaemonChecks {
    static final String DAEMON_JSON_FILE = "/etc/docker/daemon.json";
    static final String SOCKET = "/var/run/docker.sock";
    static final String REGISTRY_CERTS = "/etc/docker/certs.d";
    /** daemon.json's TLS files, in the order CIS 3.9-3.14 take them: CA, server certificate, key. */
    static final List<String> TLS_FILES = List.of("tlscacert", "tlscert", "tlskey");

    private DaemonChecks() {}

    static void add(Catalogue.Builder b) {
        b.add("2.2", Severity.MEDIUM, Set.of(DAEMON_JSON), "", DAEMON_JSON_FILE, f -> json(f).path("icc")
                .asBoolean(true)
                ? Finding.fail("icc is not false in daemon.json: containers on the default bridge talk freely",
                "set \"icc\": false in daemon.json (kiban's services use their own networks)")
                : Finding.pass("icc false"));
        b.add("2.3", Severity.LOW, Set.of(DAEMON_JSON), "", DAEMON_JSON_FILE, f -> {
            String level = json(f).path("log-level").asText("info");
            return level.equals("info") ? Finding.pass("log-level " + level)
                    : Finding.fail("log-level " + level, "remove log-level from daemon.json (info is the default)");
        });
        b.add("2.4", Severity.HIGH, Set.of(DAEMON_JSON), "", DAEMON_JSON_FILE, f ->
                json(f).path("iptables").asBoolean(true) ? Finding.pass("iptables managed by the daemon")
                        : Finding.fail("iptables false: published ports bypass the firewall's DOCKER-USER chain",
                        "remove \"iptables\": false from daemon.json"));
        b.add("2.5", Severity.HIGH, Set.of(DAEMON_JSON), "", DAEMON_JSON_FILE, f -> {
            List<String> insecure = texts(json(f).path("insecure-registries"));
            return insecure.isEmpty() ? Finding.pass("no insecure registries")
                    : Finding.fail("insecure registries: " + String.join(", ", insecure),
                    "remove insecure-registries from daemon.json; give the registry a TLS certificate");
        });
        b.add("2.6", Severity.MEDIUM, Set.of(ENGINE), "engine.storageDriver", DAEMON_JSON_FILE, f -> {
            String driver = f.info().get().storageDriver();
            return driver.equals("aufs") ? Finding.fail("storage driver aufs", Rules.apply("engine.storageDriver",
                    "to overlay2")) : Finding.pass("storage driver " + driver);
        });
        b.add("2.7", Severity.CRITICAL, Set.of(DAEMON_JSON, FILES), "engine.hosts", DAEMON_JSON_FILE, f -> {
            List<String> tcp = tcpHosts(f);
            if (tcp.isEmpty()) return Finding.pass("the daemon does not listen on TCP");
            JsonNode j = json(f);
            boolean tls = j.path("tlsverify").asBoolean(false) && j.hasNonNull("tlscacert") && j.hasNonNull("tlscert")
                    && j.hasNonNull("tlskey");
            return tls ? Finding.pass("TCP " + String.join(", ", tcp) + " with tlsverify and certificates")
                    : Finding.fail("TCP " + String.join(", ", tcp) + " without tlsverify",
                    Rules.apply("engine.hosts", "to the unix socket only (R3.4)"));
        });
        b.add("2.8", Severity.LOW, Set.of(DAEMON_JSON), "engine.ulimits", DAEMON_JSON_FILE, f ->
                json(f).path("default-ulimits").size() > 0
                        ? Finding.pass("default-ulimits " + json(f).path("default-ulimits"))
                        : Finding.fail("no default-ulimits", Rules.apply("engine.ulimits", "(e.g. nofile)")));
        b.add("2.9", Severity.MEDIUM, Set.of(ENGINE), "engine.usernsRemap", DAEMON_JSON_FILE, f -> {
            if (f.daemon().get().has("userns")) return Finding.pass("user namespace remapping on");
            if (f.swarm()) return Finding.info("no userns-remap, Swarm mode on",
                    "D13: userns-remap moves the data root and breaks Swarm services and privileged services");
            return Finding.fail("no userns-remap", Rules.apply("engine.usernsRemap", "to default"));
        });
        b.add("2.10", Severity.LOW, Set.of(DAEMON_JSON), "", DAEMON_JSON_FILE, f -> {
            String parent = json(f).path("cgroup-parent").asText("");
            return parent.isEmpty() ? Finding.pass("default cgroup parent")
                    : Finding.warn("cgroup-parent " + parent, "confirm " + parent + " is meant; else remove it");
        });
        b.add("2.11", Severity.LOW, Set.of(DAEMON_JSON), "", DAEMON_JSON_FILE, f -> {
            List<String> base = texts(json(f).path("storage-opts")).stream().filter(o -> o.startsWith("dm.basesize"))
                    .toList();
            return base.isEmpty() ? Finding.pass("base device size unchanged")
                    : Finding.fail(String.join(", ", base), "remove dm.basesize from storage-opts");
        });
        b.add("2.12", Severity.LOW, Set.of(ENGINE), "", DAEMON_JSON_FILE, f -> {
            List<String> plugins = f.daemon().get().authorizationPlugins();
            return plugins.isEmpty() ? Finding.fail("no authorization plugin: whoever reaches the socket is root",
                    "keep the socket to root and the docker group (kiban.socket.mode), or add an authorization-plugin")
                    : Finding.pass("authorization plugins " + String.join(", ", plugins));
        });
        b.add("2.13", Severity.LOW, Set.of(ENGINE), "engine.logging.driver", DAEMON_JSON_FILE, f -> {
            String driver = f.daemon().get().loggingDriver();
            return List.of("json-file", "local", "none", "").contains(driver)
                    ? Finding.fail("logging driver " + (driver.isEmpty() ? "unknown" : driver)
                    + " keeps the logs on this host", Rules.apply("engine.logging.driver",
                    "to journald, syslog or a remote driver"))
                    : Finding.pass("logging driver " + driver);
        });
        b.add("2.14", Severity.HIGH, Set.of(DAEMON_JSON), "engine.noNewPrivileges", DAEMON_JSON_FILE, f ->
                json(f).path("no-new-privileges").asBoolean(false) ? Finding.pass("no-new-privileges true")
                        : Finding.fail("no-new-privileges is not true in daemon.json",
                        Rules.apply("engine.noNewPrivileges", "to true")));
        b.add("2.15", Severity.MEDIUM, Set.of(ENGINE), "engine.liveRestore", DAEMON_JSON_FILE, f -> {
            if (f.info().get().liveRestore()) return Finding.pass("live-restore on");
            if (f.swarm()) return Finding.info("live-restore off, Swarm mode on",
                    "D1: the engine refuses swarm init with live-restore; Swarm reschedules the tasks instead");
            return Finding.fail("live-restore off", Rules.apply("engine.liveRestore", "to auto"));
        });
        b.add("2.16", Severity.LOW, Set.of(DAEMON_JSON), "engine.userlandProxy", DAEMON_JSON_FILE, f ->
                json(f).path("userland-proxy").asBoolean(true)
                        ? Finding.fail("userland-proxy on", Rules.apply("engine.userlandProxy", "to false"))
                        : Finding.pass("userland-proxy false"));
        b.add("2.17", Severity.HIGH, Set.of(ENGINE), "engine.seccompProfile", DAEMON_JSON_FILE, f -> {
            String profile = f.daemon().get().seccompProfile();
            return profile.isEmpty() || profile.equals("unconfined")
                    ? Finding.fail("no seccomp profile", Rules.apply("engine.seccompProfile", "to builtin"))
                    : Finding.pass("seccomp profile " + profile);
        });
        b.add("2.18", Severity.MEDIUM, Set.of(ENGINE), "", DAEMON_JSON_FILE, f -> f.daemon().get().experimental()
                ? Finding.fail("experimental features on", "remove \"experimental\": true from daemon.json")
                : Finding.pass("experimental features off"));

        owner(b, "3.1", "/lib/systemd/system/docker.service", "/usr/lib/systemd/system/docker.service");
        mode(b, "3.2", 0644, "/lib/systemd/system/docker.service", "/usr/lib/systemd/system/docker.service");
        owner(b, "3.3", "/lib/systemd/system/docker.socket", "/usr/lib/systemd/system/docker.socket");
        mode(b, "3.4", 0644, "/lib/systemd/system/docker.socket", "/usr/lib/systemd/system/docker.socket");
        owner(b, "3.5", "/etc/docker");
        mode(b, "3.6", 0755, "/etc/docker");
        owner(b, "3.17", DAEMON_JSON_FILE);
        mode(b, "3.18", 0644, DAEMON_JSON_FILE);
        owner(b, "3.19", "/etc/default/docker");
        mode(b, "3.20", 0644, "/etc/default/docker");
        mode(b, "3.21", 0644, "/etc/sysconfig/docker");
        owner(b, "3.22", "/etc/sysconfig/docker");
        owner(b, "3.23", "/run/containerd/containerd.sock");
        mode(b, "3.24", 0660, "/run/containerd/containerd.sock");
        registryCerts(b, "3.7", true, 0);
        registryCerts(b, "3.8", false, 0444);
        tls(b, "3.9", "tlscacert", true, 0);
        tls(b, "3.10", "tlscacert", false, 0444);
        tls(b, "3.11", "tlscert", true, 0);
        tls(b, "3.12", "tlscert", false, 0444);
        tls(b, "3.13", "tlskey", true, 0);
        tls(b, "3.14", "tlskey", false, 0400);
        b.add("3.15", Severity.HIGH, Set.of(FILES), "", SOCKET, f -> socketOwner(f));
        b.add("3.16", Severity.HIGH, Set.of(FILES), "", SOCKET, f -> socketMode(f));

        b.add("kiban.api.tcp", Severity.CRITICAL, Set.of(DAEMON_JSON, FILES), "engine.hosts", DAEMON_JSON_FILE, f -> {
            List<String> tcp = tcpHosts(f);
            List<Integer> ports = f.files().get().listeningPorts().stream().filter(p -> p == 2375 || p == 2376)
                    .toList();
            if (tcp.isEmpty() && ports.isEmpty()) return Finding.pass("unix socket only; nothing listens on 2375/2376");
            List<String> seen = new ArrayList<>(tcp);
            ports.forEach(p -> seen.add("a listener on port " + p));
            return Finding.fail("the Docker API is reachable over TCP: " + String.join(", ", seen),
                    Rules.apply("engine.hosts", "to [unix:///var/run/docker.sock]")
                            + "; remove -H tcp://… from docker.service drop-ins");
        });
        b.add("kiban.socket.owner", Severity.HIGH, Set.of(FILES), "", SOCKET, f -> socketOwner(f));
        b.add("kiban.socket.mode", Severity.CRITICAL, Set.of(FILES), "", SOCKET, f -> socketMode(f));
    }

    private static Finding socketOwner(AuditFacts f) {
        FileFact s = f.files().get().stat(SOCKET);
        if (!s.exists()) return Finding.pass(SOCKET + " absent");
        return s.owner().equals("root") && s.group().equals("docker") ? Finding.pass(SOCKET + " " + s.shown())
                : Finding.fail(SOCKET + " " + s.shown(), "chown root:docker " + SOCKET
                + " (docker.socket's SocketUser/SocketGroup)");
    }

    private static Finding socketMode(AuditFacts f) {
        FileFact s = f.files().get().stat(SOCKET);
        if (!s.exists()) return Finding.pass(SOCKET + " absent");
        return s.atMost(0660) ? Finding.pass(SOCKET + " " + s.shown())
                : Finding.fail(SOCKET + " " + s.shown() + ": anyone who may write it controls the host as root",
                "chmod 660 " + SOCKET + " (docker.socket's SocketMode=0660)");
    }

    /** The certificates under /etc/docker/certs.d: owned by root:root ({@code owner}), or at most {@code mode}. */
    private static void registryCerts(Catalogue.Builder b, String id, boolean owner, int mode) {
        b.add(id, Severity.MEDIUM, Set.of(FILES), "", REGISTRY_CERTS, f -> {
            List<FileFact> certs = f.files().get().stats().values().stream()
                    .filter(s -> s.exists() && s.path().startsWith(REGISTRY_CERTS + "/")).toList();
            if (certs.isEmpty()) return Finding.pass("no registry certificates under " + REGISTRY_CERTS);
            List<String> bad = certs.stream().filter(s -> !(owner ? rootOwned(s) : s.atMost(mode)))
                    .map(s -> s.path() + " " + s.shown()).toList();
            return bad.isEmpty() ? Finding.pass(certs.size() + " certificate(s) " + (owner ? "root:root"
                    : String.format("%o or stricter", mode))) : Finding.fail(String.join(", ", bad), owner
                    ? "chown -R root:root " + REGISTRY_CERTS : String.format("chmod %o %s/*/*", mode, REGISTRY_CERTS));
        });
    }

    /** A TLS file daemon.json names: owned by root:root ({@code owner}), or at most {@code mode}. */
    private static void tls(Catalogue.Builder b, String id, String key, boolean owner, int mode) {
        b.add(id, Severity.MEDIUM, Set.of(DAEMON_JSON, FILES), "", DAEMON_JSON_FILE, f -> {
            String path = json(f).path(key).asText("");
            if (path.isEmpty()) return Finding.pass("no " + key + " in daemon.json (the API is not on TLS)");
            FileFact s = f.files().get().stat(path);
            if (!s.exists()) return Finding.fail(key + " " + path + " is missing", "put the file in place or "
                    + "remove " + key + " from daemon.json");
            boolean ok = owner ? rootOwned(s) : s.atMost(mode);
            return ok ? Finding.pass(path + " " + s.shown()) : Finding.fail(path + " " + s.shown(), owner
                    ? "chown root:root " + path : String.format("chmod %o %s", mode, path));
        });
    }

    private static boolean rootOwned(FileFact s) {
        return s.owner().equals("root") && s.group().equals("root");
    }

    private static void owner(Catalogue.Builder b, String id, String... paths) {
        files(b, id, s -> s.owner().equals("root") && s.group().equals("root"),
                bad -> "chown root:root " + String.join(" ", paths), paths);
    }

    private static void mode(Catalogue.Builder b, String id, int allowed, String... paths) {
        files(b, id, s -> s.atMost(allowed), bad -> String.format("chmod %o %s", allowed, String.join(" ", bad)),
                paths);
    }

    /** A check that each of {@code paths} that exists is {@code good}; absent files pass. */
    private static void files(Catalogue.Builder b, String id, java.util.function.Predicate<FileFact> good,
                              java.util.function.Function<List<String>, String> remediation, String... paths) {
        b.add(id, Severity.MEDIUM, Set.of(FILES), "", paths[0], f -> {
            List<String> bad = new ArrayList<>();
            List<String> badPaths = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (String p : paths) {
                FileFact s = f.files().get().stat(p);
                if (!s.exists()) continue;
                seen.add(p + " " + s.shown());
                if (!good.test(s)) {
                    bad.add(p + " " + s.shown());
                    badPaths.add(p);
                }
            }
            if (seen.isEmpty()) return Finding.pass(String.join(", ", paths) + " absent");
            return bad.isEmpty() ? Finding.pass(String.join(", ", seen)) : Finding.fail(String.join(", ", bad),
                    remediation.apply(badPaths));
        });
    }

    /** The TCP addresses the daemon is told to listen on: daemon.json hosts and -H/--host in its units. */
    static List<String> tcpHosts(AuditFacts f) {
        List<String> out = new ArrayList<>();
        for (String h : texts(json(f).path("hosts"))) if (h.startsWith("tcp://")) out.add(h);
        var m = java.util.regex.Pattern.compile("(?:-H|--host)[= ]+(tcp://\\S+)")
                .matcher(f.files().get().dockerUnits());
        while (m.find()) if (!out.contains(m.group(1))) out.add(m.group(1));
        return out;
    }

    static JsonNode json(AuditFacts f) {
        return f.daemonJson().get();
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
