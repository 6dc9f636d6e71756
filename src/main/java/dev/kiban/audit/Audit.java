package dev.kiban.audit;

import dev.kiban.spec.PlatformSpec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs checks on gathered facts and applies the spec's waivers: pure. A check whose facts are missing
 * is ERROR with the reason; a rule that throws is ERROR too, and the others still run.
 */
public final class Audit {
    private Audit() {}

    /**
     * The checks {@code only} selects (each word a section, {@code 5}, a CIS or kiban id, or a prefix of ids
     * by whole parts, {@code kiban.ssh}); all when empty. An unmatched word is named in the exception.
     */
    public static List<AuditCheck> select(List<AuditCheck> all, List<String> only) {
        if (only.isEmpty()) return all;
        List<String> unknown = new ArrayList<>();
        for (String w : only) if (all.stream().noneMatch(c -> matches(c, w))) unknown.add(w);
        if (!unknown.isEmpty()) throw new IllegalArgumentException(String.join(", ", unknown));
        return all.stream().filter(c -> only.stream().anyMatch(w -> matches(c, w))).toList();
    }

    private static boolean matches(AuditCheck c, String word) {
        return c.id().equals(word) || c.id().startsWith(word + ".") || c.section().equals(word);
    }

    public static List<AuditResult> run(List<AuditCheck> checks, AuditFacts facts, List<PlatformSpec.Waiver> waivers,
                                        LocalDate today) {
        Map<String, PlatformSpec.Waiver> byId = new LinkedHashMap<>();
        waivers.forEach(w -> byId.put(w.id(), w));
        List<AuditResult> out = new ArrayList<>();
        for (AuditCheck c : checks) out.add(waive(c, decide(c, facts, today), byId.get(c.id()), today));
        return out;
    }

    static Finding decide(AuditCheck c, AuditFacts facts, LocalDate today) {
        if (c.manual()) return new Finding(Status.MANUAL, "look at: " + c.look(), "", "");
        String missing = facts.missing(c);
        if (!missing.isEmpty()) return new Finding(Status.ERROR, missing, "", "run again when it can be read");
        try {
            return c.rule().get().decide(facts, today);
        } catch (RuntimeException e) {
            return new Finding(Status.ERROR, "the check could not decide: " + e, "", "");
        }
    }

    private static AuditResult waive(AuditCheck c, Finding f, PlatformSpec.Waiver w, LocalDate today) {
        Finding out = f;
        if (w != null && (f.status() == Status.FAIL || f.status() == Status.WARN)) {
            boolean expired = LocalDate.parse(w.expires()).isBefore(today);
            out = expired
                    ? new Finding(Status.EXPIRED, f.evidence() + "; the waiver expired on " + w.expires(), w.reason(),
                    f.remediation(), f.workloads())
                    : new Finding(Status.WAIVED, f.evidence(), w.reason() + " (waived until " + w.expires() + ")",
                    f.remediation(), f.workloads());
        }
        return new AuditResult(c.id(), c.title(), c.section(), c.severity(), out.status(), out.evidence(),
                out.reason(), out.remediation(), c.specKey(), c.file(), out.workloads());
    }

    /** The results that fail the audit: a failing verdict at or above {@code failOn}. */
    public static List<AuditResult> failures(List<AuditResult> results, Severity failOn) {
        return results.stream().filter(r -> r.status().failing() && r.severity().compareTo(failOn) >= 0).toList();
    }

    /** Whether nothing at all could be decided because the engine was missing and nothing else ran. */
    public static boolean nothingRan(List<AuditResult> results) {
        return results.stream().noneMatch(r -> r.status() != Status.ERROR && r.status() != Status.MANUAL);
    }

    /** Whether the string is a waiver id of the catalogue. */
    public static Optional<AuditCheck> find(List<AuditCheck> all, String id) {
        return all.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
