package dev.kiban.dashboard;

import dev.kiban.engine.Engine;
import dev.kiban.os.LatestResults;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.status.PlatformStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Where the pages read from, handed in by the command: the engine (a new connection per page, closed after it),
 * the resolved spec and the files kiban's other commands write — the monitor's state, the backup log and
 * repository, the routine's logs, the latest verify and audit results. The dashboard only reads them.
 *
 * @param engines opens a connection; throws {@link dev.kiban.engine.EngineUnavailableException} when none answers
 * @param composeTree the spec's storage.compose ({@code <stack>/docker-compose.yml}), which drift is measured from
 */
public record Sources(Supplier<Engine> engines, PlatformSpec spec, String specName, Path monitorState,
        PlatformStatus.DiskProbe disks, Clock clock, Path composeTree) {

    /** The compose tree the spec names (storage.compose); tests hand in their own. */
    public Sources(Supplier<Engine> engines, PlatformSpec spec, String specName, Path monitorState,
            PlatformStatus.DiskProbe disks, Clock clock) {
        this(engines, spec, specName, monitorState, disks, clock, Path.of(spec.storage().compose().value()));
    }

    Path backupLog() {
        return Path.of(spec.backup().log().value());
    }

    Path repository() {
        return Path.of(spec.backup().repository().value());
    }

    Path routineLogs() {
        return Path.of(spec.maintenance().logs().value());
    }

    LatestResults results() {
        return new LatestResults(monitorState);
    }
}
