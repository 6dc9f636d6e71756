package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.Snapshot;
import dev.kiban.backup.SwarmRaft;
import dev.kiban.engine.NodeSummary;
import dev.kiban.os.HostPrograms;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.FakePrograms;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup run --swarm-state} and {@code backup restore SNAP --swarm-state} (issue 13, item 4): Docker's
 * procedure for a manager's Raft, with systemctl answered by {@link FakePrograms} (every call and its order kept),
 * the engine by {@link FakeEngine}, and the data root under a temporary {@code --root}.
 */
class BackupSwarmStateTest {
    static final List<String> STOP = List.of("/usr/bin/systemctl", "stop", "--job-mode=replace-irreversibly",
            "docker.socket", "docker.service");
    static final List<String> START = List.of("/usr/bin/systemctl", "start", "docker.socket", "docker.service");

    @TempDir
    Path dir;

    Path root;
    Path swarm;
    Path repo;
    Path spec;
    Path log;
    HostileCorpus.Sentinel sentinel;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        swarm = Files.createDirectories(root.resolve("var/lib/docker/swarm"));
        Files.createDirectories(swarm.resolve("raft/wal-v3-encrypted"));
        Files.createDirectories(swarm.resolve("certificates"));
        Files.writeString(swarm.resolve("state.json"), "[{\"node_id\":\"abc\"}]\n");
        // the node's addresses on the host it was taken on: not restored (the init writes the new host's)
        Files.writeString(swarm.resolve("docker-state.json"), "{\"ListenAddr\":\"192.0.2.10:2377\"}\n");
        Files.writeString(swarm.resolve("raft/wal-v3-encrypted/0000000000000000-0000000000000000.wal"), "wal\n");
        Path key = Files.writeString(swarm.resolve("certificates/swarm-node.key"), "-----BEGIN KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(swarm.resolve("certificates"), PosixFilePermissions.fromString("rwx------"));
        sentinel = HostileCorpus.Sentinel.plant(dir.resolve("sentinel"));
        // a link inside the state: stored and restored as a link, its target never read nor written
        Files.createSymbolicLink(swarm.resolve("raft/escape"), sentinel.file());
        repo = dir.resolve("repo");
        log = dir.resolve("backup.log");
        spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, CommandLineTest.FILLED + "storage: {compose: " + dir.resolve("no-compose") + "}\n"
                + "swarm: {advertiseAddress: 192.0.2.10}\n");
    }

    record Outcome(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Outcome run(FakeEngine engine, HostPrograms programs, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var context = new KibanContext(Map.of(), a -> engine, new dev.kiban.host.ReaderChecks(programs), programs,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false);
        var cli = Main.commandLine(context, args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    /** systemctl that stops and starts the fake engine, as the real one stops and starts dockerd. */
    static FakePrograms systemctl(FakeEngine engine) {
        return new FakePrograms(List.of("systemctl"), (argv, t) -> {
            if (argv.get(1).equals("stop")) engine.lose();
            if (argv.get(1).equals("start")) engine.regain();
            return new HostPrograms.Result(0, "");
        });
    }

    Outcome backup(FakeEngine engine, HostPrograms programs, String stdin, String... more) {
        List<String> args = new ArrayList<>(List.of("-c", spec.toString(), "backup", "run", "--swarm-state",
                "--allow-root-filesystem", "-r", repo.toString(), "--log", log.toString(), "--root", root.toString()));
        args.addAll(List.of(more));
        return run(engine, programs, stdin, args.toArray(String[]::new));
    }

    Outcome restore(FakeEngine engine, HostPrograms programs, Path into, String snapshot, String... more) {
        List<String> args = new ArrayList<>(List.of("-c", spec.toString(), "backup", "restore", snapshot,
                "--swarm-state", "-r", repo.toString(), "--root", into.toString()));
        args.addAll(List.of(more));
        return run(engine, programs, "", args.toArray(String[]::new));
    }

    static FakeEngine manager() {
        return new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
    }

    static NodeSummary otherManager(String name, String reachability) {
        return new NodeSummary(name + "-id", name, "manager", "active",
                reachability.equals("reachable") ? "ready" : "down", "192.0.2." + name.length(), false, reachability,
                "24.0.9", Map.of(), 1);
    }

    /** A swarm-state snapshot taken with --yes on a single manager; its id. */
    String backedUp() {
        FakeEngine engine = manager();
        Outcome o = backup(engine, systemctl(engine), "", "--yes");
        assertThat(o.exit()).as(o.all()).isZero();
        return o.out().lines().filter(l -> l.startsWith("snapshot ")).findFirst().orElseThrow().split(" ")[1]
                .replace(":", "");
    }

    // ---- backup ----

    @Test
    void aSingleManagerWithoutYesIsAskedAndDeclinedStopsNothing() throws Exception {
        FakeEngine engine = manager();
        FakePrograms programs = systemctl(engine);
        Outcome o = backup(engine, programs, "n\n");
        assertThat(o.exit()).as(o.all()).isEqualTo(dev.kiban.failure.DeclinedException.EXIT_CODE);
        assertThat(o.all()).contains("single-manager swarm").contains("live-restore is off under Swarm (D1)")
                .contains("not backed up; nothing was stopped");
        assertThat(programs.ran()).isEmpty();
        assertThat(repo.resolve("snapshots")).doesNotExist();
        assertThat(log).doesNotExist();
    }

    @Test
    void threeManagersWithOneUnreachableAreRefusedWithTheNumbersAndNothingStopped() throws Exception {
        FakeEngine engine = manager().addNode(otherManager("m2", "reachable"))
                .addNode(otherManager("m3", "unreachable"));
        FakePrograms programs = systemctl(engine);
        Outcome o = backup(engine, programs, "", "--yes");
        assertThat(o.exit()).as(o.all()).isEqualTo(1);
        assertThat(o.err()).contains("3 managers, 2 reachable: stopping this one loses the quorum")
                .contains("nothing was stopped");
        assertThat(programs.ran()).isEmpty();
        assertThat(log).as("a refusal before anything stopped is said at the terminal only").doesNotExist();
    }

    @Test
    void aWorkerIsRefused() throws Exception {
        FakeEngine engine = new FakeEngine();
        FakePrograms programs = systemctl(engine);
        Outcome o = backup(engine, programs, "", "--yes");
        assertThat(o.exit()).as(o.all()).isEqualTo(1);
        assertThat(o.err()).contains("not an active Swarm manager");
        assertThat(programs.ran()).isEmpty();
    }

    @Test
    void threeReachableManagersKeepTheQuorumAndNeedNoQuestion() throws Exception {
        FakeEngine engine = manager().addNode(otherManager("m2", "reachable"))
                .addNode(otherManager("m3", "reachable"));
        FakePrograms programs = systemctl(engine);
        Outcome o = backup(engine, programs, "");
        assertThat(o.exit()).as(o.all()).isZero();
        assertThat(o.out()).contains("3 managers, 3 reachable: the swarm keeps its quorum");
        assertThat(programs.ran()).containsExactly(STOP, START);
    }

    @Test
    void aBackupStopsCopiesTheTreeWithoutFollowingLinksAndStartsTheEngine() throws Exception {
        FakeEngine engine = manager();
        FakePrograms programs = systemctl(engine);
        Outcome o = backup(engine, programs, "", "--yes");
        assertThat(o.exit()).as(o.all()).isZero();
        assertThat(programs.ran()).containsExactly(STOP, START);
        assertThat(o.out()).contains("swarm-state of " + swarm).contains("the engine was down");
        assertThat(engine.swarm().active()).isTrue();
        try (BackupRepository r = BackupRepository.openExisting(repo, Optional.empty())) {
            Snapshot snap = r.latest().orElseThrow();
            Snapshot.Tree tree = snap.tree(SwarmRaft.SOURCE).orElseThrow();
            assertThat(snap.trees()).hasSize(1);
            assertThat(tree.meta()).containsEntry("engineVersion", "24.0.9").containsEntry("kind", "swarm-state");
            assertThat(tree.entries()).extracting(Snapshot.Entry::path).contains("state.json",
                    "raft/wal-v3-encrypted/0000000000000000-0000000000000000.wal", "certificates/swarm-node.key",
                    "raft/escape");
            Snapshot.Entry link = tree.entries().stream().filter(e -> e.path().equals("raft/escape")).findFirst()
                    .orElseThrow();
            assertThat(link.type()).isEqualTo(Snapshot.Entry.Type.SYMLINK);
            assertThat(link.target()).isEqualTo(sentinel.file().toString());
            assertThat(tree.entries().stream().filter(e -> e.path().equals("certificates/swarm-node.key"))
                    .findFirst().orElseThrow().mode()).isEqualTo(0600);
        }
        assertThat(log).as("no OK line: the log's last good line stands for the platform's data").doesNotExist();
        Outcome list = run(engine, programs, "", "-c", spec.toString(), "backup", "list", "-r", repo.toString());
        assertThat(list.out()).contains("swarm-state");
        sentinel.assertUnchanged();
    }

    @Test
    void aFailedCopyStillStartsTheEngineAndFails() throws Exception {
        FakeEngine engine = manager();
        // the engine's directory swapped for a link while the engine is down: refused, never read through
        FakePrograms programs = new FakePrograms(List.of("systemctl"), (argv, t) -> {
            if (argv.get(1).equals("stop")) {
                engine.lose();
                Files.move(swarm, dir.resolve("moved"));
                Files.createSymbolicLink(swarm, sentinel.dir());
            }
            if (argv.get(1).equals("start")) engine.regain();
            return new HostPrograms.Result(0, "");
        });
        Outcome o = backup(engine, programs, "", "--yes");
        assertThat(o.exit()).as(o.all()).isNotZero();
        assertThat(o.err()).contains("is a symbolic link").contains("the engine was started again");
        assertThat(programs.ran()).containsExactly(STOP, START);
        assertThat(engine.swarm().active()).isTrue();
        assertThat(Files.readString(log)).contains(" FAILED ");
        sentinel.assertUnchanged();
    }

    @Test
    void aRepositoryInUseIsRefusedBeforeTheEngineStops() throws Exception {
        backedUp();
        FakeEngine engine = manager();
        FakePrograms programs = systemctl(engine);
        try (var other = dev.kiban.testing.LockHolder.hold(repo.resolve("kiban.lock"))) {
            Outcome o = backup(engine, programs, "", "--yes");
            assertThat(o.exit()).as(o.all()).isNotZero();
            assertThat(o.err()).contains("a backup run, prune or repair is running");
        }
        assertThat(programs.ran()).isEmpty();
    }

    @Test
    void aFailedStopStillStartsTheEngine() throws Exception {
        FakeEngine engine = manager();
        FakePrograms programs = new FakePrograms(List.of("systemctl"), (argv, t) ->
                new HostPrograms.Result(argv.get(1).equals("stop") ? 1 : 0, "Failed to stop docker.service"));
        Outcome o = backup(engine, programs, "", "--yes");
        assertThat(o.exit()).as(o.all()).isNotZero();
        assertThat(o.err()).contains("systemctl stop docker.socket docker.service failed")
                .contains("the engine was started again");
        assertThat(programs.ran()).containsExactly(STOP, START);
    }

    // ---- restore ----

    @Test
    void aRestoreOnAnActiveSwarmMemberIsRefusedAndNothingStopped() throws Exception {
        String id = backedUp();
        FakeEngine engine = manager();
        FakePrograms programs = systemctl(engine);
        Outcome o = restore(engine, programs, root, id, "--yes");
        assertThat(o.exit()).as(o.all()).isEqualTo(1);
        assertThat(o.err()).contains("this engine is a Swarm member").contains("leave it first")
                .contains("fresh host");
        assertThat(programs.ran()).isEmpty();
        assertThat(engine.lastInit()).isEmpty();
    }

    @Test
    void aRestoreOnAnotherEngineVersionIsRefused() throws Exception {
        String id = backedUp();
        FakeEngine engine = new FakeEngine().version("27.3.1");
        FakePrograms programs = systemctl(engine);
        Outcome o = restore(engine, programs, freshHost(), id, "--yes");
        assertThat(o.exit()).as(o.all()).isEqualTo(1);
        assertThat(o.err()).contains("taken on engine 24.0.9, this engine is 27.3.1");
        assertThat(programs.ran()).isEmpty();
    }

    @Test
    void theJsonReportsSayWhatWasDone() throws Exception {
        FakeEngine manager = manager();
        Outcome b = backup(manager, systemctl(manager), "", "--yes", "--json");
        assertThat(b.exit()).as(b.all()).isZero();
        var backed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(b.out());
        assertThat(backed.get("directory").asText()).isEqualTo(swarm.toString());
        assertThat(backed.has("engineDownMillis")).isTrue();
        FakeEngine engine = new FakeEngine();
        Outcome r = restore(engine, systemctl(engine), freshHost(), backed.get("snapshot").asText(), "--yes",
                "--json");
        assertThat(r.exit()).as(r.all()).isZero();
        var restored = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(restored.get("keptAside").asText()).contains("swarm.kiban-before-");
        assertThat(restored.get("next").size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRestoreWithoutYesShowsThePlanAndChangesNothing() throws Exception {
        String id = backedUp();
        Path fresh = freshHost();
        FakeEngine engine = new FakeEngine();
        FakePrograms programs = systemctl(engine);
        Outcome o = restore(engine, programs, fresh, id);
        assertThat(o.exit()).as(o.all()).isEqualTo(dev.kiban.failure.DeclinedException.EXIT_CODE);
        assertThat(o.all()).contains("stop the engine").contains("--force-new-cluster --advertise-addr 192.0.2.10");
        assertThat(programs.ran()).isEmpty();
        assertThat(Files.readString(fresh.resolve("var/lib/docker/swarm/old.txt"))).isEqualTo("old\n");
    }

    @Test
    void aRestoreKeepsTheOldDirectoryAsidePutsTheTreeBackAndForcesANewCluster() throws Exception {
        String id = backedUp();
        Path fresh = freshHost();
        Path target = fresh.resolve("var/lib/docker/swarm");
        FakeEngine engine = new FakeEngine();
        FakePrograms programs = systemctl(engine);
        Outcome o = restore(engine, programs, fresh, id, "--yes");
        assertThat(o.exit()).as(o.all()).isZero();
        assertThat(programs.ran()).containsExactly(STOP, START);
        assertThat(engine.lastInit()).hasValueSatisfying(init -> {
            assertThat(init.forceNewCluster()).isTrue();
            assertThat(init.advertiseAddress()).isEqualTo("192.0.2.10");
            assertThat(init.listenAddress()).endsWith(":2377");
        });
        assertThat(engine.swarm().active()).isTrue();
        // the tree in place, modes and links as saved
        assertThat(Files.readString(target.resolve("state.json"))).isEqualTo("[{\"node_id\":\"abc\"}]\n");
        assertThat(Files.getPosixFilePermissions(target.resolve("certificates/swarm-node.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(target.resolve("certificates")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.isSymbolicLink(target.resolve("raft/escape"))).isTrue();
        assertThat(Files.readSymbolicLink(target.resolve("raft/escape"))).isEqualTo(sentinel.file());
        assertThat(target.resolve("old.txt")).doesNotExist();
        assertThat(target.resolve("docker-state.json")).as("the old host's addresses").doesNotExist();
        // the old directory kept, named with the time
        List<Path> aside = siblings(target, "swarm.kiban-before-");
        assertThat(aside).singleElement().satisfies(a ->
                assertThat(Files.readString(a.resolve("old.txt"))).isEqualTo("old\n"));
        assertThat(o.out()).contains("restored the Swarm state to " + target).contains("--force-new-cluster")
                .contains("kiban swarm join-token").contains("D5").contains("kept at " + aside.get(0));
        sentinel.assertUnchanged();
    }

    @Test
    void aRestoreThatFailsBeforeTheInitIsRolledBack() throws Exception {
        String id = backedUp();
        Path fresh = freshHost();
        Path target = fresh.resolve("var/lib/docker/swarm");
        FakeEngine engine = new FakeEngine();
        int[] starts = {0};
        FakePrograms programs = new FakePrograms(List.of("systemctl"), (argv, t) -> {
            if (argv.get(1).equals("stop")) engine.lose();
            if (argv.get(1).equals("start") && ++starts[0] == 1) {
                return new HostPrograms.Result(1, "Job for docker.service failed");
            }
            if (argv.get(1).equals("start")) engine.regain();
            return new HostPrograms.Result(0, "");
        });
        Outcome o = restore(engine, programs, fresh, id, "--yes");
        assertThat(o.exit()).as(o.all()).isNotZero();
        assertThat(o.err()).contains("the Swarm state was not restored").contains("rolled back")
                .contains("the old " + target + " put back").contains("the engine started again");
        assertThat(programs.ran()).containsExactly(STOP, START, STOP, START);
        assertThat(engine.lastInit()).isEmpty();
        assertThat(Files.readString(target.resolve("old.txt"))).isEqualTo("old\n");
        assertThat(siblings(target, "swarm.kiban-before-")).isEmpty();
        assertThat(siblings(target, "swarm.kiban-failed-")).singleElement().satisfies(f ->
                assertThat(f.resolve("state.json")).isRegularFile());
    }

    @Test
    void aPlainRestoreOfASwarmStateSnapshotPointsToTheFlag() throws Exception {
        String id = backedUp();
        FakeEngine engine = new FakeEngine();
        Outcome o = run(engine, FakePrograms.none(), "", "-c", spec.toString(), "backup", "restore", id, "-r",
                repo.toString(), "--yes");
        assertThat(o.exit()).as(o.all()).isNotZero();
        assertThat(o.err()).contains("--swarm-state");
    }

    /** A host whose engine is in no swarm and has an old swarm directory; its root. */
    Path freshHost() throws Exception {
        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        Path old = Files.createDirectories(fresh.resolve("var/lib/docker/swarm"));
        Files.writeString(old.resolve("old.txt"), "old\n");
        return fresh;
    }

    static List<Path> siblings(Path p, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(p.getParent())) {
            return s.filter(x -> x.getFileName().toString().startsWith(prefix))
                    .filter(x -> Files.isDirectory(x, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }
}
