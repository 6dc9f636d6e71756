package dev.kiban.audit;

import dev.kiban.engine.ContainerHardening;
import java.util.Map;

/**
 * A running container a finding is about, what the check found in it, and where an operator changes it: the
 * compose file and service its labels name ({@code docker compose} writes the file's path; a Swarm stack
 * kiban deployed is {@code <storage.compose>/<stack>/docker-compose.yml}), empty when the labels say neither.
 */
public record Workload(String container, String problem, String composeFile, String service) {
    static final String COMPOSE_FILES = "com.docker.compose.project.config_files";
    static final String COMPOSE_SERVICE = "com.docker.compose.service";
    static final String STACK = "com.docker.stack.namespace";
    static final String SWARM_SERVICE = "com.docker.swarm.service.name";

    /** A stack or service name as Docker allows them: never a path of its own. */
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}";

    static Workload of(ContainerHardening c, String problem, String composeTree) {
        Map<String, String> labels = c.labels();
        String files = labels.getOrDefault(COMPOSE_FILES, "");
        String service = labels.getOrDefault(COMPOSE_SERVICE, "");
        if (!files.isEmpty() && service.matches(NAME)) {
            return new Workload(c.name(), problem, files.split(",")[0].strip(), service);
        }
        String stack = labels.getOrDefault(STACK, "");
        String swarmService = labels.getOrDefault(SWARM_SERVICE, "");
        if (stack.matches(NAME) && !stack.contains("..") && swarmService.startsWith(stack + "_")
                && !composeTree.isEmpty()) {
            String name = swarmService.substring(stack.length() + 1);
            if (name.matches(NAME)) {
                return new Workload(c.name(), problem, composeTree + "/" + stack + "/docker-compose.yml", name);
            }
        }
        return new Workload(c.name(), problem, "", "");
    }

    /** How the container is named in evidence: with what was found in it. */
    String shown() {
        return container + (problem.isEmpty() ? "" : " (" + problem + ")");
    }
}
