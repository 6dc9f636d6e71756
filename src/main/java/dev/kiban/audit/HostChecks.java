package dev.kiban.audit;

import static dev.kiban.audit.AuditCheck.Need.ENGINE;
import static dev.kiban.audit.AuditCheck.Need.FILES;
import static dev.kiban.audit.AuditCheck.Need.SSHD;

import dev.kiban.spec.AuditedPaths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The design's own hardening, live: sshd's effective settings ({@code sshd -T}, after every Include and
 * drop-in, so a drop-in that re-enables passwords is caught) against the spec (R7.2), and Swarm mode.
 */
final class HostChecks {
    static final String SSHD_CONFIG = "/etc/ssh/sshd_config";
    static final String AUDIT_RULES = AuditedPaths.RULES_FILE;

    private HostChecks() {}

    static void add(Catalogue.Builder b) {
        b.add("1.1.1", Severity.LOW, Set.of(FILES), "engine.dataRoot", "/proc/mounts", f -> {
            String dataRoot = f.spec().engine().dataRoot().value();
            List<String> points = f.files().get().mountPoints();
            var own = points.stream().filter(m -> !m.equals("/") && (dataRoot.equals(m)
                    || dataRoot.startsWith(m + "/"))).max(java.util.Comparator.comparingInt(String::length));
            return own.isPresent() ? Finding.pass(dataRoot + " is on its own filesystem, mounted at " + own.get())
                    : Finding.fail(dataRoot + " is on the root filesystem: images and logs can fill it",
                    "mount a filesystem of its own at " + dataRoot + " (engine.dataRoot)");
        });
        b.add("1.1.2", Severity.MEDIUM, Set.of(FILES), "security.ssh.allowUsers", "/etc/group", f -> {
            List<String> members = f.files().get().dockerGroup();
            List<String> admins = f.spec().security().ssh().allowUsers();
            List<String> others = members.stream().filter(u -> !admins.contains(u)).toList();
            if (members.isEmpty()) return Finding.pass("no user in the docker group");
            return others.isEmpty() ? Finding.pass("docker group: " + String.join(", ", members))
                    : Finding.warn("docker group: " + String.join(", ", members) + "; not an administrator of "
                    + "security.ssh.allowUsers: " + String.join(", ", others)
                    + " (membership is root on this host)", "gpasswd -d USER docker for each who should not be root");
        });
        AuditedPaths.BY_ID.forEach((id, path) -> b.add(id, Severity.LOW, Set.of(FILES), "", AUDIT_RULES,
                f -> audited(f, path)));
        b.add("kiban.ssh.password", Severity.CRITICAL, Set.of(SSHD), "security.ssh.passwordAuthentication",
                SSHD_CONFIG, f -> yesNo(f, "passwordauthentication",
                        f.spec().security().ssh().passwordAuthentication(), "security.ssh.passwordAuthentication"));
        b.add("kiban.ssh.rootlogin", Severity.HIGH, Set.of(SSHD), "security.ssh.permitRootLogin", SSHD_CONFIG, f -> {
            String v = f.sshd().get().getOrDefault("permitrootlogin", "");
            boolean wanted = f.spec().security().ssh().permitRootLogin();
            boolean refused = v.equals("no");
            if (wanted || refused) return Finding.pass("permitrootlogin " + v);
            return Finding.fail("permitrootlogin " + (v.isEmpty() ? "(not reported)" : v)
                    + " (the spec says no; a drop-in or Match block overrides it)",
                    Rules.apply("security.ssh.permitRootLogin", "to false") + "; remove the overriding drop-in");
        });
        b.add("kiban.ssh.pubkey", Severity.MEDIUM, Set.of(SSHD), "security.ssh.pubkeyAuthentication", SSHD_CONFIG,
                f -> yesNo(f, "pubkeyauthentication", f.spec().security().ssh().pubkeyAuthentication(),
                        "security.ssh.pubkeyAuthentication"));
        b.add("kiban.ssh.allowusers", Severity.HIGH, Set.of(SSHD), "security.ssh.allowUsers", SSHD_CONFIG, f -> {
            List<String> wanted = f.spec().security().ssh().allowUsers().stream()
                    .filter(u -> !u.startsWith("<")).sorted().toList();
            Map<String, String> sshd = f.sshd().get();
            List<String> seen = sshd.containsKey("allowusers")
                    ? Arrays.stream(sshd.get("allowusers").split("\\s+")).filter(s -> !s.isEmpty()).sorted().toList()
                    : List.of();
            if (wanted.isEmpty()) {
                return seen.isEmpty() ? Finding.warn("no AllowUsers: every account with a key may log in",
                        Rules.apply("security.ssh.allowUsers", "to the admin accounts"))
                        : Finding.pass("allowusers " + String.join(" ", seen));
            }
            return seen.equals(wanted) ? Finding.pass("allowusers " + String.join(" ", seen))
                    : Finding.fail("allowusers " + (seen.isEmpty() ? "(none: everyone)" : String.join(" ", seen))
                    + ", the spec says " + String.join(" ", wanted), Rules.apply("security.ssh.allowUsers", ""));
        });
        b.add("kiban.swarm", Severity.LOW, Set.of(ENGINE), "swarm.enabled", "", f -> {
            boolean on = f.swarm();
            boolean wanted = f.spec().swarm().enabled();
            if (on && wanted) return Finding.info("Swarm mode is active", "the design runs every service on Swarm "
                    + "(R8); hence live-restore off (D1) and no userns-remap (D13)");
            if (on == wanted) return Finding.pass("Swarm mode off, as the spec says");
            return Finding.fail("Swarm mode is " + (on ? "on" : "off") + ", the spec says "
                    + (wanted ? "on" : "off"), wanted ? "run 'kiban swarm init'" : Rules.apply("swarm.enabled", ""));
        });
    }

    /**
     * Whether auditd watches {@code path} (a {@code -w} rule, or {@code -F path=}/{@code dir=}); a path the host
     * lacks needs no rule. A unit is matched by its file name in whichever directory.
     */
    static Finding audited(AuditFacts f, String path) {
        String rules = f.files().get().auditRules();
        boolean unit = AuditedPaths.unit(path);
        for (String line : rules.split("\n")) {
            String l = line.strip();
            if (l.startsWith("#")) continue;
            for (String word : l.split("\\s+")) {
                String p = word.replaceFirst("^(path|dir)=", "");
                if (unit ? p.endsWith("/" + path) : p.equals(path)) return Finding.pass("audited: " + l);
            }
        }
        if (!unit && !f.files().get().stat(path).exists()) return Finding.pass(path + " absent on this host");
        String shown = AuditedPaths.path(path, f.spec().host().family());
        return Finding.fail("no audit rule watches " + (unit ? path : shown)
                        + (rules.isBlank() ? " (no audit rules at all: is auditd installed?)" : ""),
                "run 'kiban apply': it writes '-w " + shown + " -k docker' to " + AUDIT_RULES
                        + " and loads it (augenrules --load)");
    }

    private static Finding yesNo(AuditFacts f, String key, boolean wanted, String specKey) {
        String v = f.sshd().get().getOrDefault(key, "");
        String want = wanted ? "yes" : "no";
        if (v.equals(want)) return Finding.pass(key + " " + v);
        return Finding.fail(key + " " + (v.isEmpty() ? "(not reported)" : v) + ", the spec says " + want
                + " (a drop-in read earlier wins in sshd)", Rules.apply(specKey, "to " + wanted)
                + "; remove the drop-in that overrides it (sshd -T shows the effective value)");
    }
}
