package dev.kiban.cli;

import static dev.kiban.cli.HostileCorpus.expect;
import static dev.kiban.cli.HostileCorpus.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.backup.RepositoryFixtures;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.testing.TestSwarm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input corpus for backup repositories: damaged, foreign, mistyped, locked, and key files
 * kiban must refuse. Each case names its exit code and message; where data is at stake, the
 * repository's packs (or a sentinel tree) must come out unchanged.
 */
class HostileRepositoryTest {
    @TempDir
    Path dir;
    Path repo;
    Path data;
    Path spec;
    Path log;
    String snap;

    @BeforeEach
    void aRepositoryWithASnapshot() throws Exception {
        repo = dir.resolve("repo");
        log = dir.resolve("log/backup.log");
        data = RepositoryFixtures.tree(dir.resolve("data"), 3);
        snap = RepositoryFixtures.snapshot(repo, data, Optional.empty());
        spec = TestSwarm.spec(dir, "backup: {repository: " + repo + ", log: " + log + ", retention: {keepLast: 10}}\n"
                + "storage: {volumes: " + dir.resolve("no-volumes") + ", compose: " + dir.resolve("no-compose")
                + "}\n");
    }

    private HostileCorpus.Outcome backup(String... args) {
        List<String> all = new ArrayList<>(List.of("-c", spec.toString(), "backup"));
        all.addAll(List.of(args));
        // the repositories here are temporary directories, on whatever filesystem the machine has
        if (args[0].equals("run")) all.add(4, "--allow-root-filesystem");
        return run(Map.of(), a -> {
            throw new EngineUnavailableException("no engine in this test");
        }, "", all.toArray(String[]::new));
    }

    /** Every file under the repository's packs, with its content: what no hostile case may lose. */
    private static String packsDigest(Path repo) throws Exception {
        StringBuilder s = new StringBuilder();
        for (Path p : RepositoryFixtures.packs(repo)) {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
            s.append(repo.relativize(p)).append(' ').append(sha).append('\n');
        }
        assertThat(s).as("a repository with packs").isNotEmpty();
        return s.toString();
    }

    private String lastLogLine() throws Exception {
        return Files.readAllLines(log).get(Files.readAllLines(log).size() - 1);
    }

    // --- damage: degrade only what it covers, never lose referenced data ---

    @Test
    void deletedIndexThenPruneReindexesThePacksAndKeepsThem() throws Exception {
        String packs = packsDigest(repo);
        RepositoryFixtures.deleteIndexes(repo);
        HostileCorpus.Outcome o = backup("prune");
        expect(o, 0, "re-indexed pack");
        assertThat(packsDigest(repo)).isEqualTo(packs);
        expect(backup("verify", "--read-data"), 0, snap + ": sound");
    }

    @Test
    void aReadDataSubsetReadsAShareOfThePacksAndABadShareIsAUsageError() throws Exception {
        expect(backup("verify", "--read-data-subset", "100%"), 0, snap + ": sound");
        expect(backup("verify", "--read-data-subset", "100%"), 0, "read back: ");
        expect(backup("verify", "--read-data-subset", "5"), 0, "of those the snapshots use");
        expect(backup("verify", "--read-data-subset", "150%"), 2, "--read-data-subset");
        expect(backup("verify", "--read-data-subset", "all; rm -rf /"), 2, "--read-data-subset");
    }

    @Test
    void truncatedIndexListsTheSnapshotsAndVerifyReportsTheDamage() throws Exception {
        String packs = packsDigest(repo);
        RepositoryFixtures.truncateIndexes(repo);
        expect(backup("list"), 0, snap);
        expect(backup("verify"), 1, "damaged: the index");
        expect(backup("prune"), 0, "re-indexed pack");
        assertThat(packsDigest(repo)).isEqualTo(packs);
    }

    @Test
    void garbageSnapshotIsListedAsDamagedAndPruneRefusesUntilRepaired() throws Exception {
        String second = RepositoryFixtures.snapshot(repo, data, Optional.empty());
        RepositoryFixtures.garbage(RepositoryFixtures.snapshotFile(repo, snap), 9);
        String packs = packsDigest(repo);
        HostileCorpus.Outcome list = backup("list");
        expect(list, 1, "DAMAGED: the snapshot " + RepositoryFixtures.snapshotFile(repo, snap));
        assertThat(list.out()).contains(second);
        expect(backup("show", second), 0, "snapshot " + second);
        expect(backup("prune"), 1, "kiban backup repair");
        assertThat(packsDigest(repo)).isEqualTo(packs);
        expect(backup("repair"), 0, "moved the damaged snapshot " + snap);
        expect(backup("list"), 0, second);
    }

