package dev.kiban.engine;

import java.util.List;

/**
 * What {@code POST /swarm/join} needs. The token is a secret: {@link #toString()} leaves it out, so a join
 * can be logged or shown in a plan.
 */
public record SwarmJoin(String advertiseAddress, String listenAddress, List<String> managers, String token) {
    @Override
    public String toString() {
        return "SwarmJoin[advertise=" + advertiseAddress + ", listen=" + listenAddress + ", managers=" + managers + "]";
    }
}
