package dev.kiban.audit;

import static dev.kiban.audit.AuditCheck.Need.CONTAINERS;
import static dev.kiban.audit.AuditCheck.Need.ENGINE;
import static dev.kiban.audit.AuditCheck.Need.OBJECTS;

import dev.kiban.engine.ContainerHardening;
import dev.kiban.engine.EngineObjects;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the engine holds beyond the containers' isolation: the running containers' images (pinned by digest,
 * recently built), CIS section 6 (images and containers left lying about) and the Swarm's objects of section 7
 * (overlay encryption, secrets, autolock). Pure functions of the facts and the audit's day.
 */
final class ObjectChecks {
    /** More images than this that no container uses is sprawl (6.1). */
    static final int UNUSED_IMAGES = 10;
    /** More stopped containers than this is sprawl (6.2); docker-bench's threshold. */
    static final int STOPPED_CONTAINERS = 25;
    /** How many names an evidence lists before "…". */
    static final int NAMED = 5;

    private ObjectChecks() {}

    static void add(Catalogue.Builder b) {
        b.add("kiban.image.pinned", Severity.MEDIUM, Set.of(CONTAINERS), "", "", f -> Rules.containers(f,
                c -> pinned(c.image()) ? null : c.image().isEmpty() ? "no image reference" : c.image(),
                "deploy by digest (image: name:tag@sha256:…) in " + RuntimeChecks.COMPOSE + ", or as a Swarm "
                        + "service, whose tasks carry the digest the tag had: a tag can be moved to another image",
                Status.WARN));
        b.dated("kiban.image.age", Severity.LOW, Set.of(CONTAINERS, OBJECTS), "", "", ObjectChecks::age);
        b.add("6.1", Severity.LOW, Set.of(OBJECTS), "", "", ObjectChecks::imageSprawl);
        b.add("6.2", Severity.LOW, Set.of(OBJECTS), "", "", f -> {
            int stopped = f.objects().get().stoppedContainers();
            String seen = stopped + " container" + (stopped == 1 ? "" : "s") + " not running";
            if (stopped <= STOPPED_CONTAINERS) return Finding.pass(seen + " (at most " + STOPPED_CONTAINERS + ")");
            return Finding.warn(seen + ", more than " + STOPPED_CONTAINERS + ": each keeps its writable layer and "
                    + "its logs", "docker container prune; Swarm keeps each task's last exited containers "
                    + "(docker swarm update --task-history-limit 2 keeps fewer)");
        });
        b.add("7.3", Severity.MEDIUM, Set.of(OBJECTS, ENGINE), "", "", ObjectChecks::overlays);
        b.add("7.4", Severity.LOW, Set.of(OBJECTS, ENGINE), "", "", f -> {
            if (!f.swarm()) return Finding.pass("not in a swarm");
            Optional<EngineObjects.Cluster> cluster = f.objects().get().cluster();
            if (cluster.isEmpty()) return Finding.pass("a worker: the secrets are listed on a manager");
            int n = cluster.get().secrets();
            return Finding.info(n + " Swarm secret" + (n == 1 ? "" : "s"), "R8/D5: services take their secrets as "
                    + "Swarm secrets (secrets: … external: true), never from the compose file or the environment; "
                    + "that the compose files hold none is for a person to look at");
        });
        b.add("7.5", Severity.MEDIUM, Set.of(OBJECTS, ENGINE), "", "", f -> {
            if (!f.swarm()) return Finding.pass("not in a swarm");
            Optional<EngineObjects.Cluster> cluster = f.objects().get().cluster();
            if (cluster.isEmpty()) return Finding.pass("a worker: autolock is the managers' setting");
            if (cluster.get().autolock()) return Finding.pass("autolock on: a restarted manager waits for its key");
            // the spec has no key for autolock: kiban leaves it off, and says why rather than warn
            return Finding.info("autolock off", "the design leaves autolock off: a manager restarted with it on "
                    + "stays locked until someone types the unlock key (docker swarm unlock), so the host's "
                    + "services do not come back by themselves; turn it on by hand (docker swarm update "
                    + "--autolock=true) only with the key kept where the operator can reach it");
        });
    }

    /** Whether an image reference names its content: a digest, or the image id itself. */
    static boolean pinned(String reference) {
        return reference.contains("@sha256:") || reference.startsWith("sha256:");
    }

