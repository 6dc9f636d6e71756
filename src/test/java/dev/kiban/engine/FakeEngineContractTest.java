package dev.kiban.engine;

import dev.kiban.testing.FakeEngine;

/** The in-memory engine keeps the engine's contract. */
class FakeEngineContractTest extends EngineContract {
    private final FakeEngine engine = new FakeEngine();

    @Override
    protected Engine engine() {
        return engine;
    }
}