    @Test
    void snapshotWithInvalidJsonIsDamagedNotACrash() throws Exception {
        RepositoryFixtures.write(RepositoryFixtures.snapshotFile(repo, snap), "{\"id\": \"" + snap
                + "\", \"trees\": [{\"source\": ");
        expect(backup("show", snap), 1, "invalid JSON");
        expect(backup("list"), 1, "DAMAGED");
        expect(backup("verify"), 1, "is damaged");
    }

    @Test
    void snapshotFileThatIsASymlinkIsNotFollowed() throws Exception {
        HostileCorpus.Sentinel sentinel = HostileCorpus.Sentinel.plant(dir.resolve("sentinel"));
        Files.createSymbolicLink(repo.resolve("snapshots/20990101T000000Z-1.json"), sentinel.file());
        expect(backup("list"), 1, "DAMAGED");
        expect(backup("repair"), 0, "moved the damaged snapshot 20990101T000000Z-1");
        sentinel.assertUnchanged();
    }

    @Test
    void packThatIsASymlinkIsNeitherReadNorDeletedByPrune() throws Exception {
        HostileCorpus.Sentinel sentinel = HostileCorpus.Sentinel.plant(dir.resolve("sentinel"));
        String fake = "ab" + "0".repeat(30);
        Files.createDirectories(repo.resolve("packs/ab"));
        Path link = Files.createSymbolicLink(repo.resolve("packs/ab/" + fake), sentinel.file());
        expect(backup("prune"), 0, "forgot 0 snapshots");
        assertThat(Files.isSymbolicLink(link)).as("not kiban's to delete: it is not a pack file").isTrue();
        sentinel.assertUnchanged();
    }

