package dev.kiban.spec;

import dev.kiban.spec.PlatformSpec.Family;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What CIS Docker Benchmark 1.1.3-1.1.18 ask auditd to watch, by id: a path, or a unit's file name (its
 * directory differs by family). Here, beside {@link AuditIds}, because the host renders the rules from it and
 * the audit checks them against it, and neither capability may import the other.
 */
public final class AuditedPaths {
    /** kiban's own file of auditd rules, which augenrules loads with the others of rules.d. */
    public static final String RULES_FILE = "/etc/audit/rules.d/kiban-docker.rules";
    /** Every id and its path or unit file name, in the benchmark's order. */
    public static final Map<String, String> BY_ID = byId();

    private AuditedPaths() {}

    private static Map<String, String> byId() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("1.1.3", "/usr/bin/dockerd");
        m.put("1.1.4", "/run/containerd");
        m.put("1.1.5", "/var/lib/docker");
        m.put("1.1.6", "/etc/docker");
        m.put("1.1.7", "docker.service");
        m.put("1.1.8", "/run/containerd/containerd.sock");
        m.put("1.1.9", "docker.socket");
        m.put("1.1.10", "/etc/default/docker");
        m.put("1.1.11", "/etc/docker/daemon.json");
        m.put("1.1.12", "/etc/containerd/config.toml");
        m.put("1.1.13", "/etc/sysconfig/docker");
        m.put("1.1.14", "/usr/bin/containerd");
        m.put("1.1.15", "/usr/bin/containerd-shim");
        m.put("1.1.16", "/usr/bin/containerd-shim-runc-v1");
        m.put("1.1.17", "/usr/bin/containerd-shim-runc-v2");
        m.put("1.1.18", "/usr/bin/runc");
        return Collections.unmodifiableMap(m);
    }

    /** Whether the entry is a unit's file name rather than a path. */
    public static boolean unit(String entry) {
        return !entry.startsWith("/");
    }

    /** Where the family's packages put systemd units: /usr/lib/systemd/system on rhel, /lib/systemd/system else. */
    public static String unitDirectory(Family family) {
        return family == Family.RHEL ? "/usr/lib/systemd/system" : "/lib/systemd/system";
    }

    /**
     * Whether the family has the entry's directory: /etc/sysconfig is rhel's. auditctl refuses a watch whose
     * directory is missing, and augenrules stops at the first refused rule, so none is rendered there.
     */
    public static boolean applies(String entry, Family family) {
        return family == Family.RHEL || !entry.startsWith("/etc/sysconfig/");
    }

    /** The entry as a path on a host of the family. */
    public static String path(String entry, Family family) {
        return unit(entry) ? unitDirectory(family) + "/" + entry : entry;
    }
}
