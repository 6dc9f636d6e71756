package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the engine: its context, the -H option, and one way to connect. */
abstract class EngineBoundCommand implements Callable<Integer> {
    final KibanContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions engineOptions;

    EngineBoundCommand(KibanContext context) {
        this.context = context;
    }

    EngineAddress address() {
        return EngineAddress.choose(engineOptions.host, context.environment());
    }

    /** Connects (ping first); the caller closes it. */
    Engine connect() {
        return context.engines().apply(address());
    }

    /**
     * Connects, or says why not through {@code note} and gives null: for commands that do part of their work without an
     * engine.
     */
    Engine connectIfAvailable(java.util.function.Consumer<String> note) {
        try {
            return connect();
        } catch (dev.kiban.engine.EngineUnavailableException e) {
            note.accept(e.getMessage());
            return null;
        }
    }
}
