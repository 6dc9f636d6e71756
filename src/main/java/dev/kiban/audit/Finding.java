package dev.kiban.audit;

import java.util.List;

/**
 * What one check decided from the facts: the verdict, the evidence it saw, the reason for an INFO (the
 * design's rule or D number), the remediation for a failure, and the running containers it is about.
 */
public record Finding(Status status, String evidence, String reason, String remediation, List<Workload> workloads) {
    public Finding(Status status, String evidence, String reason, String remediation) {
        this(status, evidence, reason, remediation, List.of());
    }

    public static Finding pass(String evidence) {
        return new Finding(Status.PASS, evidence, "", "");
    }

    public static Finding fail(String evidence, String remediation) {
        return new Finding(Status.FAIL, evidence, "", remediation);
    }

    public static Finding warn(String evidence, String remediation) {
        return new Finding(Status.WARN, evidence, "", remediation);
    }

    /** A deviation the design requires: reported with its reason, never as a warning. */
    public static Finding info(String evidence, String reason) {
        return new Finding(Status.INFO, evidence, reason, "");
    }
}
