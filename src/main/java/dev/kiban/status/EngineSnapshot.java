package dev.kiban.status;

import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.engine.EngineInfo;
import java.util.List;
import java.util.Optional;

/** What the engine reports in one pass: facts, every container, the volume and service counts. */
public record EngineSnapshot(EngineAddress address, EngineInfo info, List<ContainerSummary> containers, int volumes,
        Optional<Integer> services) {

    public static EngineSnapshot take(Engine engine) {
        EngineInfo info = engine.info();
        Optional<Integer> services = info.swarm().manager() ? Optional.of(engine.serviceCount()) : Optional.empty();
        return new EngineSnapshot(engine.address(), info, engine.containers(), engine.volumeCount(), services);
    }
}
