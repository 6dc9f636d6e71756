package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.cli.KibanProcess;
import dev.kiban.testing.HostTools;
import dev.kiban.testing.TestSwarm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary under failure: a backup disk that fills, a run killed with SIGKILL. The earlier snapshots survive both.
 */
class BackupFailureIT {
    @TempDir
    Path dir;

    private static void randomFile(Path file, int bytes, long seed) throws Exception {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, b);
    }

    private KibanProcess.Result backup(Path spec, Path data, Path repo) throws Exception {
        return KibanProcess.run("-c", spec.toString(), "backup", "run", "--allow-root-filesystem",
                "-H", "unix://" + dir.resolve("no-engine.sock"), "--source", "compose",
                "--path", data.toString(), "-r", repo.toString(), "--log", dir.resolve("backup.log").toString());
    }

    @Test
    void aFullDiskFailsCleanlyAndGivesItsSpaceBack() throws Exception {
        HostTools.requireRoot();
        Path disk = dir.resolve("disk");
        Files.createDirectories(disk);
        assertThat(HostTools.run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", disk.toString()).ok()).isTrue();
        try {
            Path spec = TestSwarm.spec(dir, "");
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            Files.writeString(data.resolve("small.conf"), "listen 8080\n".repeat(10_000));
            Path repo = disk.resolve("repo");
            KibanProcess.Result first = backup(spec, data, repo);
            assertThat(first.exit()).as(first.err()).isZero();
            long freeBefore = Files.getFileStore(disk).getUsableSpace();

            randomFile(data.resolve("big.bin"), 10 << 20, 1); // does not compress; more than the disk holds
            KibanProcess.Result full = backup(spec, data, repo);
            assertThat(full.exit()).isEqualTo(1);
            assertThat(full.err()).contains("is full").contains("earlier snapshots are intact")
                    .doesNotContain("Exception");
            assertThat(Files.readString(dir.resolve("backup.log")).lines().reduce((a, b) -> b).orElseThrow())
                    .contains(" FAILED ").contains("is full");
            assertThat(Files.getFileStore(disk).getUsableSpace()).as("the failed run's packs were removed")
                    .isGreaterThanOrEqualTo(freeBefore - 64 * 1024);

            KibanProcess.Result list = KibanProcess.run("-c", spec.toString(), "backup", "list", "-r", repo.toString());
            assertThat(list.out().lines().filter(l -> l.matches("\\d{8}T.*"))).hasSize(1);
            KibanProcess.Result verify = KibanProcess.run("-c", spec.toString(), "backup", "verify", "--read-data",
                    "-r", repo.toString());
            assertThat(verify.exit()).as(verify.out()).isZero();
        } finally {
            HostTools.run("umount", disk.toString());
        }
    }

    @Test
    void aRunKilledMidWayLeavesTheRepositorySoundAndTheNextRunCompletes() throws Exception {
        Path spec = TestSwarm.spec(dir, "");
        Path data = dir.resolve("data");
        for (int i = 0; i < 24; i++) randomFile(data.resolve("f" + i), 16 << 20, i);
        Path repo = dir.resolve("repo");
        Files.createDirectories(data.resolve("first"));
        Files.writeString(data.resolve("first/a"), "before the kill");
        Path small = dir.resolve("small");
        Files.createDirectories(small);
        Files.writeString(small.resolve("a"), "an earlier snapshot");
        assertThat(backup(spec, small, repo).exit()).isZero();

        List<String> cmd = new ArrayList<>(List.of("bin/kiban", "-c", spec.toString(), "backup", "run",
                "--allow-root-filesystem",
                "-H", "unix://" + dir.resolve("no-engine.sock"),
                "--source", "compose", "--path", data.toString(), "-r", repo.toString(), "--log",
                dir.resolve("backup.log").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("killed.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && indexes(repo) < 3 && p.isAlive()) Thread.sleep(20);
        assertThat(p.isAlive()).as("still writing when killed: " + Files.readString(dir.resolve("killed.out")))
                .isTrue();
        p.destroyForcibly(); // SIGKILL: no cleanup runs
        p.waitFor();

        KibanProcess.Result next = backup(spec, data, repo);
        assertThat(next.exit()).as(next.err()).isZero();
        KibanProcess.Result verify = KibanProcess.run("-c", spec.toString(), "backup", "verify", "--read-data", "-r",
                repo.toString());
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out().lines().filter(l -> l.endsWith(": sound"))).hasSize(2);
        KibanProcess.Result restore = KibanProcess.run("-c", spec.toString(), "backup", "restore", "latest", "-r",
                repo.toString(), "--target", dir.resolve("restored").toString());
        assertThat(restore.exit()).as(restore.err()).isZero();
        Path restored;
        try (Stream<Path> s = Files.list(dir.resolve("restored"))) {
            restored = s.findFirst().orElseThrow();
        }
        assertThat(TreeListing.of(restored)).isEqualTo(TreeListing.of(data));
        KibanProcess.Result prune = KibanProcess.run("-c", spec.toString(), "backup", "prune", "-r", repo.toString());
        assertThat(prune.exit()).as(prune.err()).isZero();
    }

    private static long indexes(Path repo) throws Exception {
        Path index = repo.resolve("index");
        if (!Files.isDirectory(index)) return 0;
        try (Stream<Path> s = Files.list(index)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }
}
