package dev.kiban.verify;

import dev.kiban.engine.Engine;
import dev.kiban.engine.SwarmSettings;
import java.util.List;
import java.util.Optional;

/**
 * Where in the Swarm verify runs. Nodes, services, tasks, configs and secrets are a manager's to list: on a
 * worker the checks that need them are skipped, naming the managers to run on, rather than failing for where
 * the operator happened to stand.
 */
final class SwarmRole {
    private SwarmRole() {}

    /** The skip reason on a worker: where the managers are. */
    static String onWorker(SwarmSettings swarm) {
        return "on a worker: run on a manager (" + managers(swarm) + ")";
    }

    /** The manager addresses this node knows, or "none known". */
    static String managers(SwarmSettings swarm) {
        return swarm.remoteManagers().isEmpty() ? "none known" : String.join(", ", swarm.remoteManagers());
    }

    /** The host part of a manager address ("10.0.0.1:2377" is 10.0.0.1). */
    static String host(String address) {
        return address.replaceFirst(":\\d+$", "").replaceAll("^\\[|\\]$", "");
    }

    /** The manager addresses {@code swarm} knows that are among {@code declared} (host parts, spec addresses). */
    static List<String> declaredAmong(SwarmSettings swarm, List<String> declared) {
        return swarm.remoteManagers().stream().filter(m -> declared.contains(host(m))).toList();
    }

    /**
     * Empty when a check that needs a manager can run here; otherwise its skip: no engine (engine-active fails
     * for that), no swarm (swarm-active fails for that), or a worker.
     */
    static Optional<Check.Outcome> needsManager(CheckContext c) {
        Optional<Engine> engine = c.engine().get();
        if (engine.isEmpty()) return Optional.of(Check.Outcome.skip("no engine answers (see engine-active)"));
        SwarmSettings swarm = engine.get().swarm();
        if (!swarm.active()) return Optional.of(Check.Outcome.skip("this node is in no swarm (see swarm-active)"));
        if (!swarm.manager()) return Optional.of(Check.Outcome.skip(onWorker(swarm)));
        return Optional.empty();
    }
}