    /** kiban.image.age: running containers whose image was built more than audit.maxImageAgeDays before today. */
    static Finding age(AuditFacts f, LocalDate today) {
        int days = f.spec().audit().maxImageAgeDays();
        Map<String, EngineObjects.Image> byId = f.objects().get().images().stream()
                .collect(Collectors.toMap(EngineObjects.Image::id, Function.identity(), (a, x) -> a));
        String limit = "older than " + days + " day" + (days == 1 ? "" : "s") + " (audit.maxImageAgeDays)";
        Finding found = Rules.containers(f, c -> {
            EngineObjects.Image image = byId.get(c.imageId());
            if (image == null) return null; // removed since the container started: nothing to date it by
            long age = ChronoUnit.DAYS.between(image.created().atZone(ZoneOffset.UTC).toLocalDate(), today);
            if (age <= days) return null;
            return c.image() + ", " + (image.created().equals(Instant.EPOCH)
                    ? "no build date (a reproducible build says 1970)" : "built " + age + " days ago");
        }, "rebuild or pull the image for its security fixes and redeploy (kiban stack deploy); an image whose "
                + "build date is fixed on purpose can be waived", Status.WARN);
        if (found.status() == Status.PASS) return Finding.pass(found.evidence() + ": no image " + limit);
        return new Finding(found.status(), found.evidence() + "; images " + limit, "", found.remediation());
    }

    /** 6.1: images no container (running or stopped) was made from. */
    static Finding imageSprawl(AuditFacts f) {
        EngineObjects o = f.objects().get();
        List<String> unused = new ArrayList<>();
        for (EngineObjects.Image i : o.images()) if (!o.imagesInUse().contains(i.id())) unused.add(i.shown());
        String seen = o.images().size() + " image" + (o.images().size() == 1 ? "" : "s") + ", " + unused.size()
                + " used by no container" + (unused.isEmpty() ? "" : ": " + named(unused));
        if (unused.size() <= UNUSED_IMAGES) return Finding.pass(seen + " (at most " + UNUSED_IMAGES + " pass)");
        return Finding.warn(seen + "; more than " + UNUSED_IMAGES + " unused", "remove the images no longer "
                + "needed: docker image prune -a --filter until=720h keeps the last 30 days' (a service's "
                + "rollback may need its previous image)");
    }

    /**
     * 7.3: overlay networks without IPsec. The routing mesh's {@code ingress} is counted as docker-bench counts
     * it: published ports reach the services over it, between nodes, in the clear unless it is recreated with
     * {@code --opt encrypted} (kiban recreates it without). On a one-node swarm nothing crosses the wire yet: WARN.
     */
    static Finding overlays(AuditFacts f) {
        if (!f.swarm()) return Finding.pass("not in a swarm");
        List<EngineObjects.Overlay> all = f.objects().get().overlays();
        List<String> clear = all.stream().filter(n -> !n.encrypted())
                .map(n -> n.name() + (n.ingress() ? " (the routing mesh: published ports between nodes)" : ""))
                .toList();
        if (clear.isEmpty()) return Finding.pass(all.isEmpty() ? "no overlay networks on this node"
                : all.size() + " overlay network(s), all encrypted");
        var s = f.info().get().swarm();
        boolean alone = s.manager() && s.nodes() <= 1;
        String evidence = clear.size() + " of " + all.size() + " overlay network(s) not encrypted: "
                + String.join(", ", clear) + (alone ? "; one node: nothing crosses the wire yet" : "");
        String remediation = "create overlay networks with driver_opts: {encrypted: \"\"} in "
                + RuntimeChecks.COMPOSE + " (ingress: docker network create --ingress --opt encrypted); IPsec "
                + "(ESP, IP protocol 50) must then pass between the nodes, and kiban's firewall opens only 2377, "
                + "7946 and the VXLAN port";
        return alone ? Finding.warn(evidence, remediation) : Finding.fail(evidence, remediation);
    }

    /** The first few of {@code names}, then how many more. */
    static String named(List<String> names) {
        if (names.size() <= NAMED) return String.join(", ", names);
        return String.join(", ", names.subList(0, NAMED)) + " and " + (names.size() - NAMED) + " more";
    }
}
