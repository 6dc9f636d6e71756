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
import java.util.List;
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
        docker.tagImageCmd("kiban-test/web:latest", tag.substring(0, tag.indexOf(':')),
                tag.substring(tag.indexOf(':') + 1)).exec();
        Path spec = TestSwarm.spec(dir, "");
        Path repo = dir.resolve("repo");
        try {
            KibanProcess.Result run = KibanProcess.run("-c", spec.toString(), "backup", "run",
                    "--allow-root-filesystem", "--source", "images",
                    "-r", repo.toString(), "--log", dir.resolve("log").toString());
            assertThat(run.exit()).as(run.err()).isZero();
            docker.removeImageCmd(tag).exec();
            assertThat(docker.listImagesCmd().exec()).noneMatch(i -> i.getRepoTags() != null
                    && java.util.Arrays.asList(i.getRepoTags()).contains(tag));

            KibanProcess.Result restore = KibanProcess.run("-c", spec.toString(), "backup", "restore", "latest",
                    "--images", "-r", repo.toString());
            assertThat(restore.exit()).as(restore.err()).isZero();
            assertThat(docker.inspectImageCmd(tag).exec().getId())
                    .isEqualTo(docker.inspectImageCmd("kiban-test/web:latest").exec().getId());
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
            String writer = live.create("kiban-it-writer", c -> c.withCmd("sh", "-c",
                    "echo 'row 1' > /data/table && mkdir /data/sub && echo x > /data/sub/y")
                    .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(volume, new Volume("/data")))));
            LiveEngine.docker().startContainerCmd(writer).exec();
            assertThat(LiveEngine.docker().waitContainerCmd(writer).start().awaitStatusCode()).isZero();

            Path spec = TestSwarm.spec(dir, "storage: {volumes: " + tree + ", compose: " + dir.resolve("compose")
                    + "}\n");
            Path repo = dir.resolve("repo");
            KibanProcess.Result run = KibanProcess.run("-c", spec.toString(), "backup", "run",
                    "--allow-root-filesystem", "--source",
                    "volumes,compose", "-r", repo.toString(), "--log", dir.resolve("log").toString());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("snapshot ").contains("0 unchanged");

            KibanProcess.Result again = KibanProcess.run("-c", spec.toString(), "backup", "run",
                    "--allow-root-filesystem", "--source",
                    "volumes,compose", "-r", repo.toString(), "--log", dir.resolve("log").toString());
            assertThat(again.out()).contains("0B read, 0 new chunks, 0B added");

            KibanProcess.Result restore = KibanProcess.run("-c", spec.toString(), "backup", "restore", "latest", "-r",
                    repo.toString(), "--target", dir.resolve("restored").toString());
            assertThat(restore.exit()).as(restore.err()).isZero();
            assertThat(Files.readString(dir.resolve("restored/volume_blog_data/uploads/post.md")))
                    .isEqualTo("# kiban\n".repeat(1000));
            assertThat(Files.readString(dir.resolve("restored/volume_" + volume + "/table"))).isEqualTo("row 1\n");
            assertThat(Files.readString(dir.resolve("restored/volume_" + volume + "/sub/y"))).isEqualTo("x\n");

            assertThat(KibanProcess.run("-c", spec.toString(), "backup", "verify", "-r", repo.toString(), "--read-data")
                    .out())
                    .containsPattern("\\d{8}T\\d{6}Z-\\w+: sound");
            assertThat(Files.readString(dir.resolve("log")).lines()).hasSize(2)
                    .allMatch(l -> l.contains(" OK snapshot "));
        } finally {
            live.afterEach(null);
            LiveEngine.docker().removeVolumeCmd(volume).exec();
        }
    }

    @Test
    void imagesSharingALayerStoreItOnce() throws Exception {
        // Two images that share a 20 MiB layer: kiban-it/layered:one is base + the layer, :two is :one + a small file.
        String tag = "kiban-it/layered:" + Long.toHexString(System.nanoTime());
        Path context = dir.resolve("build");
        Files.createDirectories(context);
        byte[] big = new byte[20 << 20];
        new java.util.Random(5).nextBytes(big);
        Files.write(context.resolve("big"), big);
        Files.writeString(context.resolve("small"), "only in two\n");
        Files.writeString(context.resolve("Dockerfile.one"), "FROM " + LiveEngine.BASE_IMAGE + "\nCOPY big /big\n");
        Files.writeString(context.resolve("Dockerfile.two"), "FROM " + tag + "-one\nCOPY small /small\n");
        try {
            for (String which : List.of("one", "two")) {
                var built = dev.kiban.os.HostPrograms.system().run(List.of("docker", "-H", LiveEngine.address().uri(),
                        "build", "-q", "-f",
                        context.resolve("Dockerfile." + which).toString(), "-t", tag + "-" + which,
                        context.toString()), Map.of("DOCKER_BUILDKIT", "0"), java.time.Duration.ofSeconds(120));
                assertThat(built.ok()).as(built.output()).isTrue();
            }
            Path spec = TestSwarm.spec(dir, "");
            Path repo = dir.resolve("repo");
            KibanProcess.Result run = KibanProcess.run("-c", spec.toString(), "backup", "run",
                    "--allow-root-filesystem", "--source", "images",
                    "-r", repo.toString(), "--log", dir.resolve("log").toString());
            assertThat(run.exit()).as(run.err()).isZero();
            try (BackupRepository r = BackupRepository.open(repo)) {
                Snapshot snap = r.snapshot("latest");
                Snapshot.Tree one = snap.trees().stream().filter(t -> t.meta().getOrDefault("tags", "")
                        .contains(tag + "-one")).findFirst().orElseThrow();
                Snapshot.Tree two = snap.trees().stream().filter(t -> t.meta().getOrDefault("tags", "")
                        .contains(tag + "-two")).findFirst().orElseThrow();
                assertThat(two.meta().get("id")).startsWith("sha256:");
                java.util.Set<String> shared = new java.util.HashSet<>(one.entries().get(0).chunks());
                shared.retainAll(two.entries().get(0).chunks());
                assertThat(shared).as("the shared layer's chunks").hasSizeGreaterThan(5);
                long stored;
                try (java.util.stream.Stream<Path> packs = Files.walk(repo.resolve("packs"))) {
                    stored = packs.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                }
                long images = snap.trees().stream().filter(t -> t.source().startsWith(ImageSources.PREFIX))
                        .mapToLong(Snapshot.Tree::bytes).sum();
                assertThat(stored).as("the 20 MiB layer is stored about once, not twice")
                        .isLessThan(images - 15L * (1 << 20));
            }
        } finally {
            for (String which : List.of("two", "one")) {
                try {
                    LiveEngine.docker().removeImageCmd(tag + "-" + which).withForce(true).exec();
                } catch (RuntimeException e) {
                    // not built: the assertion above says why
                }
            }
        }
    }

    @Test
    void aLabelledWriterIsStoppedForTheCopyItsDumpRunsFirstAndItComesBack(LiveEngine live) throws Exception {
        String volume = "kiban-it-db-" + Long.toHexString(System.nanoTime());
        LiveEngine.docker().createVolumeCmd().withName(volume).withLabels(Map.of(LiveEngine.TEST_LABEL, "true")).exec();
        try {
            String db = live.create("kiban-it-db", c -> c.withCmd("sh", "-c",
                    "trap 'exit 0' TERM; while true; do date +%s >> /data/journal; sleep 0.1; done")
                    .withLabels(Map.of(LiveEngine.TEST_LABEL, "true", QuiescedContainers.STOP, "true",
                            QuiescedContainers.PRE, "cp /data/journal /data/dump.sql && echo dumped >> /data/dump.sql",
                            QuiescedContainers.POST, "date +%s > /data/post-ran"))
                    .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(volume, new Volume("/data")))));
            LiveEngine.docker().startContainerCmd(db).exec();
            Thread.sleep(500);
            String startedBefore = LiveEngine.docker().inspectContainerCmd(db).exec().getState().getStartedAt();

            Path spec = TestSwarm.spec(dir, "storage: {volumes: " + dir.resolve("volumes") + ", compose: "
                    + dir.resolve("compose") + "}\n");
            Path repo = dir.resolve("repo");
            KibanProcess.Result run = KibanProcess.run("-c", spec.toString(), "backup", "run",
                    "--allow-root-filesystem", "--source", "volumes",
                    "-r", repo.toString(), "--log", dir.resolve("log").toString());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("note: " + db + ": ran kiban.backup.pre before copying volume:" + volume)
                    .containsPattern("note: " + db + ": stopped for [0-9.]+ s while volume:" + volume + " was copied")
                    .contains("note: " + db + ": ran kiban.backup.post");

            var after = LiveEngine.docker().inspectContainerCmd(db).exec().getState();
            assertThat(after.getRunning()).as("started again").isTrue();
            assertThat(after.getStartedAt()).as("it was stopped and started").isNotEqualTo(startedBefore);

            KibanProcess.Result restore = KibanProcess.run("-c", spec.toString(), "backup", "restore", "latest",
                    "--volume", volume, "-r", repo.toString(), "--target", dir.resolve("restored").toString());
            assertThat(restore.exit()).as(restore.err()).isZero();
            Path copy = dir.resolve("restored/volume_" + volume);
            assertThat(Files.readString(copy.resolve("dump.sql"))).endsWith("dumped\n");
            assertThat(copy.resolve("post-ran")).as("post runs after the copy").doesNotExist();
            // Stopped during the copy: the journal in the snapshot ends before the restart, and nothing was written
            // mid-file.
            List<String> journal = Files.readAllLines(copy.resolve("journal"));
            assertThat(journal).allMatch(l -> l.matches("\\d+"));
            KibanProcess.Result show = KibanProcess.run("-c", spec.toString(), "backup", "show", "latest", "-r",
                    repo.toString());
            assertThat(show.out()).contains("report:").containsPattern(db + ": stopped for");

            // In use: an in-place restore is refused without --stop.
            KibanProcess.Result refused = KibanProcess.run("-c", spec.toString(), "backup", "restore", "latest",
                    "--volume", volume, "-r", repo.toString(), "--yes");
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).contains("is in use by " + db).contains("--stop");
            KibanProcess.Result inPlace = KibanProcess.run("-c", spec.toString(), "backup", "restore", "latest",
                    "--volume", volume, "-r", repo.toString(), "--yes", "--stop");
            assertThat(inPlace.exit()).as(inPlace.err()).isZero();
            assertThat(LiveEngine.docker().inspectContainerCmd(db).exec().getState().getRunning()).isTrue();
        } finally {
            live.afterEach(null);
            LiveEngine.docker().removeVolumeCmd(volume).exec();
        }
    }
}
