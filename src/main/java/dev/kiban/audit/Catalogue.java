package dev.kiban.audit;

import dev.kiban.spec.AuditIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every check the audit knows, in the benchmark's order then kiban's: each CIS Docker Benchmark v1.6.0
 * id (from {@link AuditIds}) is either implemented here or listed as MANUAL with what to look at, never
 * PASS, so the catalogue is complete.
 */
public final class Catalogue {
    private static final Map<String, String> LOOK = Map.ofEntries(
            Map.entry("1.2.1", "the host's hardening: kiban's host checks and 'kiban verify'"),
            Map.entry("1.2.2", "docker version against the supported releases"),
            Map.entry("2.1", "rootless mode does not fit Swarm; the daemon runs as root by design"),
            Map.entry("4.2", "the base images and their registries"),
            Map.entry("4.5", "DOCKER_CONTENT_TRUST in the deploying user's environment"),
            Map.entry("5.7", "docker exec <container> ps: no sshd"),
            Map.entry("5.9", "docker port <container>: only the ports the service needs"),
            Map.entry("5.18", "docker inspect --format '{{.HostConfig.Devices}}': no host devices"),
            Map.entry("5.19", "docker inspect --format '{{.HostConfig.Ulimits}}': overrides only where needed"),
            Map.entry("5.23", "the audit log for docker exec --privileged"),
            Map.entry("5.24", "the audit log for docker exec --user=root"),
            Map.entry("5.28", "the pull policy of deployments (kiban stack deploy pulls)"),
            Map.entry("7.2", "docker info: Swarm's listen address is one interface (swarm.listenAddress)"),
            Map.entry("7.3", "docker network inspect: overlay networks with encrypted=true"),
            Map.entry("7.4", "docker secret ls: secrets managed by Swarm, not in compose files"),
            Map.entry("7.5", "docker info: Swarm autolock enabled"));

    private Catalogue() {}

    /** The whole catalogue. */
    public static List<AuditCheck> all() {
        Builder b = new Builder();
        DaemonChecks.add(b);
        RuntimeChecks.add(b);
        HostChecks.add(b);
        ServiceChecks.add(b);
        List<AuditCheck> out = new ArrayList<>();
        AuditIds.all().forEach((id, title) -> out.add(b.checks.getOrDefault(id, new AuditCheck(id, title,
                Severity.MEDIUM, Set.of(), Optional.empty(), LOOK.getOrDefault(id,
                "CIS Docker Benchmark v1.6.0 §" + id + " (not automated by kiban yet)"), Optional.empty(), ""))));
        return out;
    }

    /** Collects the implemented checks, their titles from {@link AuditIds}. */
    static final class Builder {
        final Map<String, AuditCheck> checks = new LinkedHashMap<>();

        void add(String id, Severity severity, Set<AuditCheck.Need> needs, String specKey, String file,
                 Function<AuditFacts, Finding> rule) {
            String title = AuditIds.all().get(id);
            if (title == null) throw new IllegalStateException("no audit id " + id);
            if (checks.containsKey(id)) throw new IllegalStateException("audit check " + id + " twice");
            checks.put(id, new AuditCheck(id, title, severity, needs, Optional.of(rule), "",
                    specKey.isEmpty() ? Optional.empty() : Optional.of(specKey), file));
        }
    }
}
