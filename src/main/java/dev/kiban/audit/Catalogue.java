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
    /** What a person looks at for each check kiban cannot decide (section 4's build-time ones, 5.7, 7.2, 7.6-7.9). */
    private static final Map<String, String> LOOK = Map.ofEntries(
            Map.entry("1.2.1", "the host's hardening: kiban's host checks and 'kiban verify'"),
            Map.entry("1.2.2", "docker version against the supported releases"),
            Map.entry("2.1", "rootless mode does not fit Swarm; the daemon runs as root by design"),
            Map.entry("4.2", "each image's FROM lines: base images from the official library or your own "
                    + "registry (docker history <image>)"),
            Map.entry("4.3", "docker exec <container> to list its packages (dpkg -l, rpm -qa, apk info): no "
                    + "shells, compilers or editors it does not run"),
            Map.entry("4.4", "an image scanner's report (e.g. trivy image <image>) and the rebuild schedule; "
                    + "kiban.image.age reports images built long ago"),
            Map.entry("4.5", "DOCKER_CONTENT_TRUST=1 in the deploying user's environment and the CI that pushes"),
            Map.entry("4.7", "the Dockerfiles: no RUN apt-get update (or dnf/apk update) on a line of its own"),
            Map.entry("4.8", "find / -perm /6000 -type f inside each image: setuid/setgid bits removed unless needed"),
            Map.entry("4.9", "the Dockerfiles: COPY rather than ADD (ADD fetches URLs and unpacks archives)"),
            Map.entry("4.10", "the Dockerfiles and docker history --no-trunc <image>: no passwords, keys or tokens "
                    + "in ENV, ARG or a layer"),
            Map.entry("4.11", "the Dockerfiles: packages from signed repositories, checksums for downloads"),
            Map.entry("4.12", "the CI that builds the images: signatures verified (cosign, notation) before use"),
            Map.entry("5.7", "docker exec <container> ps aux in each running container: no sshd"),
            Map.entry("5.9", "docker port <container>: only the ports the service needs"),
            Map.entry("5.19", "docker inspect --format '{{.HostConfig.Ulimits}}': overrides only where needed"),
            Map.entry("5.23", "the audit log for docker exec --privileged"),
            Map.entry("5.24", "the audit log for docker exec --user=root"),
            Map.entry("5.28", "the deployments' pull policy: kiban stack deploy pulls; docker service update "
                    + "--image with a digest moves a service on (kiban.image.pinned)"),
            Map.entry("7.2", "docker info: Swarm's listen address is one interface (swarm.listenAddress), and "
                    + "docker service inspect: published ports where the design means them"),
            Map.entry("7.6", "when the autolock key was last rotated (docker swarm unlock-key --rotate), if autolock "
                    + "is on (7.5)"),
            Map.entry("7.7", "docker info: the node certificates' expiry (CA Configuration, Expiry Duration; 90 "
                    + "days by default, rotated by Swarm)"),
            Map.entry("7.8", "when the swarm's root CA was last rotated (docker swarm ca --rotate)"),
            Map.entry("7.9", "docker info: Swarm's data path address (--data-path-addr) on another interface than "
                    + "the management one, where the host has two"));

    private Catalogue() {}

    /** The whole catalogue. */
    public static List<AuditCheck> all() {
        Builder b = new Builder();
        DaemonChecks.add(b);
        RuntimeChecks.add(b);
        HostChecks.add(b);
        ObjectChecks.add(b);
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
            dated(id, severity, needs, specKey, file, (facts, today) -> rule.apply(facts));
        }

        /** A check that also reads the audit's day (an image's age). */
        void dated(String id, Severity severity, Set<AuditCheck.Need> needs, String specKey, String file,
                   AuditCheck.Rule rule) {
            String title = AuditIds.all().get(id);
            if (title == null) throw new IllegalStateException("no audit id " + id);
            if (checks.containsKey(id)) throw new IllegalStateException("audit check " + id + " twice");
            checks.put(id, new AuditCheck(id, title, severity, needs, Optional.of(rule), "",
                    specKey.isEmpty() ? Optional.empty() : Optional.of(specKey), file));
        }
    }
}