    @Test
    void indexThatIsASymlinkIsDamageAndRepairMovesTheLinkNotItsTarget() throws Exception {
        HostileCorpus.Sentinel sentinel = HostileCorpus.Sentinel.plant(dir.resolve("sentinel"));
        Path index = RepositoryFixtures.indexes(repo).get(0);
        Files.delete(index);
        Files.createSymbolicLink(index, sentinel.file());
        expect(backup("verify"), 1, "is not a regular file");
        expect(backup("repair"), 0, "re-indexed pack " + index.getFileName());
        assertThat(Files.isRegularFile(index, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();
        expect(backup("verify", "--read-data"), 0, snap + ": sound");
        sentinel.assertUnchanged();
    }

    @Test
    void garbageConfigIsDamageNotAnotherRepository() throws Exception {
        RepositoryFixtures.garbage(repo.resolve("config.json"), 4);
        String packs = packsDigest(repo);
        expect(backup("list"), 1, "config.json is not valid JSON");
        expect(backup("prune"), 1, "config.json is not valid JSON");
        assertThat(packsDigest(repo)).isEqualTo(packs);
    }

    @Test
    void missingConfigIsNotARepository() throws Exception {
        Files.delete(repo.resolve("config.json"));
        expect(backup("list"), 2, "not a kiban backup repository: " + repo);
        assertThat(repo.resolve("config.json")).doesNotExist();
    }

    @Test
    void failedRunThatCannotOpenADamagedRepositoryWritesItsFailedLine() throws Exception {
        RepositoryFixtures.garbage(repo.resolve("config.json"), 4);
        expect(backup("run", "--source", "compose", "--path", data.toString()), 1, "is damaged");
        assertThat(lastLogLine()).contains(" FAILED " + repo).contains("config.json is not valid JSON");
    }

    @Test
    void runOnTheRootFilesystemIsRefusedBeforeAnythingIsWrittenAndLogged() throws Exception {
        // "/" and a directory that is not there: on the root filesystem on any machine
        Path onRoot = Path.of("/kiban-test-" + ProcessHandle.current().pid() + "/docker");
        List<String> args = List.of("-c", spec.toString(), "backup", "run", "-r", onRoot.toString(), "--source",
                "compose", "--path", data.toString());
        HostileCorpus.Outcome o = run(Map.of(), a -> {
            throw new EngineUnavailableException("no engine in this test");
        }, "", args.toArray(String[]::new));
        expect(o, 1, "is on the root filesystem");
        assertThat(o.all()).contains("is the backup disk mounted?", "--allow-root-filesystem", "nothing was written");
        assertThat(onRoot.getParent()).doesNotExist();
        assertThat(lastLogLine()).contains(" FAILED " + onRoot).contains("on the root filesystem");
    }

    @Test
    void runOnAMissingBackupDiskFailsWritesItsFailedLineAndCreatesNothing() throws Exception {
        Path unmounted = dir.resolve("mnt/backup/docker");
        expect(backup("run", "-r", unmounted.toString(), "--source", "compose", "--path", data.toString()), 1,
                "is the backup disk mounted");
        assertThat(dir.resolve("mnt")).doesNotExist();
        assertThat(lastLogLine()).contains(" FAILED " + unmounted);
    }

    @Test
    void oldFormatPackWithoutIndexStillNeededMakesPruneRefuse() throws Exception {
        RepositoryFixtures.toOldFormat(repo);
        RepositoryFixtures.deleteIndexes(repo);
        String packs = packsDigest(repo);
        expect(backup("prune"), 1, "nothing was deleted. Run kiban backup repair");
        assertThat(packsDigest(repo)).isEqualTo(packs);
        expect(backup("repair"), 1, "snapshot " + snap + ":");
        assertThat(packsDigest(repo)).isEqualTo(packs);
    }

    // --- keys ---

    private Path encrypted() throws Exception {
        Path key = RepositoryFixtures.keyFile(dir.resolve("keys/backup.key"), "rw-------");
        RepositoryFixtures.snapshot(dir.resolve("enc"), data, Optional.of(key));
        return key;
    }

    @Test
    void wrongKeyIsRefusedAndNeitherKeyIsPrinted() throws Exception {
        Path key = encrypted();
        Path wrong = dir.resolve("keys/wrong.key");
        Files.writeString(wrong, "an entirely different key of enough length");
        Files.setPosixFilePermissions(wrong, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        HostileCorpus.Outcome o = backup("list", "-r", dir.resolve("enc").toString(), "--key-file", wrong.toString());
        expect(o, 1, "does not open the repository", Files.readString(key), Files.readString(wrong));
        expect(backup("run", "-r", dir.resolve("enc").toString(), "--key-file", wrong.toString(), "--source", "compose",
                "--path",
                data.toString()), 1, "does not open the repository", Files.readString(wrong));
        assertThat(lastLogLine()).contains(" FAILED ").contains("does not open the repository");
    }

    @Test
    void keyFileReadableByOthersIsRefused() throws Exception {
        Path key = encrypted();
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        HostileCorpus.Outcome o = backup("list", "-r", dir.resolve("enc").toString(), "--key-file", key.toString());
        expect(o, 2, "chmod 600 " + key, Files.readString(key));
    }

    @Test
    void keyFileThatIsASymlinkIsRefused() throws Exception {
        Path key = encrypted();
        Path link = Files.createSymbolicLink(dir.resolve("keys/link.key"), key);
        expect(backup("list", "-r", dir.resolve("enc").toString(), "--key-file", link.toString()), 2,
                "is a symbolic link", Files.readString(key));
    }

    @Test
    void keyFileThatIsADirectoryIsRefused() throws Exception {
        encrypted();
        expect(backup("list", "-r", dir.resolve("enc").toString(), "--key-file", dir.resolve("keys").toString()), 2,
                "is not a regular file");
    }

    // --- a mistyped -r: readers create nothing ---

    private void mistyped(String... command) throws Exception {
        HostileCorpus.Sentinel parent = HostileCorpus.Sentinel.plant(dir.resolve("mnt"));
        Path typo = dir.resolve("mnt/bakcup");
        Path key = dir.resolve("mnt/new.key");
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("-r", typo.toString(), "--key-file", key.toString()));
        expect(backup(args.toArray(String[]::new)), 2, "not a kiban backup repository: " + typo
                + " (it does not exist); check -r / backup.repository");
        parent.assertUnchanged();
        assertThat(typo).doesNotExist();
        assertThat(key).doesNotExist();
    }

    @Test
    void mistypedRepositoryForListCreatesNothing() throws Exception {
        mistyped("list");
    }

    @Test
    void mistypedRepositoryForShowCreatesNothing() throws Exception {
        mistyped("show", "latest");
    }

    @Test
    void mistypedRepositoryForVerifyCreatesNothing() throws Exception {
        mistyped("verify");
    }

    @Test
    void mistypedRepositoryForDiffCreatesNothing() throws Exception {
        mistyped("diff", "a", "b");
    }

    @Test
    void mistypedRepositoryForRestoreCreatesNothing() throws Exception {
        mistyped("restore", "latest", "--target", dir.resolve("restored").toString());
        assertThat(dir.resolve("restored")).doesNotExist();
    }

    @Test
    void mistypedRepositoryForPruneCreatesNothing() throws Exception {
        mistyped("prune");
    }

    @Test
    void diffOfAnUnknownSnapshotIsAUsageError() {
        expect(backup("diff", "nope", snap), 2, "no snapshot nope");
    }

    @Test
    void showOfAnUnknownSnapshotIsAUsageError() {
        expect(backup("show", "nope"), 2, "no snapshot nope");
    }

    // --- symlinks and locks ---

    /**
     * The operator's own -r may be a symlink (to a mounted disk, say): it is followed, since the
     * operator made it. Links inside the repository are kiban's to refuse.
     */
    @Test
    void repositoryPathThatIsASymlinkIsFollowedButALinkInsideIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("repo-link"), repo);
        expect(backup("list", "-r", link.toString()), 0, snap);
        Path snapshots = repo.resolve("snapshots");
        Files.move(snapshots, dir.resolve("elsewhere"));
        Files.createSymbolicLink(snapshots, dir.resolve("elsewhere"));
        expect(backup("list"), 1, "its snapshots is a symbolic link");
    }

