package dev.kiban.audit;

import java.util.List;
import java.util.Optional;

/**
 * One check's outcome as reported: the check's identity, the verdict, evidence, reason and remediation, and the
 * containers it is about (each placed at its compose service in SARIF).
 */
public record AuditResult(String id, String title, String section, Severity severity, Status status,
                          String evidence, String reason, String remediation, Optional<String> specKey,
                          String file, List<Workload> workloads) {
    public AuditResult(String id, String title, String section, Severity severity, Status status, String evidence,
                       String reason, String remediation, Optional<String> specKey, String file) {
        this(id, title, section, severity, status, evidence, reason, remediation, specKey, file, List.of());
    }
}
