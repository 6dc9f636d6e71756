package dev.kiban.cli;

import dev.kiban.engine.DockerEngine;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import java.util.Map;
import java.util.function.Function;

/** What commands get from outside: the environment and a way to reach an engine. Tests pass their own. */
record KibanContext(Map<String, String> environment, Function<EngineAddress, Engine> engines) {
    static KibanContext system() {
        return new KibanContext(System.getenv(), DockerEngine::connect);
    }
}
