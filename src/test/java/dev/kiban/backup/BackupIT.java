package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.kiban.cli.KibanProcess;
import dev.kiban.testing.LiveEngine;
import dev.kiban.testing.TestSwarm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** kiban backup on the live engine: a bind-mounted tree volume and a named volume, round trip through the binary. */
@ExtendWith(LiveEngine.class)
class BackupIT {
    @TempDir
    Path dir;

    @Test
    void imagesComeBackWithTheirTagsAfterBeingRemoved() throws Exception {
        var docker = LiveEngine.docker();
        String tag = "kiban-test/web:backup-it-" + Long.toHexString(System.nanoTime());
        docker.tagImageCmd("kiban-test/web:latest", tag.substring(0, tag.indexOf(':')), tag.substring(tag.indexOf(':') + 1)).exec();
        Path spec = TestSwarm.spec(dir, "");
        Path repo = dir.resolve("repo");
        try {
            KibanProcess.Result run = KibanProcess.run("-c", spec.toString(), "backup", "run", "--source", "images", "-r", repo.toString(), "--log",
                    dir.resolve("log").toString());
            assertThat(run.exit()).as(run.err()).isZero();
            docker.removeImageCmd(tag).exec();
            assertThat(docker.listImagesCmd().exec()).noneMatch(i -> i.getRepoTags() != null && java.util.Arrays.asList(i.getRepoTags()).contains(tag));

            KibanProcess.Result restore = KibanProcess.run("-c", spec.toString(), "backup", "restore", "latest", "--images", "-r", repo.toString());
            assertThat(restore.exit()).as(restore.err()).isZero();
            assertThat(docker.inspectImageCmd(tag).exec().getId()).isEqualTo(docker.inspectImageCmd("kiban-test/web:latest").exec().getId());
        } finally {
            try {
                docker.removeImageCmd(tag).exec();
            } catch (RuntimeException e) {
                // not restored: the assertion above says why
            }
        }
    }

    @Test
    void backsUpTheTreeAndNamedVolumesAndRestoresThemIdentically(LiveEngine live) throws Exception {
        Path tree = dir.resolve("volumes");
        Files.createDirectories(tree.resolve("blog_data/uploads"));
        Files.writeString(tree.resolve("blog_data/uploads/post.md"), "# kiban\n".repeat(1000));
        String volume = "kiban-it-backup-" + Long.toHexString(System.nanoTime());
        LiveEngine.docker().createVolumeCmd().withName(volume).withLabels(Map.of(LiveEngine.TEST_LABEL, "true")).exec();
        try {
            // A container writes into the named volume, as an application would.
            String writer = live.create("kiban-it-writer", c -> c.withCmd("sh", "-c", "echo 'row 1' > /data/table && mkdir /data/sub && echo x > /data/sub/y")
                    .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(volume, new Volume("/data")))));
            LiveEngine.docker().startContainerCmd(writer).exec();
            assertThat(LiveEngine.docker().waitContainerCmd(writer).start().awaitStatusCode()).isZero();

            Path spec = TestSwarm.spec(dir, "storage: {volumes: " + tree + ", compose: " + dir.resolve("compose") + "}\n");
            Path repo = dir.resolve("repo");
            KibanProcess.Result run = KibanProcess.run("-c", spec.toString(), "backup", "run", "--source", "volumes,compose", "-r", repo.toString(), "--log",
                    dir.resolve("log").toString());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("snapshot ").contains("0 unchanged");

            KibanProcess.Result again = KibanProcess.run("-c", spec.toString(), "backup", "run", "--source", "volumes,compose", "-r", repo.toString(), "--log",
                    dir.resolve("log").toString());
            assertThat(again.out()).contains("0B read, 0 new chunks, 0B added");

            KibanProcess.Result restore = KibanProcess.run("-c", spec.toString(), "backup", "restore", "latest", "-r", repo.toString(), "--target",
                    dir.resolve("restored").toString());
            assertThat(restore.exit()).as(restore.err()).isZero();
            assertThat(Files.readString(dir.resolve("restored/volume_blog_data/uploads/post.md"))).isEqualTo("# kiban\n".repeat(1000));
            assertThat(Files.readString(dir.resolve("restored/volume_" + volume + "/table"))).isEqualTo("row 1\n");
            assertThat(Files.readString(dir.resolve("restored/volume_" + volume + "/sub/y"))).isEqualTo("x\n");

            assertThat(KibanProcess.run("-c", spec.toString(), "backup", "verify", "-r", repo.toString(), "--read-data").out())
                    .containsPattern("\\d{8}T\\d{6}Z-\\w+: sound");
            assertThat(Files.readString(dir.resolve("log")).lines()).hasSize(2).allMatch(l -> l.contains(" OK snapshot "));
        } finally {
            live.afterEach(null);
            LiveEngine.docker().removeVolumeCmd(volume).exec();
        }
    }
}
