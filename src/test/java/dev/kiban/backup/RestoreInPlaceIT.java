package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.kiban.cli.KibanProcess;
import dev.kiban.testing.LiveEngine;
import dev.kiban.testing.TestSwarm;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A named volume restored in place (issue 10) after a container planted links in it: to a sentinel
 * directory of the host, at the name the old restore used for its temporary file, and at a file's name.
 * The sentinel must not change, and the volume must hold the snapshot's files, usable by a container.
 */
@ExtendWith(LiveEngine.class)
class RestoreInPlaceIT {
    @TempDir
    Path dir;

    @Test
    void plantedLinksInAVolumeAreNotFollowedByAnInPlaceRestore(LiveEngine live) throws Exception {
        Path sentinel = dir.resolve("sentinel");
        Files.createDirectories(sentinel.resolve("sub"));
        Files.writeString(sentinel.resolve("secret.txt"), "root only\n");
        Files.setPosixFilePermissions(sentinel.resolve("secret.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(sentinel.resolve("sub/file"), "sentinel\n");
        Map<String, String> before = CraftedSnapshots.describe(sentinel);

        String volume = "kiban-it-restore-" + Long.toHexString(System.nanoTime());
        var docker = LiveEngine.docker();
        docker.createVolumeCmd().withName(volume).withLabels(Map.of(LiveEngine.TEST_LABEL, "true")).exec();
        try {
            assertThat(run(live, volume, "mkdir /data/sub && echo original > /data/sub/file && echo row > /data/table"))
                    .isZero();
            Path mountpoint = Path.of(docker.inspectVolumeCmd(volume).exec().getMountpoint());
            Path repo = dir.resolve("repo");
            try (BackupRepository r = BackupRepository.open(repo)) {
                r.backup(List.of(new BackupRepository.Source("volume:" + volume, mountpoint)));
            }

            // What a hostile container can do to its own volume between backup and restore.
            String plant = String.join(" && ", "rm -rf /data/sub /data/table",
                    "ln -s " + sentinel.resolve("sub") + " /data/sub",
                    "ln -s " + sentinel.resolve("secret.txt") + " /data/table",
                    "ln -s " + sentinel.resolve("secret.txt") + " /data/.table.kiban-restore",
                    "ln -s " + sentinel + " /data/.kiban-restore");
            assertThat(run(live, volume, plant)).isZero();
            assertThat(Files.isSymbolicLink(mountpoint.resolve("sub"))).isTrue();

            Path spec = TestSwarm.spec(dir, "storage: {volumes: " + dir.resolve("volumes") + ", compose: "
                    + dir.resolve("compose") + "}\n");
            KibanProcess.Result restore = KibanProcess.run("-c", spec.toString(), "backup", "restore", "latest",
                    "--volume", volume, "-r", repo.toString(), "--yes");
            assertThat(restore.exit()).as(restore.out() + restore.err()).isZero();
            assertThat(restore.out()).contains("volume:" + volume + " -> " + mountpoint)
                    .contains("restored volume:" + volume);

            assertThat(CraftedSnapshots.describe(sentinel)).as("the sentinel").isEqualTo(before);
            assertThat(Files.isDirectory(mountpoint.resolve("sub"), LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(Files.readString(mountpoint.resolve("sub/file"))).isEqualTo("original\n");
            assertThat(Files.isRegularFile(mountpoint.resolve("table"), LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(mountpoint.resolve(".table.kiban-restore")).doesNotExist();
            try (Stream<Path> s = Files.list(mountpoint.getParent())) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".kiban-")).toList())
                        .as("no private or replaced directory left beside the volume").isEmpty();
            }
            // The engine mounts the swapped-in directory like the old one.
            String check = "test \"$(cat /data/sub/file)\" = original && test \"$(cat /data/table)\" = row";
            assertThat(run(live, volume, check)).isZero();
        } finally {
            live.afterEach(null);
            docker.removeVolumeCmd(volume).exec();
        }
    }

    /** Runs {@code script} in a new labelled container with the volume at /data; its exit code. */
    private static int run(LiveEngine live, String volume, String script) {
        String c = live.create("kiban-it-restore", cmd -> cmd.withCmd("sh", "-c", script)
                .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(volume, new Volume("/data")))));
        LiveEngine.docker().startContainerCmd(c).exec();
        return LiveEngine.docker().waitContainerCmd(c).start().awaitStatusCode();
    }
}