    @Test
    void lockHeldByAnotherProcessRefusesWritersAndLosesNothing() throws Exception {
        String packs = packsDigest(repo);
        RepositoryFixtures.deleteIndexes(repo); // what a prune would act on
        Path holder = dir.resolve("LockHolder.java");
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class LockHolder {
                    public static void main(String[] a) throws Exception {
                        FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
                                StandardOpenOption.READ, StandardOpenOption.WRITE);
                        ch.lock(0, 2, false);
                        System.out.println("locked");
                        Thread.sleep(120_000);
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, holder.toString(),
                repo.resolve("kiban.lock").toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            expect(backup("prune"), 1, "is in use by another kiban");
            expect(backup("run", "--source", "compose", "--path", data.toString()), 1, "is in use by another kiban");
            assertThat(lastLogLine()).contains(" FAILED ").contains("in use by another kiban");
            expect(backup("list"), 1, "is in use by another kiban");
            assertThat(packsDigest(repo)).isEqualTo(packs);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        expect(backup("prune"), 0, "re-indexed pack");
        assertThat(packsDigest(repo)).isEqualTo(packs);
    }

    @Test
    void repairOnASoundRepositoryHasNothingToDo() {
        expect(backup("repair", "--dry-run"), 0, "nothing to repair");
        expect(backup("repair"), 0, "nothing to repair");
        try (Stream<Path> s = Files.list(repo)) {
            assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("damaged");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void repairLeavesAnUnreadableSnapshotAndIndexInPlaceAndExitsOne() throws Exception {
        Path snapFile = RepositoryFixtures.snapshotFile(repo, snap);
        Path index = RepositoryFixtures.indexes(repo).get(0);
        RepositoryFixtures.failReads(f -> f.equals(snapFile) ? new java.nio.file.AccessDeniedException(f.toString())
                : f.equals(index) ? new java.io.IOException("Input/output error") : null);
        try {
            HostileCorpus.Outcome o = backup("repair");
            expect(o, 1, "left in place, as they could not be read");
            assertThat(o.all()).contains("permission denied").contains("Input/output error")
                    .doesNotContain("moved the damaged").doesNotContain("re-indexed");
            assertThat(snapFile).isRegularFile();
            assertThat(index).isRegularFile();
            assertThat(repo.resolve("damaged")).doesNotExist();
            expect(backup("prune"), 1, "prune removed nothing");
        } finally {
            RepositoryFixtures.failReads(null);
        }
        expect(backup("verify", "--read-data"), 0, snap + ": sound");
        expect(backup("repair"), 0, "nothing to repair");
    }

    @Test
    void readersDoNotCreateTheLockFile() throws Exception {
        String second = RepositoryFixtures.snapshot(repo, data, Optional.empty());
        Files.delete(repo.resolve("kiban.lock"));
        expect(backup("list"), 0, snap);
        expect(backup("show", snap), 0, "snapshot " + snap);
        expect(backup("verify"), 0, "sound");
        expect(backup("diff", snap, second), 0, "");
        expect(backup("restore", snap, "--target", dir.resolve("out").toString(), "--yes"), 0, "restored");
        assertThat(repo.resolve("kiban.lock")).doesNotExist();
    }

    @Test
    void copyThenVerifyTheCopyWithItsDataRead() throws Exception {
        Path offsite = dir.resolve("offsite");
        expect(backup("copy", "--to", offsite.toString()), 0, "snapshots: 1 copied");
        expect(backup("verify", "--read-data", "-r", offsite.toString()), 0, snap + ": sound");
        HostileCorpus.Outcome again = backup("copy", "--to", offsite.toString(), "--json");
        expect(again, 0, "\"snapshotsSkipped\" : 1");
        assertThat(again.out()).contains("\"packsCopied\" : 0");
    }

    @Test
    void copyRefusesALinkAsItsDestination() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        expect(backup("copy", "--to", link.toString()), 2, "symbolic link");
        try (Stream<Path> s = Files.list(real)) {
            assertThat(s).isEmpty();
        }
    }
}
