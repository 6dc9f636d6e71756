package dev.kiban.audit;

import java.util.Optional;

/** One check's outcome as reported: the check's identity, the verdict, evidence, reason and remediation. */
public record AuditResult(String id, String title, String section, Severity severity, Status status,
                          String evidence, String reason, String remediation, Optional<String> specKey,
                          String file) {}
