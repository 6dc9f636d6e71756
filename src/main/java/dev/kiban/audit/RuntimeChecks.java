package dev.kiban.audit;

import static dev.kiban.audit.AuditCheck.Need.CONTAINERS;
import static dev.kiban.audit.AuditCheck.Need.DAEMON_JSON;
import static dev.kiban.audit.AuditCheck.Need.ENGINE;

import dev.kiban.engine.ContainerHardening;
import java.util.List;
import java.util.Set;

/**
 * CIS section 4 (what the running containers show of their images), section 5 (the container runtime) and
 * section 7 (Swarm) where the engine's answers decide them; pure functions of the facts. Only running
 * containers are looked at, as the benchmark does.
 */
final class RuntimeChecks {
    /** Host directories a container must not mount writable (CIS 5.6). */
    static final List<String> SENSITIVE = List.of("/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr");
    static final String COMPOSE = "the service's compose file";
    private static final Set<AuditCheck.Need> C = Set.of(CONTAINERS);

    private RuntimeChecks() {}

    static void add(Catalogue.Builder b) {
        b.add("4.1", Severity.MEDIUM, C, "", "", f -> Rules.containers(f, c -> c.user().isEmpty()
                        || c.user().equals("root") || c.user().startsWith("0") ? "" : null,
                "set user: to an unprivileged uid in " + COMPOSE + " (or USER in the image)"));
        b.add("4.6", Severity.LOW, C, "", "", f -> Rules.containers(f, c -> c.healthcheck() ? null : "",
                "add a HEALTHCHECK to the image or healthcheck: to " + COMPOSE));
        b.add("5.1", Severity.LOW, Set.of(ENGINE), "swarm.enabled", "", f -> f.swarm()
                ? Finding.info("Swarm mode is active", "the design runs every service on Swarm (R8)")
                : Finding.pass("Swarm mode is not active"));
        b.add("5.2", Severity.MEDIUM, Set.of(CONTAINERS, ENGINE), "", "", f -> {
            if (!f.daemon().get().has("apparmor")) {
                return Finding.pass("AppArmor is not enabled on this host; SELinux confines the containers (5.3)");
            }
            return Rules.containers(f, c -> c.appArmorProfile().isEmpty() || c.appArmorProfile().equals("unconfined")
                    ? "no profile" : null, "drop apparmor=unconfined from security_opt in " + COMPOSE);
        });
        b.add("5.3", Severity.MEDIUM, Set.of(CONTAINERS, ENGINE), "engine.selinuxEnabled", "", f -> {
            boolean daemon = f.daemon().get().has("selinux");
            return Rules.containers(f, c -> c.securityOpt().stream().anyMatch(o -> o.matches("label[=:]disable"))
                            ? "label=disable" : daemon || c.securityOpt().stream().anyMatch(o -> o.startsWith("label"))
                            ? null : "no SELinux label",
                    daemon ? "drop label=disable from security_opt in " + COMPOSE
                            : Rules.apply("engine.selinuxEnabled", "to true (rhel)"));
        });
        b.add("5.4", Severity.HIGH, C, "", "", f -> Rules.containers(f, c -> {
            List<String> added = c.capAdd().stream().filter(x -> !x.equalsIgnoreCase("none")).toList();
            return added.isEmpty() ? null : "cap_add " + String.join(",", added);
        }, "remove cap_add from " + COMPOSE + ", or keep only what it needs and waive 5.4 with the reason"));
        b.add("5.5", Severity.CRITICAL, C, "", "", f -> Rules.containers(f, c -> c.privileged() ? "privileged" : null,
                "remove privileged: true from " + COMPOSE));
        b.add("5.6", Severity.HIGH, C, "", "", f -> Rules.containers(f, c -> {
            List<String> bad = c.mounts().stream().filter(m -> m.type().equals("bind") && m.writable()
                    && SENSITIVE.contains(m.source())).map(m -> m.source() + ":" + m.destination()).toList();
            return bad.isEmpty() ? null : String.join(", ", bad);
        }, "mount only what the service needs, read-only (:ro), in " + COMPOSE));
        b.add("5.8", Severity.LOW, C, "", "", f -> Rules.containers(f, c -> {
            List<String> low = c.ports().stream().filter(p -> p.hostPort() > 0 && p.hostPort() < 1024)
                    .map(p -> p.hostPort() + "->" + p.containerPort()).toList();
            return low.isEmpty() ? null : String.join(", ", low);
        }, "publish on a port of 1024 or above (the firewall forwards the public ports)"));
        b.add("5.10", Severity.HIGH, C, "", "", f -> Rules.containers(f, c -> Rules.host(c.networkMode()),
                "drop network_mode: host from " + COMPOSE));
        b.add("5.11", Severity.MEDIUM, C, "", "", f -> Rules.containers(f, c -> c.memory() > 0 ? null : "",
                "set deploy.resources.limits.memory in " + COMPOSE));
        b.add("5.12", Severity.MEDIUM, C, "", "", f -> Rules.containers(f,
                c -> c.nanoCpus() > 0 || c.cpuShares() > 0 ? null : "",
                "set deploy.resources.limits.cpus in " + COMPOSE));
        b.add("5.13", Severity.LOW, C, "", "", f -> Rules.containers(f, c -> c.readonlyRootfs() ? null : "",
                "set read_only: true in " + COMPOSE + " (tmpfs for what it writes)"));
        b.add("5.14", Severity.LOW, C, "", "", f -> Rules.containers(f, c -> {
            List<String> all = c.ports().stream().filter(p -> p.hostPort() > 0 && (p.hostIp().isEmpty()
                    || p.hostIp().equals("0.0.0.0") || p.hostIp().equals("::"))).map(p -> "*:" + p.hostPort()).toList();
            return all.isEmpty() ? null : String.join(", ", all);
        }, "publish on one address (\"127.0.0.1:8080:80\") in " + COMPOSE));
        b.add("5.15", Severity.LOW, C, "", "", f -> {
            Finding own = Rules.containers(f, c -> c.restartPolicy().equals("on-failure") && c.restartMaxRetries() <= 5
                    && c.restartMaxRetries() > 0 || c.restartPolicy().equals("no") ? null
                    : c.restartPolicy() + (c.restartMaxRetries() > 0 ? ":" + c.restartMaxRetries() : ""),
                    "restart: on-failure:5 in " + COMPOSE);
            if (own.status() == Status.FAIL && f.swarm()) {
                return Finding.info(own.evidence(), "Swarm services restart their tasks by their own restart_policy; "
                        + "the design runs services on Swarm (R8)");
            }
            return own;
        });
        b.add("5.16", Severity.HIGH, C, "", "", f -> Rules.containers(f, c -> Rules.host(c.pidMode()),
                "drop pid: host from " + COMPOSE));
        b.add("5.17", Severity.HIGH, C, "", "", f -> Rules.containers(f, c -> Rules.host(c.ipcMode()),
                "drop ipc: host from " + COMPOSE));
        b.add("5.18", Severity.MEDIUM, C, "", "", f -> Rules.containers(f, c -> c.devices().isEmpty() ? null
                : String.join(", ", c.devices().stream().map(d -> d.hostPath() + ":" + d.containerPath()).toList()),
                "remove devices: from " + COMPOSE + "; a service that needs one keeps only it and is waived (5.18)"));
        b.add("5.20", Severity.MEDIUM, C, "", "", f -> Rules.containers(f, c -> {
            List<String> shared = c.mounts().stream().filter(m -> m.propagation().matches("r?shared"))
                    .map(ContainerHardening.HostMount::destination).toList();
            return shared.isEmpty() ? null : "shared " + String.join(", ", shared);
        }, "drop the shared propagation from the bind mount in " + COMPOSE));
        b.add("5.21", Severity.MEDIUM, C, "", "", f -> Rules.containers(f, c -> Rules.host(c.utsMode()),
                "drop uts: host from " + COMPOSE));
        b.add("5.22", Severity.HIGH, C, "", "", f -> Rules.containers(f, c -> c.securityOpt().stream()
                        .anyMatch(o -> o.matches("seccomp[=:]unconfined")) ? "seccomp=unconfined" : null,
                "drop seccomp=unconfined from security_opt in " + COMPOSE));
        b.add("5.25", Severity.LOW, C, "", "", f -> Rules.containers(f, c -> c.cgroupParent().isEmpty() ? null
                : c.cgroupParent(), "confirm the cgroup_parent in " + COMPOSE + "; else remove it", Status.WARN));
        b.add("5.26", Severity.HIGH, Set.of(CONTAINERS, DAEMON_JSON), "engine.noNewPrivileges", "", f -> {
            if (DaemonChecks.json(f).path("no-new-privileges").asBoolean(false)) {
                return Rules.containers(f, c -> c.securityOpt().contains("no-new-privileges:false")
                        ? "no-new-privileges:false" : null, "drop no-new-privileges:false from " + COMPOSE);
            }
            return Rules.containers(f, c -> c.securityOpt().stream()
                    .anyMatch(o -> o.matches("no-new-privileges(:true)?"))
                    ? null : "", Rules.apply("engine.noNewPrivileges", "to true"));
        });
        b.add("5.27", Severity.LOW, C, "", "", f -> Rules.containers(f, c -> c.healthcheck() ? null : "",
                "add healthcheck: to " + COMPOSE));
        b.add("5.29", Severity.MEDIUM, C, "", "", f -> Rules.containers(f, c -> c.pidsLimit() > 0 ? null : "",
                "set deploy.resources.limits.pids in " + COMPOSE));
        b.add("5.30", Severity.LOW, C, "", "", f -> Rules.containers(f, c -> c.networks().contains("bridge")
                || c.networkMode().equals("default") ? "" : null, "attach the service to its own network in "
                + COMPOSE));
        b.add("5.31", Severity.HIGH, C, "", "", f -> Rules.containers(f, c -> Rules.host(c.usernsMode()),
                "drop userns_mode: host from " + COMPOSE));
        b.add("5.32", Severity.CRITICAL, C, "", "", f -> Rules.containers(f, c -> {
            List<String> sockets = c.mounts().stream().filter(m -> m.source().endsWith("/docker.sock")
                    || m.source().endsWith("/containerd.sock")).map(ContainerHardening.HostMount::source).toList();
            return sockets.isEmpty() ? null : String.join(", ", sockets);
        }, "remove the socket mount from " + COMPOSE + ": whoever holds it is root on the host"));
        b.add("7.1", Severity.MEDIUM, Set.of(ENGINE), "swarm.nodes", "", f -> {
            var s = f.info().get().swarm();
            if (!s.active()) return Finding.pass("not in a swarm");
            if (s.managers() % 2 == 1 && s.managers() <= 7) return Finding.pass(s.managers() + " manager(s)");
            return Finding.fail(s.managers() + " managers: quorum is a majority, use an odd number (at most 7)",
                    Rules.apply("swarm.nodes", "with an odd number of managers"));
        });
    }
}
