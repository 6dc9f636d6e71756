package dev.kiban.cli;

import dev.kiban.engine.DockerEngine;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.host.ArtifactCheck;
import dev.kiban.host.ReaderChecks;
import dev.kiban.os.HostPrograms;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Function;

/**
 * What commands get from outside: the environment, a way to reach an engine, the host's programs, and
 * whether a terminal is attached (progress is shown only then). Tests pass their own.
 */
record KibanContext(Map<String, String> environment, Function<EngineAddress, Engine> engines, ArtifactCheck checks,
                    HostPrograms programs, InputStream input, boolean terminal) {
    static KibanContext system() {
        HostPrograms programs = HostPrograms.system();
        return new KibanContext(System.getenv(), DockerEngine::connect, new ReaderChecks(programs), programs, null,
                System.console() != null);
    }

    KibanContext(Map<String, String> environment, Function<EngineAddress, Engine> engines, ArtifactCheck checks,
                 InputStream input, boolean terminal) {
        this(environment, engines, checks, HostPrograms.system(), input, terminal);
    }

    KibanContext(Map<String, String> environment, Function<EngineAddress, Engine> engines, ArtifactCheck checks,
                 InputStream input) {
        this(environment, engines, checks, input, System.console() != null);
    }

    KibanContext(Map<String, String> environment, Function<EngineAddress, Engine> engines) {
        this(environment, engines, new ReaderChecks(HostPrograms.system()), null);
    }

    /** The same context with a terminal attached or not: for tests of what is shown on one. */
    KibanContext onTerminal(boolean attached) {
        return new KibanContext(environment, engines, checks, programs, input, attached);
    }
}
