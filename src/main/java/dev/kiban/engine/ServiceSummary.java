package dev.kiban.engine;

import java.util.List;
import java.util.Map;

/**
 * A Swarm service: its mode and, when replicated, how many replicas it wants; the secrets and configs it uses, by name;
 * and the state of its last update as the engine reports it ({@code UpdateStatus}, {@link Update#NONE} when the
 * engine reports none: never updated, or the update is not yet picked up).
 */
public record ServiceSummary(String id, String name, String image, boolean global, int replicas,
                             Map<String, String> labels, List<String> secrets, List<String> configs, Update update) {
    public ServiceSummary(String id, String name, String image, boolean global, int replicas,
            Map<String, String> labels) {
        this(id, name, image, global, replicas, labels, List.of(), List.of());
    }

    public ServiceSummary(String id, String name, String image, boolean global, int replicas,
            Map<String, String> labels, List<String> secrets, List<String> configs) {
        this(id, name, image, global, replicas, labels, secrets, configs, Update.NONE);
    }

    /** The same service with that update status. */
    public ServiceSummary withUpdate(Update status) {
        return new ServiceSummary(id, name, image, global, replicas, labels, secrets, configs, status);
    }

    /**
     * A service's {@code UpdateStatus}: {@code state} is the engine's word (updating, paused, completed,
     * rollback_started, rollback_paused, rollback_completed; empty for none), {@code message} its reason,
     * {@code startedAt} when that update began (the engine's time, as it writes it): what tells a new update from
     * the one a service still reports from an earlier deploy.
     */
    public record Update(String state, String message, String startedAt) {
        public static final Update NONE = new Update("", "", "");

        public Update(String state, String message) {
            this(state, message, "");
        }

        /** The engine rolled the update back: the new spec failed and the service runs the previous one. */
        public boolean rolledBack() {
            return "rollback_completed".equals(state);
        }

        /** The update or its rollback is still replacing tasks. */
        public boolean underWay() {
            return "updating".equals(state) || "rollback_started".equals(state);
        }

        /** The engine stopped the update (failure_action: pause) or its rollback; it waits for the operator. */
        public boolean paused() {
            return "paused".equals(state) || "rollback_paused".equals(state);
        }
    }
}
