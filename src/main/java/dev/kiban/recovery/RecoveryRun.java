package dev.kiban.recovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.FileRestorePlan;
import dev.kiban.backup.RestoreRun;
import dev.kiban.backup.Snapshot;
import dev.kiban.backup.SwarmState;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.failure.RefusedException;
import dev.kiban.os.AtomicFile;
import dev.kiban.os.HostPrograms;
import dev.kiban.recovery.RecoveryFacts.Journal;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecException;
import dev.kiban.stack.DockerCli;
import dev.kiban.stack.StackRollout;
import dev.kiban.swarm.SwarmSetup;
import dev.kiban.swarm.SwarmSetupApply;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out a {@link RecoveryPlan}, step by step in its order, through the capabilities' own executors
 * (backup's restore, swarm's set-up, stack's deploy and rollout). After each step that makes something here the
 * journal is written, so a second run knows what is its own and continues; a step that fails stops the run
 * ({@link #done()} and {@link #left()} say where). A stack that does not converge is reported, not a failure:
 * the others are still deployed.
 */
public final class RecoveryRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the run reports: progress lines (a terminal only) and what each step did. */
    public interface Listener {
        void progress(String line);

        void done(String line);
    }

    /** What the host needs besides the engine: where things go, the docker CLI, the swarm's set-up. */
    public record Host(PlatformSpec spec, SwarmSpec forSwarm, HostPrograms programs,
            EngineAddress address, Path root) {}

    /** The spec resolved for the swarm (addresses of this host), asked for only when the swarm is initialised. */
    public interface SwarmSpec {
        PlatformSpec get() throws IOException;
    }

    /** A stack deployed, and whether it converged (the services' last state, or why not). */
    public record StackOutcome(String stack, boolean converged, String reason, List<StackRollout.Progress> services) {}

    private final BackupRepository repo;
    private final Snapshot snap;
    private final Engine engine;
    private final Host host;
    private final Path journalFile;
    private final Listener listener;
    private Journal journal;
    private final List<String> done = new ArrayList<>();
    private final List<RecoveryPlan.Step> left = new ArrayList<>();
    private final List<StackOutcome> stacks = new ArrayList<>();

    public RecoveryRun(BackupRepository repo, Snapshot snap, Engine engine, Host host, Path journalFile,
            Journal journal, Listener listener) {
        this.repo = repo;
        this.snap = snap;
        this.engine = engine;
        this.host = host;
        this.journalFile = journalFile;
        this.journal = journal;
        this.listener = listener;
    }

    /** What was done so far, one line each. */
    public List<String> done() {
        return List.copyOf(done);
    }

    /** The steps not done (after a failure: the failed one first). */
    public List<RecoveryPlan.Step> left() {
        return List.copyOf(left);
    }

    public List<StackOutcome> stacks() {
        return List.copyOf(stacks);
    }

    /** Runs the plan's steps; a stack's convergence is waited for at most {@code timeout}. */
    public void run(RecoveryPlan plan, Duration timeout) throws IOException {
        if (!plan.runnable()) throw new IllegalStateException("the plan has refusals");
        left.addAll(plan.steps());
        while (!left.isEmpty()) {
            RecoveryPlan.Step step = left.get(0);
            listener.progress(step.describe() + " ...");
            String said = step(step, timeout);
            left.remove(0);
            done.add(said);
            listener.done(said);
        }
    }

    private String step(RecoveryPlan.Step step, Duration timeout) throws IOException {
        if (step instanceof RecoveryPlan.InitSwarm) return initSwarm();
        if (step instanceof RecoveryPlan.LoadImage s) return loadImage(s);
        if (step instanceof RecoveryPlan.CreateVolume s) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(RecoveryPlan.LABEL, snap.id());
            if (!s.stack().isEmpty()) labels.put(StackRollout.NAMESPACE_LABEL, s.stack());
            engine.createVolume(s.name(), labels);
            return "created volume " + s.name();
        }
        if (step instanceof RecoveryPlan.RestoreVolume s) {
            String said = restoreTree("volume:" + s.name());
            journal(journal.withVolume(s.name()));
            return said;
        }
        if (step instanceof RecoveryPlan.RestoreCompose) return restoreTree("compose");
        if (step instanceof RecoveryPlan.CreateConfig s) {
            SwarmState.Config c = RestoreRun.swarmState(repo, snap).configs().stream()
                    .filter(x -> x.name().equals(s.name())).findFirst()
                    .orElseThrow(() -> new SpecException("the snapshot has no config " + s.name()));
            engine.createConfig(c.name(), c.labels(), c.bytes());
            return "created Swarm config " + c.name() + " (" + c.bytes().length + " bytes)";
        }
        return deploy((RecoveryPlan.DeployStack) step, timeout);
    }

    private String initSwarm() throws IOException {
        PlatformSpec resolved = host.forSwarm().get();
        SwarmSetup.Plan plan = SwarmSetup.plan(resolved,
                SwarmSetupApply.observe(engine, host.root(), resolved.swarm().joinTokenFile().value()));
        if (!plan.refusals().isEmpty()) throw new RefusedException("not initialising the swarm:", plan.refusals());
        PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
        new SwarmSetupApply(engine, host.root(), quiet).run(plan);
        return "initialised the swarm as the spec says";
    }

    private String loadImage(RecoveryPlan.LoadImage s) throws IOException {
        Snapshot.Tree t = snap.tree(s.source()).orElseThrow(() -> new SpecException("the snapshot has no "
                + s.source()));
        try (InputStream archive = repo.read(t.entries().get(0))) {
            engine.loadImages(archive);
        }
        return "loaded image " + s.source() + (s.tags().isEmpty() ? " (untagged)" : " (" + s.tags() + ")");
    }

    private String restoreTree(String source) throws IOException {
        List<Snapshot.Tree> trees = FileRestorePlan.trees(snap, source);
        FileRestorePlan plan = FileRestorePlan.of(repo, trees, null, host.spec(), engine);
        RestoreRun run = new RestoreRun(repo, engine, new RestoreRun.Report() {
            @Override
            public void progress(String line) {
                listener.progress(line);
            }

            @Override
            public void note(String note) {
                listener.done("note: " + note);
            }

            @Override
            public void noteOfFailure(String note) {
                listener.progress("note: " + note);
            }
        });
        FileRestorePlan.Destination d = plan.destinations().get(0);
        RestoreRun.Restored r = run.tree(d, true, true, false); // running users were refused by the plan
        return "restored " + FileRestorePlan.printable(r.source()) + " to " + r.path() + " (" + r.entries()
                + " entries, " + r.bytes() + " bytes, every chunk checked)";
    }

    private String deploy(RecoveryPlan.DeployStack s, Duration timeout) throws IOException {
        Path compose = Path.of(host.spec().storage().compose().value()).resolve(s.name()).resolve(s.file());
        if (!Files.isRegularFile(compose, LinkOption.NOFOLLOW_LINKS)) {
            throw new RefusedException("stack " + s.name() + ": " + compose + " is not a regular file after the "
                    + "compose tree's restore");
        }
        var before = StackRollout.updatesBefore(engine, s.name());
        HostPrograms.Result deployed = DockerCli.find(host.programs(), host.address()).deploy(s.name(), compose);
        if (!deployed.ok()) throw new RefusedException("docker stack deploy " + s.name() + " failed: "
                + deployed.gist());
        journal(journal.withStack(s.name()));
        PrintWriter progress = new PrintWriter(new java.io.Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(char[] c, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    if (c[i] == '\n') {
                        listener.progress(line.toString());
                        line.setLength(0);
                    } else {
                        line.append(c[i]);
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        StackRollout.Outcome o = StackRollout.follow(engine, s.name(), timeout, progress, before);
        stacks.add(new StackOutcome(s.name(), o.converged(), o.reason(), o.services()));
        return o.converged() ? "deployed stack " + s.name() + ": converged, " + o.services().size() + " service"
                + (o.services().size() == 1 ? "" : "s") + " running as declared"
                : "deployed stack " + s.name() + ": did not converge: " + o.reason();
    }

    private void journal(Journal next) throws IOException {
        journal = next;
        AtomicFile.write(journalFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(next), "rw-------",
                false);
    }

    /** The journal of earlier runs for this snapshot; none yet: empty. No link is followed. */
    public static Journal readJournal(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return Journal.EMPTY;
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new RefusedException(file + " is not a regular file (a link is never followed); move it away");
        }
        try {
            return JSON.readValue(Files.readAllBytes(file), Journal.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new RefusedException(file + " is not a restore-all journal; move it away");
        }
    }

    /** The journal's file for a snapshot: {@code DIR/<id>.json}; an id kiban would not write is refused. */
    public static Path journalFile(Path dir, String snapshot) {
        if (!RecoveryPlan.NAME.matcher(snapshot).matches()) {
            throw new SpecException("snapshot id " + Printable.of(snapshot) + " is no name kiban writes");
        }
        return dir.resolve(snapshot + ".json");
    }
}
