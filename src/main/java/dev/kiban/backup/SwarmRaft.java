package dev.kiban.backup;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineConflictException;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.NotSwarmManagerException;
import dev.kiban.engine.SwarmInit;
import dev.kiban.engine.SwarmSettings;
import dev.kiban.failure.RefusedException;
import dev.kiban.os.Failures;
import dev.kiban.os.HostPrograms;
import dev.kiban.os.HostRoot;
import dev.kiban.os.Wait;
import dev.kiban.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manager's Swarm state (its Raft log, certificates and keys: {@code <data-root>/swarm}) backed up and restored
 * by Docker's documented procedure ("Administer and maintain a swarm of Docker Engines"): the engine is stopped
 * while the directory is copied whole, then started again; a restore puts the directory back on a host of the same
 * engine version, starts the engine and makes a one-manager cluster of it with {@code --force-new-cluster}.
 *
 * <p>The engine is stopped and started with {@code systemctl} (an argument list, no shell) through the host's
 * programs; the directory is read with the snapshot machinery ({@link BackupRun}: links inside are stored as links,
 * never followed) and written back with {@link SafeRestore}. Every path on the way to the directory is checked
 * without following a link ({@link HostRoot}), before the engine is stopped and again once it is down.
 */
public final class SwarmRaft {
    /** The snapshot tree's name: {@code backup list} shows a snapshot holding it as swarm-state. */
    public static final String SOURCE = "swarm-state";
    /** The engine's record of this node's swarm addresses, in the swarm directory. */
    static final String NODE_STATE = "docker-state.json";

    /** The units stopped and started: the socket too, or a request to it would start the engine again. */
    public static final List<String> UNITS = List.of("docker.socket", "docker.service");
    /** The longest wait for the engine (and the node) to be back after a start. */
    public static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration SYSTEMCTL = Duration.ofSeconds(120);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SwarmRaft() {}

    // ---- before a backup: is this an active manager, and does the swarm keep its quorum without it? ----

    /**
     * What stopping this node's engine does to the swarm: {@code managers} and how many of them are
     * {@code reachable}; {@code refusal} when it must not be stopped. A single manager may be stopped, after the
     * operator agreed ({@link #single}).
     */
    public record Quorum(int managers, int reachable, Optional<String> refusal) {
        public boolean single() {
            return managers == 1;
        }
    }

    /**
     * The check before stopping: this node must be an active manager, and with M managers of which R are
     * reachable, stopping it must leave a majority: R - 1 &gt; M / 2.
     */
    public static Quorum quorum(SwarmSettings settings, List<NodeSummary> nodes) {
        if (!settings.active() || !settings.manager()) {
            return new Quorum(0, 0, Optional.of("this node is not an active Swarm manager (its Swarm state is "
                    + settings.state() + (settings.active() ? ", a worker" : "")
                    + "); the Swarm state (Raft) is backed up on a manager"));
        }
        int managers = (int) nodes.stream().filter(NodeSummary::manager).count();
        int reachable = (int) nodes.stream().filter(n -> n.manager() && "reachable".equals(n.reachability()))
                .count();
        if (managers <= 1) return new Quorum(1, Math.max(reachable, 1), Optional.empty());
        if (2 * (reachable - 1) > managers) return new Quorum(managers, reachable, Optional.empty());
        int majority = managers / 2 + 1;
        return new Quorum(managers, reachable, Optional.of(managers + " managers, " + reachable + " reachable: "
                + "stopping this one loses the quorum (" + majority + " must stay reachable); bring the unreachable "
                + "managers back first (docker node ls), then back up on one of them"));
    }

    /** What the operator is told before a single manager's engine is stopped. */
    public static List<String> singleManagerWarning(Path swarmDir) {
        return List.of("this is a single-manager swarm: while " + swarmDir + " is copied the engine is stopped, and "
                        + "with it",
                "  - the Swarm control plane (no service can be changed, scaled or rescheduled), and",
                "  - every container of this node: live-restore is off under Swarm (D1), so they stop with the "
                        + "engine and start again after it");
    }

