package dev.kiban.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.cli.KibanProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The live engine made a single-manager swarm by {@code kiban swarm init}, for tests that need one,
 * and given back afterwards (swarm left, docker_gwbridge removed). As an extension (after
 * {@link LiveEngine}) it requires an engine outside any swarm before the class, under the one
 * {@link Prerequisite} policy, and leaves the swarm after it; the class calls {@link #init} when ready.
 */
public final class TestSwarm implements BeforeAllCallback, AfterAllCallback {
    /** A spec with the values the design leaves open filled in. */
    public static final String SPEC = """
            admin: {email: ops@example.org}
            monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
            security: {ssh: {allowUsers: [deploy]}}
            """;

    @Override
    public void beforeAll(ExtensionContext context) {
        String state = LiveEngine.docker().infoCmd().exec().getSwarm().getLocalNodeState().getValue();
        Prerequisite.require(state.equals("inactive"), "the engine is already in a swarm (" + state
                + "); these tests need one they may initialise: docker swarm leave --force");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        leave();
    }

    /** Writes {@code SPEC + extra} to {@code dir/kiban.yaml}. */
    public static Path spec(Path dir, String extra) throws Exception {
        Path spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, SPEC + extra);
        return spec;
    }

    public static void init(Path spec, Path root) throws Exception {
        KibanProcess.Result init = KibanProcess.run("-c", spec.toString(), "swarm", "init", "--yes", "--root",
                root.toString());
        assertThat(init.exit()).as(init.err()).isZero();
    }

    public static void leave() {
        var docker = LiveEngine.docker();
        try {
            docker.leaveSwarmCmd().withForceEnabled(true).exec();
        } catch (RuntimeException e) {
            // not in a swarm
        }
        try {
            docker.removeNetworkCmd("docker_gwbridge").exec();
        } catch (RuntimeException e) {
            // never created
        }
    }
}
