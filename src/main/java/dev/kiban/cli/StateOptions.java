package dev.kiban.cli;

import dev.kiban.monitor.MonitorState;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the monitor keeps its state: --state, else the spec's monitor.state. */
final class StateOptions {
    @Option(names = "--state", paramLabel = "DIR",
            description = "The monitor's state directory. Default: the spec's monitor.state.")
    Path dir;

    MonitorState open(PlatformSpec spec) throws IOException {
        return new MonitorState(dir != null ? dir : Path.of(spec.monitor().state().value()));
    }
}