    // ---- the backup ----

    /** A backup of the Swarm state: the snapshot, how long the engine was down, and the directory copied. */
    public record Backed(Snapshot snapshot, Duration down, Path dir) {}

    /** {@code <root><dataRoot>/swarm}, every directory on the way checked without following a link. */
    public static Path directory(Path root, String dataRoot) throws IOException {
        String host = (dataRoot.endsWith("/") ? dataRoot : dataRoot + "/") + "swarm";
        return HostRoot.parents(root, host, false);
    }

    /**
     * Stops the engine, copies {@code swarmDir} into a new snapshot and always starts the engine again, then waits
     * (at most {@code wait}) until it answers and this node is an active Swarm member. A copy that fails is thrown
     * after the engine is back; an engine that does not come back is said with what was (or was not) saved.
     */
    public static Backed backup(BackupRepository repo, Engine engine, HostPrograms programs, Path swarmDir,
            List<String> notes, Duration wait) throws IOException {
        checkDirectory(swarmDir, true);
        Units units = new Units(programs);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kind", SOURCE);
        meta.put("engineVersion", engine.info().version());
        SwarmSettings settings = engine.swarm();
        meta.put("nodeId", settings.nodeId());
        meta.put("nodeAddress", settings.nodeAddress());
        // another writer (a daily run) would refuse the copy only once the engine is down: asked first
        try (RepositoryLock probe = RepositoryLock.writer(repo.dir(), false)) {
            // free now; the run takes it again below
        }
        long stopped = System.nanoTime();
        Snapshot snap = null;
        Exception copy = null;
        Exception[] start = {null};
        try {
            units.stop();
            // the engine is down: nothing it does can race the check; a link planted before it stopped is refused
            checkDirectory(swarmDir, true);
            snap = repo.backup(List.of(new BackupRepository.Source(SOURCE, swarmDir, meta)), List.of(),
                    BackupRepository.Quiesce.NONE, notes);
        } catch (IOException | RuntimeException e) {
            copy = e;
        } finally {
            start[0] = startAgain(units, engine, wait); // whatever happened above, an Error too
        }
        Duration down = Duration.ofNanos(System.nanoTime() - stopped);
        if (start[0] != null) {
            throw new IOException("the engine was stopped for the Swarm state's backup ("
                    + (copy == null ? "saved as snapshot " + snap.id() : "not saved: " + Failures.describe(copy))
                    + ") but is not back: " + Failures.describe(start[0]) + "; check 'systemctl status docker' and "
                    + "start it by hand: systemctl start " + String.join(" ", UNITS));
        }
        // a fault (not a refusal or a failed copy) keeps its own path to the operator
        if (copy instanceof RuntimeException r && !(r instanceof dev.kiban.failure.KibanException)) throw r;
        if (copy != null) {
            throw new IOException("the Swarm state was not backed up: " + Failures.describe(copy)
                    + "; the engine was started again (down " + seconds(down) + ")");
        }
        return new Backed(snap, down, swarmDir);
    }

