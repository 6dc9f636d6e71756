package dev.kiban.migrate;

import java.util.List;
import java.util.Map;

/**
 * One compose service as an ECS service: its task, how many tasks, how a deployment rolls (the circuit
 * breaker and the healthy percentages from {@code deploy.update_config}), the stack networks it is in
 * (each a security group) and whether it is plain HTTP on one port, which an ALB (and {@code --express})
 * can serve. {@code tags} are its {@code deploy.labels}, as tags on the ECS service; {@code aliases} its compose
 * network aliases, which Service Connect also answers to beside its name.
 */
public record EcsService(String name, EcsTask task, int desiredCount, boolean rollback, int minimumHealthyPercent,
        int maximumPercent, List<String> networks, List<EcsTask.PortMapping> published, boolean http,
        Map<String, String> tags, List<String> aliases) {

    /** ECS attaches at most this many target groups to one service. */
    public static final int MAX_TARGET_GROUPS = 5;

    /** Published ports other than one HTTP port, few enough for ECS to put each behind the stack's NLB. */
    public boolean nlb() {
        return !http && !published.isEmpty() && published.size() <= MAX_TARGET_GROUPS;
    }

    /**
     * The ports Service Connect serves under the service's name: its TCP ports, each once (Service Connect's
     * proxy carries TCP, not UDP).
     */
    public List<EcsTask.PortMapping> connectPorts() {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        return task.container().ports().stream().filter(p -> p.protocol().equals("tcp") && seen.add(p.port()))
                .toList();
    }

    /** Tasks that run, for the estimate. */
    public int tasks() {
        return desiredCount;
    }
}
