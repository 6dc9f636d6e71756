package dev.kiban.swarm;

import dev.kiban.engine.SwarmInit;
import java.util.List;

/** One change {@code kiban swarm init} makes, as data: printed by the plan, carried out by {@link SwarmSetupApply}. */
public sealed interface SwarmStep {
    String describe();

    /** docker_gwbridge must exist on its subnet before init, or the engine picks one itself. */
    record CreateGatewayBridge(String subnet, boolean replaceExisting) implements SwarmStep {
        public String describe() {
            return (replaceExisting ? "re-create" : "create") + " docker_gwbridge on " + subnet + " (R3.2)";
        }
    }

    record InitSwarm(SwarmInit init) implements SwarmStep {
        public String describe() {
            return "swarm init --advertise-addr " + init.advertiseAddress() + " --listen-addr " + init.listenAddress()
                    + " --default-addr-pool " + String.join(",", init.defaultAddrPool())
                    + " --default-addr-pool-mask-length " + init.subnetSize()
                    + " --data-path-port " + init.dataPathPort() + " (R8.1, D2, D15)";
        }
    }

    /**
     * The engine creates ingress on 10.0.0.0/24, a libvirt network (D2); it can be replaced while no service exists.
     */
    record RecreateIngress(String subnet, String gateway) implements SwarmStep {
        public String describe() {
            return "re-create the ingress network on " + subnet + " (D2)";
        }
    }

    record SaveJoinToken(String path) implements SwarmStep {
        public String describe() {
            return "save the worker join command to " + path + ", mode 0600 (R8.1)";
        }
    }

    /**
     * Joins this host to the managers as {@code node} of the spec, as a manager when it has a manager token
     * (else as a worker that a manager's {@code kiban swarm apply} promotes).
     */
    record JoinSwarm(String node, String advertiseAddress, String listenAddress, List<String> managers,
                     boolean asManager) implements SwarmStep {
        public String describe() {
            return "join " + managers + " as " + node + " (" + (asManager ? "manager" : "worker") + "), advertising "
                    + advertiseAddress + ", listening on " + listenAddress + ":2377 (R8.3, D15)";
        }
    }
}
