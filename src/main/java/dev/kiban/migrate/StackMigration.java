package dev.kiban.migrate;

import dev.kiban.spec.Problem;
import java.util.List;

/**
 * One stack's migration, planned: its ECS services, what kiban declares beside them (Secrets Manager
 * secrets by name, EFS access points by volume, one security group per network), what became of every
 * key, and the refusals: any refusal and nothing of the stack may be written.
 */
public record StackMigration(String stack, String file, List<EcsService> services, List<String> secrets,
        List<String> volumes, List<String> networks, List<KeyOutcome> outcomes, List<Problem> refusals) {

    public boolean refused() {
        return !refusals.isEmpty();
    }

    /** The log group every service of the stack writes to. */
    public static String logGroup(String stack) {
        return "/kiban/" + stack;
    }
}
