package dev.kiban.host;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one part of host configuration that touches the machine. It records a generation first (the
 * before-state of every path it will change), writes directories and files atomically, asks each
 * file's reader to check it, and on any objection puts every path back byte for byte. Commands run
 * only on the real root ({@code /}); under {@code --root} they are listed, not run.
 */
public final class HostApply {
    /** For tests of interrupted applies: pause this many milliseconds after each file written. */
    static final String PAUSE_ENV = "KIBAN_APPLY_PAUSE_MS";

    private final Path root;
    private final ArtifactCheck checks;
    private final PrintWriter out;
    private final GenerationStore store;

    public HostApply(Path root, ArtifactCheck checks, PrintWriter out) {
        this.root = root;
        this.checks = checks;
        this.out = out;
        this.store = new GenerationStore(root);
    }

    public record Outcome(Optional<Generation> generation, List<String> failures) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    public Outcome apply(Plan plan) throws IOException {
        List<Plan.FileStep> files = plan.files().stream().filter(f -> f.change() != Plan.Change.UNCHANGED).toList();
        List<Plan.DirectoryStep> dirs = plan.directories().stream().filter(d -> d.change() != Plan.Change.UNCHANGED).toList();
        Generation gen = store.begin(files.stream().map(f -> f.artifact().path()).toList(),
                dirs.stream().map(d -> d.directory().path()).toList(), files.size() + " files, " + dirs.size() + " directories");
        long pause = pauseMillis();
        try {
            for (Plan.DirectoryStep d : dirs) {
                Path p = HostRoot.resolve(root, d.directory().path());
                Files.createDirectories(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(d.directory().mode()));
                FileOwnership.set(p, d.directory().owner());
            }
            for (Plan.FileStep f : files) {
                Path p = HostRoot.resolve(root, f.artifact().path());
                AtomicFile.write(p, f.artifact().content().getBytes(StandardCharsets.UTF_8), f.artifact().mode(), false);
                FileOwnership.set(p, f.artifact().owner());
                out.println((f.change() == Plan.Change.CREATE ? "created " : "changed ") + f.artifact().path());
                out.flush();
                if (pause > 0) sleep(pause);
            }
        } catch (IOException | RuntimeException e) {
            store.undo(gen);
            store.save(gen.with(Generation.Status.FAILED, "writing failed: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
            return new Outcome(Optional.of(gen), List.of("writing failed: " + e.getMessage()));
        }
        List<String> failures = new ArrayList<>();
        for (Plan.FileStep f : files) {
            checks.check(f.artifact(), root).ifPresent(why -> failures.add(f.artifact().path() + ": " + why));
        }
        if (failures.isEmpty() && HostRoot.isSystemRoot(root)) failures.addAll(runCommands(plan.commands()));
        if (!failures.isEmpty()) {
            store.undo(gen);
            Generation failed = gen.with(Generation.Status.FAILED, "rejected: " + String.join(", ", failures.stream()
                    .map(f -> f.substring(0, Math.max(0, f.indexOf(": "))).isEmpty() ? f.lines().findFirst().orElse(f) : f.substring(0, f.indexOf(": ")))
                    .toList()));
            store.save(failed);
            return new Outcome(Optional.of(failed), failures);
        }
        Generation applied = gen.with(Generation.Status.APPLIED, gen.note());
        store.save(applied);
        return new Outcome(Optional.of(applied), List.of());
    }

    private List<String> runCommands(List<HostCommand> commands) throws IOException {
        for (HostCommand c : commands) {
            out.println("running " + c);
            out.flush();
            Tool.Result r = Tool.run(c.argv(), Duration.ofMinutes(10));
            if (!r.ok()) return List.of("'" + c + "' failed: " + r.gist());
        }
        return List.of();
    }

    /** Undoes every generation in force after {@code to} (default: only the latest), newest first. */
    public List<Generation> rollback(Optional<Integer> to) throws IOException {
        List<Generation> inForce = store.list().stream().filter(Generation::inForce).toList();
        if (inForce.isEmpty()) return List.of();
        int floor = to.orElse(inForce.get(inForce.size() - 1).number() - 1);
        List<Generation> undone = new ArrayList<>();
        for (int i = inForce.size() - 1; i >= 0; i--) {
            Generation g = inForce.get(i);
            if (g.number() <= floor) break;
            store.undo(g);
            store.save(g.with(Generation.Status.ROLLED_BACK, g.note()));
            out.println("rolled back generation " + g.number() + " (" + g.note() + ")");
            undone.add(g);
        }
        return undone;
    }

    public GenerationStore generations() {
        return store;
    }

    private static long pauseMillis() {
        String v = System.getenv(PAUSE_ENV);
        return v == null || !v.matches("\\d+") ? 0 : Long.parseLong(v);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
