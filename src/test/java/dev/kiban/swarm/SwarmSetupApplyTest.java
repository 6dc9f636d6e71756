package dev.kiban.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineInfo;
import dev.kiban.engine.SwarmSettings;
import dev.kiban.os.HostRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join token file is written the rooted way: never through a symbolic link planted inside the root. */
class SwarmSetupApplyTest {
    static final String TOKEN = "SWMTKN-1-secret";

    @TempDir
    Path dir;

    /** An engine that answers only what saving the join token asks. */
    static Engine engine() {
        return (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "swarm" -> new SwarmSettings("active", true, "192.0.2.10", List.of(), 24, 4789);
                    case "workerJoinToken" -> TOKEN;
                    default -> throw new AssertionError("not used: " + method.getName());
                });
    }

    void save(Path root, String path) throws IOException {
        new SwarmSetupApply(engine(), root, new PrintWriter(new StringWriter()))
                .run(new SwarmSetup.Plan(List.of(new SwarmStep.SaveJoinToken(path)), List.of(), List.of()));
    }

    @Test
    void theTokenIsWritten0600UnderTheRoot() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        save(root, "/root/swarm/join-token");
        Path file = root.resolve("root/swarm/join-token");
        assertThat(Files.readString(file)).contains("--token " + TOKEN + " 192.0.2.10:2377");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(SwarmSetupApply.observe(engineWithNetworks(), root, "/root/swarm/join-token").joinTokenSaved())
                .isTrue();
    }

    @Test
    void aDirectoryOnTheWayThatIsALinkOutOfTheRootIsRefused() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("etc"), outside);
        assertThatThrownBy(() -> save(root, "/etc/kiban/join-token"))
                .isInstanceOf(HostRoot.Refusal.class)
                .hasMessageContaining("/etc is a symbolic link");
        try (var s = Files.walk(outside)) {
            assertThat(s.toList()).as("nothing written through the link").containsExactly(outside);
        }
    }

    @Test
    void aTokenFileBehindALinkedDirectoryDoesNotCountAsSaved() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside/kiban"));
        Files.writeString(outside.resolve("join-token"), "not kiban's\n");
        Files.createSymbolicLink(root.resolve("etc"), outside.getParent());
        assertThat(SwarmSetupApply.observe(engineWithNetworks(), root, "/etc/kiban/join-token").joinTokenSaved())
                .isFalse();
    }

    static Engine engineWithNetworks() {
        return (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "swarm" -> SwarmSettings.INACTIVE;
                    case "networks" -> List.of();
                    case "address" -> dev.kiban.engine.EngineAddress.choose(null, java.util.Map.of());
                    case "info" -> new EngineInfo("24.0.9", "1.43", "Debian 12", "6.1", "overlay2",
                            "/var/lib/docker", "2", "systemd", new EngineInfo.SwarmState("inactive", false, 0, 0), 0,
                            false);
                    default -> throw new AssertionError("not used: " + method.getName());
                });
    }
}
