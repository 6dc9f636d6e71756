package dev.kiban.audit;

import static dev.kiban.audit.AuditCheck.Need.ENGINE;
import static dev.kiban.audit.AuditCheck.Need.SSHD;

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

    private HostChecks() {}

    static void add(Catalogue.Builder b) {
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

    private static Finding yesNo(AuditFacts f, String key, boolean wanted, String specKey) {
        String v = f.sshd().get().getOrDefault(key, "");
        String want = wanted ? "yes" : "no";
        if (v.equals(want)) return Finding.pass(key + " " + v);
        return Finding.fail(key + " " + (v.isEmpty() ? "(not reported)" : v) + ", the spec says " + want
                + " (a drop-in read earlier wins in sshd)", Rules.apply(specKey, "to " + wanted)
                + "; remove the drop-in that overrides it (sshd -T shows the effective value)");
    }
}
