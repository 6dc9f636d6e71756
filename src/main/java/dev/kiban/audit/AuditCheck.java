package dev.kiban.audit;

import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

/**
 * One check of the catalogue: a CIS id ({@code 2.2}) or kiban's ({@code kiban.ssh.password}), its title,
 * section and severity, the facts it needs, and either a rule (a pure function of the facts and the audit's
 * day) or, for a MANUAL check, what a person should look at. {@code specKey} is the spec key kiban renders the setting
 * from (then the remediation is that key and {@code kiban apply}); {@code file} is what the check looks at.
 */
public record AuditCheck(String id, String title, Severity severity, Set<Need> needs,
                         Optional<Rule> rule, String look, Optional<String> specKey, String file) {

    /** The facts a check reads; when one could not be gathered, the check is ERROR. */
    public enum Need { ENGINE, CONTAINERS, DAEMON_JSON, SSHD, FILES, OBJECTS, SERVICES }

    /**
     * How a check decides: from the facts and the audit's day ({@code today}, the same day a waiver's expiry is
     * judged by, handed in by the caller so that an age is as deterministic as the facts).
     */
    @FunctionalInterface
    public interface Rule {
        Finding decide(AuditFacts facts, LocalDate today);
    }

    public boolean manual() {
        return rule.isEmpty();
    }

    /** The CIS section ({@code 2}) or {@code kiban}. */
    public String section() {
        return section(id);
    }

    static String section(String id) {
        return id.startsWith("kiban.") ? "kiban" : id.substring(0, id.indexOf('.') < 0 ? id.length() : id.indexOf('.'));
    }
}
