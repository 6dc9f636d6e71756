package dev.kiban.engine;

import dev.kiban.testing.LiveEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The live engine, through {@link DockerEngine}, keeps the contract the fake is held to. */
@ExtendWith(LiveEngine.class)
class DockerEngineContractIT extends EngineContract {
    // one connection for the class: the contract's clean-up runs after each case and needs it open
    private static DockerEngine engine;

    @BeforeAll
    static void connect() {
        engine = DockerEngine.connect(LiveEngine.address());
    }

    @AfterAll
    static void disconnect() {
        if (engine != null) engine.close();
    }

    @Override
    protected Engine engine() {
        return engine;
    }

    @Override
    protected String image() {
        return LiveEngine.BASE_IMAGE;
    }
}
