package dev.kiban.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiban.engine.ContainerHardening;
import dev.kiban.engine.DaemonSecurity;
import dev.kiban.engine.EngineInfo;
import dev.kiban.engine.EngineObjects;
import dev.kiban.spec.PlatformSpec;
import java.util.List;
import java.util.Map;

/**
 * Everything the checks look at, gathered once at the edge ({@link AuditGatherer}) or recorded in a test:
 * the spec, the engine's info and security options, the running containers, daemon.json, {@code sshd -T}
 * (keys in lower case, repeated keys joined by a space), the host's files, and the engine's other objects
 * (images, stopped containers, overlay networks, the cluster's autolock and secrets) and its hardening
 * services.
 */
public record AuditFacts(PlatformSpec spec, Fact<EngineInfo> info, Fact<DaemonSecurity> daemon,
                         Fact<List<ContainerHardening>> containers, Fact<JsonNode> daemonJson,
                         Fact<Map<String, String>> sshd, Fact<HostFiles> files, Fact<EngineObjects> objects,
                         Fact<HostServices> services) {

    /**
     * The host's files: each path's stat, the text of docker's systemd units and drop-ins (where {@code -H
     * tcp://} would be), the TCP ports something listens on, auditd's rules (audit.rules and rules.d), the
     * mount points ({@code /proc/mounts}) and the docker group's members ({@code /etc/group}).
     */
    public record HostFiles(Map<String, FileFact> stats, String dockerUnits, List<Integer> listeningPorts,
                            String auditRules, List<String> mountPoints, List<String> dockerGroup) {
        public FileFact stat(String path) {
            return stats.getOrDefault(path, FileFact.absent(path));
        }
    }

    /** Whether the engine says this node is in an active swarm (false when the engine could not be read). */
    public boolean swarm() {
        return info.value().map(i -> i.swarm().active()).orElse(false);
    }

    /** Why the facts a check needs are missing, or empty when all are there. */
    String missing(AuditCheck check) {
        for (AuditCheck.Need n : check.needs()) {
            Fact<?> f = switch (n) {
                case ENGINE -> info.present() ? daemon : info;
                case CONTAINERS -> containers;
                case DAEMON_JSON -> daemonJson;
                case SSHD -> sshd;
                case FILES -> files;
                case OBJECTS -> objects;
                case SERVICES -> services;
            };
            if (!f.present()) return f.error();
        }
        return "";
    }
}
