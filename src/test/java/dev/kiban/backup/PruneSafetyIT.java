package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.cli.KibanProcess;
import dev.kiban.testing.LiveEngine;
import dev.kiban.testing.TestSwarm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary on the live engine: prune never loses what a kept snapshot needs. A run killed with
 * SIGKILL leaves packs without an index (and its kernel lock dies with it); an index deleted by hand
 * leaves a pack a snapshot needs without one. Prune must remove the first and re-index the second.
 */
@ExtendWith(LiveEngine.class)
class PruneSafetyIT {
    @TempDir
    Path dir;

    private static void randomFile(Path file, int bytes, long seed) throws Exception {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, b);
    }

    private Path spec() throws Exception {
        return TestSwarm.spec(dir, "storage: {volumes: " + dir.resolve("no-volumes") + ", compose: "
                + dir.resolve("no-compose") + "}\n"
                + "backup: {retention: {keepLast: 10}}\n");
    }

    private List<String> run(Path spec, Path data, Path repo) {
        return new ArrayList<>(List.of("-c", spec.toString(), "backup", "run", "--allow-root-filesystem",
                "--source", "compose", "--path", data.toString(), "-r",
                repo.toString(), "--log", dir.resolve("backup.log").toString()));
    }

    private KibanProcess.Result kiban(List<String> args) throws Exception {
        return KibanProcess.run(args.toArray(String[]::new));
    }

    private static List<Path> files(Path root) throws Exception {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    private void assertRestores(Path spec, Path repo, String snap, Path data) throws Exception {
        Path target = dir.resolve("restored-" + System.nanoTime());
        KibanProcess.Result restore = KibanProcess.run("-c", spec.toString(), "backup", "restore", snap, "-r",
                repo.toString(), "--target",
                target.toString());
        assertThat(restore.exit()).as(restore.err()).isZero();
        Path restored;
        try (Stream<Path> s = Files.list(target)) {
            restored = s.findFirst().orElseThrow();
        }
        assertThat(TreeListing.of(restored)).isEqualTo(TreeListing.of(data));
    }

    @Test
    void pruneAfterARunKilledMidWayRemovesItsPacksAndKeepsEverySnapshotWhole() throws Exception {
        Path spec = spec();
        Path repo = dir.resolve("repo");
        Path small = dir.resolve("small");
        Files.createDirectories(small);
        Files.writeString(small.resolve("a"), "an earlier snapshot\n".repeat(1000));
        KibanProcess.Result first = kiban(run(spec, small, repo));
        assertThat(first.exit()).as(first.err()).isZero();
        List<Path> packsBefore = files(repo.resolve("packs"));

        Path big = dir.resolve("big");
        for (int i = 0; i < 16; i++) randomFile(big.resolve("f" + i), 16 << 20, i);
        List<String> cmd = new ArrayList<>(List.of("bin/kiban"));
        cmd.addAll(run(spec, big, repo));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("killed.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && files(repo.resolve("index")).size() < packsBefore.size() + 2
                && p.isAlive()) Thread.sleep(20);
        assertThat(p.isAlive()).as("still writing when killed: "
                + Files.readString(dir.resolve("killed.out"))).isTrue();
        // Freeze it mid-run (bin/kiban execs java, so this is the JVM holding the lock): the second writer
        // then meets a held lock whatever the machine's speed, and the SIGKILL below lands mid-run too.
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(p.pid())).start().waitFor()).isZero();

        KibanProcess.Result second = kiban(run(spec, small, repo));
        assertThat(second.exit()).as("a second writer is refused while the first runs").isEqualTo(1);
        assertThat(second.err()).contains("is in use by another kiban");

        p.destroyForcibly(); // SIGKILL: no cleanup runs; the kernel drops the lock
        p.waitFor();
        assertThat(files(repo.resolve("packs")).size()).as("the killed run left packs")
                .isGreaterThan(packsBefore.size());

        KibanProcess.Result prune = KibanProcess.run("-c", spec.toString(), "backup", "prune", "-r", repo.toString());
        assertThat(prune.exit()).as(prune.out() + prune.err()).isZero();
        assertThat(files(repo.resolve("packs"))).as("only the first snapshot's packs are left").isEqualTo(packsBefore);
        KibanProcess.Result verify = KibanProcess.run("-c", spec.toString(), "backup", "verify", "--read-data", "-r",
                repo.toString());
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).doesNotContain("no index");
        assertRestores(spec, repo, "latest", small);
    }

    @Test
    void pruneAfterADeletedIndexReindexesThePackAndTheSnapshotStillRestores() throws Exception {
        Path spec = spec();
        Path repo = dir.resolve("repo");
        Path data = dir.resolve("data");
        randomFile(data.resolve("big.bin"), 20 << 20, 7); // more than one pack
        Files.writeString(data.resolve("conf"), "listen 8080\n".repeat(5000));
        KibanProcess.Result backup = kiban(run(spec, data, repo));
        assertThat(backup.exit()).as(backup.err()).isZero();
        List<Path> packs = files(repo.resolve("packs"));
        List<Path> indexes = files(repo.resolve("index"));
        assertThat(indexes).hasSizeGreaterThan(1);
        Files.delete(indexes.get(0));

        KibanProcess.Result verifyBroken = KibanProcess.run("-c", spec.toString(), "backup", "verify", "-r",
                repo.toString());
        assertThat(verifyBroken.exit()).as("the snapshot misses chunks until the pack is re-indexed").isEqualTo(1);
        KibanProcess.Result prune = KibanProcess.run("-c", spec.toString(), "backup", "prune", "-r", repo.toString());
        assertThat(prune.exit()).as(prune.out() + prune.err()).isZero();
        assertThat(prune.out()).contains("re-indexed pack " + indexes.get(0).getFileName());
        assertThat(files(repo.resolve("packs"))).isEqualTo(packs);
        assertThat(indexes.get(0)).exists();
        KibanProcess.Result verify = KibanProcess.run("-c", spec.toString(), "backup", "verify", "--read-data", "-r",
                repo.toString());
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertRestores(spec, repo, "latest", data);
    }
}
