package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec.Family;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineInstallationTest {
    @TempDir Path root;

    private void release(String id, String version) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=" + id + "\nVERSION_ID=\"" + version + "\"\n");
    }

    @Test
    void debian13GetsComposeV2FromItsOwnPackagesAndNoNote() throws Exception {
        release("debian", "13");
        assertThat(EngineInstallation.plan(Family.DEBIAN, root).get(0).argv())
                .containsExactly("apt-get", "install", "-y", "docker.io", "docker-cli", "docker-compose");
        assertThat(EngineInstallation.notes(Family.DEBIAN, root)).isEmpty();
    }

    @Test
    void debian12HasOnlyComposeV1AndSaysWhereV2Comes() throws Exception {
        release("debian", "12");
        assertThat(EngineInstallation.plan(Family.DEBIAN, root).get(0).argv())
                .containsExactly("apt-get", "install", "-y", "docker.io");
        assertThat(EngineInstallation.notes(Family.DEBIAN, root)).singleElement().asString()
                .contains("Compose v1 only", "docker-compose-plugin");
    }

    @Test
    void ubuntu2404AndAHostWithoutOsReleaseAreToldApart() throws Exception {
        release("ubuntu", "24.04");
        assertThat(EngineInstallation.plan(Family.DEBIAN, root).get(0).argv()).endsWith("docker-compose-v2");
        Files.delete(root.resolve("etc/os-release"));
        assertThat(EngineInstallation.plan(Family.DEBIAN, root).get(0).argv()).endsWith("docker.io");
    }

    @Test
    void anInstalledEngineGetsOnlyTheComposeV2ItLacksThenIsLeftAlone() throws Exception {
        release("debian", "13");
        Files.createDirectories(root.resolve("usr/sbin"));
        Path dockerd = Files.createFile(root.resolve("usr/sbin/dockerd"));
        dockerd.toFile().setExecutable(true);
        assertThat(EngineInstallation.plan(Family.DEBIAN, root)).singleElement()
                .satisfies(c -> assertThat(c.argv()).containsExactly("apt-get", "install", "-y", "docker-cli",
                        "docker-compose"));
        Path plugin = root.resolve("usr/libexec/docker/cli-plugins/docker-compose");
        Files.createDirectories(plugin.getParent());
        Files.createFile(plugin);
        assertThat(EngineInstallation.plan(Family.DEBIAN, root)).isEmpty();
        release("debian", "12");
        Files.delete(plugin);
        assertThat(EngineInstallation.plan(Family.DEBIAN, root)).as("bookworm has no v2 to install").isEmpty();
    }
}
