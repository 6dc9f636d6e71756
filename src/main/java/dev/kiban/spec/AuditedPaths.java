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

    /** Where Debian's docker.io puts the daemon; Docker's own packages put it at /usr/bin/dockerd. */
    static final String DOCKERD_DEBIAN = "/usr/sbin/dockerd";

    /**
     * What auditd watches for {@code id} on the spec's host: the entry as a path of the family, and besides it the
     * daemon where the other packaging puts it (1.1.3: Docker's packages and Debian's differ; a watch on a missing
     * file in an existing directory is accepted) and the spec's data root (1.1.5: the design moves it off
     * /var/lib/docker, R3). Empty where the family lacks the directory.
     */
    public static java.util.List<String> paths(String id, PlatformSpec spec) {
        Family family = spec.host().family();
        String entry = BY_ID.get(id);
        if (entry == null || !applies(entry, family)) return java.util.List.of();
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        out.add(path(entry, family));
        if (id.equals("1.1.3")) out.add(DOCKERD_DEBIAN);
        if (id.equals("1.1.5")) out.add(spec.engine().dataRoot().value());
        return java.util.List.copyOf(out);
    }
}
