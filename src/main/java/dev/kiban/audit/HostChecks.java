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
        AuditedPaths.BY_ID.keySet().forEach(id -> b.add(id, Severity.LOW, Set.of(FILES), "", AUDIT_RULES,
                f -> audited(f, id)));
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
     * Whether auditd watches what {@code id} is about (a {@code -w} rule, or {@code -F path=}/{@code dir=}): each of
     * its paths that the host has (the daemon where either packaging puts it, the spec's data root); a path the
     * host lacks needs no rule. A unit is matched by its file name in whichever directory.
     */
    static Finding audited(AuditFacts f, String id) {
        String entry = AuditedPaths.BY_ID.get(id);
        String rules = f.files().get().auditRules();
        List<String> paths = AuditedPaths.paths(id, f.spec());
        if (paths.isEmpty()) return Finding.pass(entry + " absent on this host");
        boolean unit = AuditedPaths.unit(entry);
        List<String> watched = new java.util.ArrayList<>();
        List<String> missing = new java.util.ArrayList<>();
        for (String path : paths) {
            String rule = rule(rules, unit ? entry : path, unit);
            if (!rule.isEmpty()) watched.add(rule);
            else if (unit || f.files().get().stat(path).exists()) missing.add(path);
        }
        if (missing.isEmpty()) {
            if (watched.isEmpty()) return Finding.pass(String.join(", ", paths) + " absent on this host");
            String state = f.services().value().flatMap(s -> s.auditd().value()).orElse("active");
            // rules on disk record nothing while auditd is down (in a container the kernel's audit is not there)
            return state.equals("active") ? Finding.pass("audited: " + String.join("; ", watched))
                    : Finding.warn("the rule is in place (" + String.join("; ", watched) + ") but auditd is " + state
                    + ": nothing is recorded", "systemctl enable --now auditd (a container has no kernel audit)");
        }
        return Finding.fail("no audit rule watches " + String.join(", ", missing)
                        + (rules.isBlank() ? " (no audit rules at all: is auditd installed?)" : ""),
                "run 'kiban apply': it writes '-w " + missing.get(0) + " -k docker' to " + AUDIT_RULES
                        + " and loads it (augenrules --load)");
    }

    /**
     * The rule that watches {@code path} (a unit: its file name in any directory), or one of its directories with
     * {@code -w} or {@code dir=} (a directory watch covers its whole tree), or empty.
     */
    private static String rule(String rules, String path, boolean unit) {
        String covering = "";
        for (String line : rules.split("\n")) {
            String l = line.strip();
            if (l.startsWith("#")) continue;
            String[] words = l.split("\\s+");
            for (int i = 0; i < words.length; i++) {
                String p = words[i].replaceFirst("^(path|dir)=", "");
                if (unit ? p.endsWith("/" + path) : p.equals(path)) return l;
                boolean dir = words[i].startsWith("dir=") || i > 0 && words[i - 1].equals("-w");
                if (!unit && dir && covering.isEmpty() && p.length() > 1 && path.startsWith(p + "/")) covering = l;
            }
        }
        return covering;
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
