package dev.kiban.migrate;

import java.util.List;
import java.util.Map;

/**
 * One compose service as an ECS service: its task, how many tasks, how a deployment rolls (the circuit
 * breaker and the healthy percentages from {@code deploy.update_config}), the stack networks it is in
 * (each a security group) and whether it is plain HTTP on one port, which an ALB (and {@code --express})
 * can serve. {@code tags} are its {@code deploy.labels}, as tags on the ECS service.
 */
public record EcsService(String name, EcsTask task, int desiredCount, boolean rollback, int minimumHealthyPercent,
        int maximumPercent, List<String> networks, List<EcsTask.PortMapping> published, boolean http,
        Map<String, String> tags) {

    /** ECS attaches at most this many target groups to one service. */
    public static final int MAX_TARGET_GROUPS = 5;

    /** Published ports other than one HTTP port, few enough for ECS to put each behind the stack's NLB. */
    public boolean nlb() {
        return !http && !published.isEmpty() && published.size() <= MAX_TARGET_GROUPS;
    }

    /** Tasks that run, for the estimate. */
    public int tasks() {
        return desiredCount;
    }
}
