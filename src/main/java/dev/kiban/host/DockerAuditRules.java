package dev.kiban.host;

import dev.kiban.spec.AuditedPaths;
import dev.kiban.spec.PlatformSpec;

/**
 * auditd's watches on Docker's files (CIS Docker Benchmark 1.1.3-1.1.18): one {@code -w PATH -k docker} line
 * for each path of {@link AuditedPaths}, units in the family's unit directory. augenrules reads every file of
 * rules.d into the rules it loads; kiban's is its own file, so the distribution's rules stay as they are.
 */
public final class DockerAuditRules {
    public static final String PATH = AuditedPaths.RULES_FILE;

    private DockerAuditRules() {}

    public static Artifact render(PlatformSpec spec) {
        StringBuilder rules = new StringBuilder(ManagedFile.header("#", "CIS Docker 1.1.3-1.1.18"));
        rules.append("# What the benchmark asks auditd to watch; 'ausearch -k docker' lists what it saw.\n");
        // the watches under /run last: at boot auditd may load them before containerd makes their directory, and
        // auditctl refuses a watch whose directory is missing (the rules after it in the file would be lost); a
        // watch on /run/containerd itself is accepted, its parent being there
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (boolean volatileRun : new boolean[] {false, true}) {
            for (String id : AuditedPaths.BY_ID.keySet()) {
                for (String path : AuditedPaths.paths(id, spec)) {
                    boolean underRun = path.startsWith("/run/") && path.indexOf('/', "/run/".length()) > 0;
                    // containerd's socket: the watch on /run/containerd covers it (a directory watch is recursive),
                    // and a watch of its own would be refused at boot, before containerd makes the directory
                    boolean covered = underRun && seen.stream().anyMatch(w -> path.startsWith(w + "/"));
                    if (underRun == volatileRun && !covered && seen.add(path)) {
                        rules.append("-w ").append(path).append(" -k docker\n");
                    }
                }
            }
        }
        return Artifact.config(PATH, rules.toString(), "auditd watches Docker's files (CIS 1.1.3-1.1.18)",
                Artifact.Reader.AUDITD).withMode("rw-r-----");
    }
}