    /** Starts the engine and waits until this node is an active member again; the failure, if any. */
    private static Exception startAgain(Units units, Engine engine, Duration wait) {
        try {
            units.start();
            Wait.until(() -> activeMember(engine), wait,
                    "the engine to answer and this node to be an active Swarm member again");
            return null;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    // ---- the restore ----

    /**
     * What a restore does: the snapshot's tree into {@code swarmDir}, the directory there now moved {@code aside}
     * (when there is one), then the init with {@code --force-new-cluster}.
     */
    public record RestorePlan(Snapshot snapshot, Snapshot.Tree tree, Path swarmDir, Optional<Path> aside,
            SwarmInit init, List<String> lines) {}

    /**
     * Checks everything before anything changes: the snapshot holds a Swarm state whose tree is sound
     * ({@link SafeRestore#validate}), the engine is in no swarm and runs the version the state was taken on, and
     * {@code swarmDir} is a real directory or absent. {@code init} must ask for a new cluster.
     */
    public static RestorePlan plan(Snapshot snap, Engine engine, Path swarmDir, SwarmInit init, Instant now)
            throws IOException {
        if (!init.forceNewCluster()) throw new IllegalArgumentException("a Swarm state restore forces a new cluster");
        Snapshot.Tree tree = snap.tree(SOURCE).orElseThrow(() -> new SpecException("snapshot " + snap.id()
                + " holds no Swarm state (Raft); take one on a manager with: kiban backup run --swarm-state"));
        SafeRestore.validate(tree);
        SwarmSettings settings = engine.swarm();
        if (!"inactive".equals(settings.state())) {
            throw new RefusedException("this engine is a Swarm member (its state is " + settings.state()
                    + (settings.manager() ? ", a manager" : "") + "); restoring the Swarm state would replace its "
                    + "swarm: leave it first (docker swarm leave --force), or restore on a fresh host");
        }
        String taken = tree.meta().getOrDefault("engineVersion", "");
        String running = engine.info().version();
        if (!taken.isEmpty() && !taken.equals(running)) {
            throw new RefusedException("the Swarm state was taken on engine " + taken + ", this engine is " + running
                    + "; Docker restores a swarm only on the same engine version: install " + taken + " first");
        }
        boolean exists = checkDirectory(swarmDir, false);
        Optional<Path> aside = exists ? Optional.of(swarmDir.resolveSibling(swarmDir.getFileName() + ".kiban-before-"
                + STAMP.format(now))) : Optional.empty();
        if (aside.isPresent() && Files.exists(aside.get(), LinkOption.NOFOLLOW_LINKS)) {
            throw new RefusedException(aside.get() + " already exists; move it away first");
        }
        List<String> lines = new ArrayList<>();
        lines.add("  1. stop the engine: systemctl stop --job-mode=replace-irreversibly " + String.join(" ", UNITS));
        lines.add(aside.map(a -> "  2. move " + swarmDir + " aside to " + a + " (kept, not deleted)")
                .orElse("  2. " + swarmDir + " does not exist: nothing to move aside"));
        lines.add("  3. write the snapshot's Swarm state (" + tree.entries().size() + " entries, taken on engine "
                + (taken.isEmpty() ? "unknown" : taken) + (tree.meta().containsKey("nodeAddress")
                ? " at " + tree.meta().get("nodeAddress") : "") + ") to " + swarmDir + ", owners and modes as saved, "
                + "without " + NODE_STATE + " (the old node's addresses: the init writes this host's)");
        lines.add("  4. start the engine: systemctl start " + String.join(" ", UNITS));
        lines.add("  5. docker swarm init --force-new-cluster --advertise-addr " + init.advertiseAddress()
                + " --listen-addr " + init.listenAddress() + " --default-addr-pool "
                + String.join(",", init.defaultAddrPool()));
        lines.add("  a failure before step 5 puts the old directory back and starts the engine again");
        return new RestorePlan(snap, tree, swarmDir, aside, init, lines);
    }

    /** A restore carried out: where, what was kept aside, entries and bytes written, and the engine's down time. */
    public record Restored(Path swarmDir, Optional<Path> aside, int entries, long bytes, Duration down) {}

    /**
     * Carries out {@code plan}. A failure before the init moves the restored directory away (kept as
     * {@code .kiban-failed-}), the old one back, and starts the engine again; the init's own failure leaves the
     * restored state in place for the operator to look at.
     */
    public static Restored restore(BackupRepository repo, RestorePlan plan, Engine engine, HostPrograms programs,
            Duration wait) throws IOException {
        Units units = new Units(programs);
        Path swarm = plan.swarmDir();
        long stopped = System.nanoTime();
        long bytes;
        Duration down;
        Progress at = new Progress();
        try {
            units.stop();
            at.stopped = true;
            if (checkDirectory(swarm, plan.aside().isPresent()) != plan.aside().isPresent()) {
                // an old directory appeared since the plan: it is never replaced unseen (a restore deletes what it
                // replaces), so nothing is written
                throw new RefusedException(swarm + " appeared after the plan was shown; run the restore again");
            }
            if (plan.aside().isPresent()) {
                Files.move(swarm, plan.aside().get(), StandardCopyOption.ATOMIC_MOVE);
                at.movedAside = true;
            }
            bytes = repo.restore(plan.tree(), swarm);
            // With the old node's docker-state.json the engine starts that node again, listening on the old host's
            // address, and refuses the init for ever (seen on the rig). Without it the engine starts outside any
            // swarm, and init --force-new-cluster takes the restored Raft and certificates (only an init without
            // the force clears them). deleteIfExists removes a link itself, never what it points to.
            Files.deleteIfExists(swarm.resolve(NODE_STATE));
            at.started = true; // a start that fails half-way is stopped again by the rollback
            units.start();
            Wait.until(() -> answers(engine), wait, "the engine to answer again");
            down = Duration.ofNanos(System.nanoTime() - stopped);
        } catch (IOException | RuntimeException e) {
            throw rollBack(e, plan, at, units, engine, wait);
        }
        // the engine brings its restored manager up after it answers: until then the engine refuses the init as
        // "not a swarm manager" (seen on the rig), so it is asked again until its manager runs
        Wait.until(() -> {
            try {
                engine.initSwarm(plan.init());
                return Optional.of(Boolean.TRUE);
            } catch (EngineConflictException | NotSwarmManagerException e) {
                return Optional.empty();
            }
        }, wait, Duration.ofSeconds(1),
                "the restored manager to take the new cluster (swarm init --force-new-cluster)");
        Wait.until(() -> activeMember(engine), wait, "this node to be the active manager of the restored swarm");
        return new Restored(swarm, plan.aside(), plan.tree().entries().size(), bytes, down);
    }

    /** How far a restore got, for its rollback. */
    private static final class Progress {
        boolean stopped;
        boolean movedAside;
        boolean started;
    }

    /**
     * Puts the old directory back (the restored one is moved to {@code .kiban-failed-}, kept) and starts the engine
     * again; the failure, saying what was rolled back.
     */
    private static IOException rollBack(Exception cause, RestorePlan plan, Progress at, Units units, Engine engine,
            Duration wait) {
        Path swarm = plan.swarmDir();
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        if (at.stopped) {
            try {
                if (at.started) units.stop();
                // only a directory this restore wrote is moved: with nothing moved aside, the old one is still there
                boolean ours = at.movedAside || plan.aside().isEmpty();
                if (ours && Files.exists(swarm, LinkOption.NOFOLLOW_LINKS)) {
                    Path failedDir = swarm.resolveSibling(swarm.getFileName() + ".kiban-failed-"
                            + STAMP.format(Instant.now()));
                    Files.move(swarm, failedDir, StandardCopyOption.ATOMIC_MOVE);
                    done.add("the restored directory moved to " + failedDir);
                }
                if (at.movedAside) {
                    Files.move(plan.aside().get(), swarm, StandardCopyOption.ATOMIC_MOVE);
                    done.add("the old " + swarm + " put back");
                }
            } catch (IOException | RuntimeException e) {
                failed.add("rolling back: " + Failures.describe(e));
            }
        }
        try {
            units.start();
            Wait.until(() -> answers(engine), wait, "the engine to answer again");
            done.add("the engine started again");
        } catch (IOException | RuntimeException e) {
            failed.add("starting the engine: " + Failures.describe(e) + " (start it by hand: systemctl start "
                    + String.join(" ", UNITS) + ")");
        }
        return new IOException("the Swarm state was not restored: " + Failures.describe(cause) + "; "
                + (failed.isEmpty() ? "rolled back: " + String.join(", ", done)
                : "the rollback did not finish: " + String.join("; ", failed)
                        + (done.isEmpty() ? "" : " (done: " + String.join(", ", done) + ")")));
    }

    /** What the operator must do after a restore, and what came back. */
    public static List<String> afterRestore(Restored r, String advertise) {
        List<String> out = new ArrayList<>();
        out.add("this node is now the one manager of the restored swarm (force-new-cluster, advertising "
                + advertise + "); its services, networks, configs and secrets are those of the snapshot, and "
                + "their tasks are scheduled on the nodes that are up: at first this one");
        out.add("the other nodes are still listed, as down: on each, 'docker swarm leave --force' and join "
                + "again (the join tokens came back with the state: kiban swarm join-token), then remove the "
                + "old entries with 'docker node rm'; add managers again to regain a fault-tolerant quorum");
        out.add("Swarm secrets came back with their values: they live in the Raft log, encrypted with this "
                + "swarm's keys, which came along in the directory; the engine still never shows a value (D5), "
                + "so they can be used, not read back, and a secret changed after the snapshot has its old value");
        out.add("if the swarm was autolocked, unlock it with its unlock key of the snapshot's time: docker swarm "
                + "unlock");
        r.aside().ifPresent(a -> out.add("the previous " + r.swarmDir() + " is kept at " + a
                + "; remove it once the swarm is sound"));
        return out;
    }

    // ---- the parts ----

    /**
     * Whether {@code dir} exists as a real directory; a link or another kind of file there is refused, and so is
     * one missing when {@code required}.
     */
    private static boolean checkDirectory(Path dir, boolean required) throws IOException {
        Optional<BasicFileAttributes> a = HostRoot.lstat(dir);
        if (a.isEmpty()) {
            if (required) {
                throw new RefusedException(dir + " does not exist: this engine keeps no Swarm state there "
                        + "(check engine.dataRoot in the spec, and --root)");
            }
            return false;
        }
        if (a.get().isSymbolicLink()) {
            throw new RefusedException("refusing " + dir + ": it is a symbolic link (to "
                    + Files.readSymbolicLink(dir) + "); kiban never follows a symbolic link it did not create");
        }
        if (!a.get().isDirectory()) throw new RefusedException("refusing " + dir + ": it is not a directory");
        return true;
    }

    /** Whether the engine answers (any failure while it starts is a no for now). */
    private static boolean answers(Engine engine) {
        try {
            engine.swarm();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether the engine answers and this node is an active Swarm member. */
    private static boolean activeMember(Engine engine) {
        try {
            return engine.swarm().active();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** The engine's units, stopped and started with systemctl: found first, run with an argument list. */
    private static final class Units {
        private final HostPrograms programs;
        private final Path systemctl;

        Units(HostPrograms programs) throws IOException {
            this.programs = programs;
            this.systemctl = programs.find("systemctl").orElseThrow(() -> new RefusedException("systemctl is not "
                    + "installed: kiban stops and starts the engine through systemd"));
        }

        /**
         * Irreversibly: a client knocking on docker.socket while it stops (the monitor agent asks every 5 s) would
         * otherwise start the engine again and cancel the stop ("Job for docker.socket canceled", seen on the rig).
         */
        void stop() throws IOException {
            run("stop", "--job-mode=replace-irreversibly");
        }

        void start() throws IOException {
            run("start");
        }

        private void run(String verb, String... options) throws IOException {
            List<String> argv = new ArrayList<>(List.of(systemctl.toString(), verb));
            argv.addAll(List.of(options));
            argv.addAll(UNITS);
            HostPrograms.Result r = programs.run(argv, SYSTEMCTL);
            if (!r.ok()) {
                throw new IOException("systemctl " + verb + " " + String.join(" ", UNITS) + " failed: " + r.gist());
            }
        }
    }
}
