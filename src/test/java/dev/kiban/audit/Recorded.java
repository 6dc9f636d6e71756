package dev.kiban.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.engine.ContainerHardening;
import dev.kiban.engine.DaemonSecurity;
import dev.kiban.engine.EngineInfo;
import dev.kiban.engine.EngineObjects;
import java.time.Instant;
import dev.kiban.spec.AuditedPaths;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Recorded facts of a host as kiban leaves it after apply (Swarm manager, daemon.json as rendered, the
 * socket root:docker 0660, sshd hardened, one hardened container from an image built a month before the
 * audit's day, its overlay encrypted, autolock off, two secrets), changed one fact at a time by the tests.
 */
final class Recorded {
    static final String SPEC = """
            admin: {email: ops@example.org}
            monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
            security: {ssh: {allowUsers: [deploy]}}
            """;
    static final String GOOD_SSHD = """
            port 22
            permitrootlogin no
            pubkeyauthentication yes
            passwordauthentication no
            allowusers deploy
            """;
    static final String KIBAN_DAEMON_JSON = """
            {"hosts": ["unix:///var/run/docker.sock"], "log-driver": "json-file", "live-restore": false,
             "userland-proxy": false, "no-new-privileges": true, "icc": false,
             "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}}}
            """;

    PlatformSpec spec = SpecDocument.parse("kiban.yaml", SPEC, false).require();
    boolean swarm = true;
    int managers = 1;
    boolean liveRestore = false;
    List<String> securityOptions = new ArrayList<>(List.of("name=seccomp,profile=builtin", "name=selinux",
            "name=cgroupns"));
    String loggingDriver = "journald";
    String daemonJson = KIBAN_DAEMON_JSON;
    String sshd = GOOD_SSHD;
    Map<String, FileFact> files = new LinkedHashMap<>(Map.of(
            "/var/run/docker.sock", new FileFact("/var/run/docker.sock", true, "root", "docker", 0660),
            "/etc/docker", new FileFact("/etc/docker", true, "root", "root", 0755),
            "/etc/docker/daemon.json", new FileFact("/etc/docker/daemon.json", true, "root", "root", 0644)));
    String units = "[Service]\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n";
    List<Integer> ports = new ArrayList<>(List.of(22, 2377));
    String auditRules = String.join("\n", AuditedPaths.BY_ID.values().stream()
            .map(p -> "-w " + (p.startsWith("/") ? p : "/usr/lib/systemd/system/" + p) + " -k docker").toList());
    List<String> mounts = new ArrayList<>(List.of("/", "/boot", "/var/lib/docker", "/data"));
    List<String> dockerGroup = new ArrayList<>(List.of("deploy"));
    List<ContainerHardening> containers = new ArrayList<>(List.of(hardened("web")));
    String engineError = "";
    /** The day the recorded audits run on (what "today" is for waivers and image ages). */
    static final LocalDate TODAY = LocalDate.of(2026, 12, 5);
    List<EngineObjects.Image> images = new ArrayList<>(List.of(new EngineObjects.Image("sha256:web",
            List.of("registry.example.org/web:1.4"), List.of("registry.example.org/web@sha256:abc"),
            Instant.parse("2026-11-05T10:00:00Z"))));
    Set<String> imagesInUse = new TreeSet<>(Set.of("sha256:web"));
    int stoppedContainers = 2;
    List<EngineObjects.Overlay> overlays = new ArrayList<>(List.of(new EngineObjects.Overlay("ingress", true, true),
            new EngineObjects.Overlay("web_net", false, true)));
    Optional<EngineObjects.Cluster> cluster = Optional.of(new EngineObjects.Cluster(false, 2));
    String objectsError = "";

    /** {@code fail2ban-client status} of a running fail2ban with kiban's two jails. */
    static final String FAIL2BAN_STATUS = "Status\n|- Number of jail:\t2\n`- Jail list:\tsshd, docker-api\n";
    /** {@code iptables -S DOCKER-USER} after kiban's script ran, for the spec's ports (2375-2376 shut, 80, 443). */
    static final String DOCKER_USER = """
            -N DOCKER-USER
            -A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
            -A DOCKER-USER -i docker0 -j RETURN
            -A DOCKER-USER -i docker_gwbridge -j RETURN
            -A DOCKER-USER -i br-+ -j RETURN
            -A DOCKER-USER -i lo -j RETURN
            -A DOCKER-USER -p tcp -m conntrack --ctorigdstport 2375 -j DROP
            -A DOCKER-USER -p tcp -m conntrack --ctorigdstport 2376 -j DROP
            -A DOCKER-USER -p tcp -m conntrack --ctorigdstport 80 -j RETURN
            -A DOCKER-USER -p tcp -m conntrack --ctorigdstport 443 -j RETURN
            -A DOCKER-USER -m conntrack --ctstate NEW -j DROP
            -A DOCKER-USER -j RETURN
            """;
    static final String APT_PERIODIC = """
            // Managed by kiban
            APT::Periodic::Update-Package-Lists "1";
            APT::Periodic::Download-Upgradeable-Packages "1";
            APT::Periodic::Unattended-Upgrade "1";
            """;
    static final String JOURNALD = "[Journal]\nStorage=persistent\nMaxRetentionSec=30day\n";

    boolean fail2banRunning = true;
    /** systemctl is-active auditd. */
    String auditd = "active";
    String fail2ban = FAIL2BAN_STATUS;
    String selinux = "Enforcing";
    Map<String, String> labels = new LinkedHashMap<>(Map.of("/data/docker/volumes",
            "system_u:object_r:container_file_t:s0"));
    boolean firewallRunning = true;
    List<String> firewallLoaded;
    String dockerUser = DOCKER_USER;
    Map<String, String> timers;
    List<String> aptFiles = new ArrayList<>(List.of(APT_PERIODIC));
    List<String> journaldFiles = new ArrayList<>(List.of("[Journal]\n#Storage=auto\n", JOURNALD));
    /** Why the parts that ask the running system could not be read (as under --root); empty: they were. */
    String runningError = "";

    /** The recorded host as one of the family, its spec resolved for it (rhel: firewalld, dnf-automatic). */
    Recorded family(Family family) {
        spec = spec.resolved(family, "192.168.10.5");
        return this;
    }

    HostServices services() {
        boolean rhel = spec.host().family() == Family.RHEL;
        List<String> loaded = firewallLoaded != null ? firewallLoaded
                : rhel ? List.of("public") : List.of("ip filter", "ip nat", "inet kiban");
        Map<String, String> units = timers != null ? timers : new LinkedHashMap<>();
        if (timers == null) {
            for (String u : AuditGatherer.updateTimers(spec.host().family())) units.put(u, "enabled");
        }
        Fact<HostServices.Fail2ban> f2b = Fact.of(new HostServices.Fail2ban(fail2banRunning,
                fail2banRunning ? "running" : "fail2ban-client status: ERROR   Failed to access socket path: "
                        + "/var/run/fail2ban/fail2ban.sock. Is fail2ban running?",
                fail2banRunning ? AuditGatherer.parseJails(fail2ban) : List.of()));
        Fact<HostServices.Firewall> fw = Fact.of(new HostServices.Firewall(firewallRunning,
                firewallRunning ? "running" : "not running", firewallRunning ? loaded : List.of()));
        Fact<List<String>> du = Fact.of(AuditGatherer.parseRules(dockerUser));
        Fact<String> se = Fact.of(selinux);
        if (!runningError.isEmpty()) {
            f2b = Fact.unreadable(runningError);
            fw = Fact.unreadable(runningError);
            du = Fact.unreadable(runningError);
            se = Fact.unreadable(runningError);
        }
        return new HostServices(f2b, se, Fact.of(labels), fw, du, Fact.of(units),
                Fact.of(ConfigFiles.apt(aptFiles)), Fact.of(ConfigFiles.journald(journaldFiles)), Fact.of(auditd));
    }

    /** A container as a well-written compose file makes it. */
    static ContainerHardening hardened(String name) {
        return new ContainerHardening(name + "-id", name, "registry.example.org/web@sha256:abc", true, false,
                "web_net", "", "private", "", "", List.of(), List.of("no-new-privileges:true"), "", List.of(),
                256L << 20, 500_000_000L, 0, 200, "1000", true, true, "on-failure", 5,
                List.of(new ContainerHardening.PortBinding("127.0.0.1", 8080, "80/tcp")), List.of("web_net"), "",
                List.of(), Map.of("com.docker.stack.namespace", "web", "com.docker.swarm.service.name", "web_" + name),
                "sha256:web");
    }

    AuditFacts facts() {
        Fact<EngineInfo> info;
        Fact<DaemonSecurity> daemon;
        Fact<List<ContainerHardening>> cs;
        if (engineError.isEmpty()) {
            info = Fact.of(new EngineInfo("27.3.1", "1.47", "Debian GNU/Linux 13", "6.12", "overlay2",
                    "/var/lib/docker",
                    "2", "systemd", new EngineInfo.SwarmState(swarm ? "active" : "inactive", swarm, managers, managers),
                    3, liveRestore));
            daemon = Fact.of(new DaemonSecurity(securityOptions, loggingDriver, false, List.of(), ""));
            cs = Fact.of(containers);
        } else {
            info = Fact.unreadable(engineError);
            daemon = Fact.unreadable(engineError);
            cs = Fact.unreadable(engineError);
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(daemonJson);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        String objectsWhy = engineError.isEmpty() ? objectsError : engineError;
        Fact<EngineObjects> objects = objectsWhy.isEmpty() ? Fact.of(new EngineObjects(images, imagesInUse,
                stoppedContainers, overlays, cluster)) : Fact.unreadable(objectsWhy);
        return new AuditFacts(spec, info, daemon, cs, Fact.of(json), Fact.of(AuditGatherer.parseSshd(sshd)),
                Fact.of(new AuditFacts.HostFiles(files, units, ports, auditRules, mounts,
                        dockerGroup)), objects, Fact.of(services()));
    }

    List<AuditResult> audit() {
        return Audit.run(Catalogue.all(), facts(), spec.audit().waivers(), TODAY);
    }

    AuditResult result(String id) {
        AuditCheck check = Audit.find(Catalogue.all(), id).orElseThrow();
        return Audit.run(List.of(check), facts(), List.of(), TODAY).get(0);
    }
}
