package dev.kiban.host;

import dev.kiban.os.AtomicFile;
import dev.kiban.os.Failures;
import dev.kiban.os.FileOwnership;
import dev.kiban.os.HostPrograms;
import dev.kiban.os.HostRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one part of host configuration that touches the machine. Under the root's lock it checks the plan
 * still holds and is safe (no symbolic link on the way to any path, every program it will run present),
 * records a generation (the before-state of every path it will change), writes directories and files
 * atomically, asks each file's reader to check it, runs the commands, and on any failure at all (a
 * refused path, a rejected file, a program that fails or cannot be started) puts every path back byte
 * for byte and marks the generation failed. Commands run only on the real root ({@code /}); under
 * {@code --root} they are listed, not run. The symlink rule is {@link HostRoot}'s.
 */
public final class HostApply {
    /** For tests of interrupted applies: pause this many milliseconds after each file written. */
    static final String PAUSE_ENV = "KIBAN_APPLY_PAUSE_MS";

    private final Path root;
    private final ArtifactCheck checks;
    private final PrintWriter out;
    private final GenerationStore store;
    private final boolean runCommands;
    private final HostPrograms programs;
    private final long pauseMillis;

    /** {@code environment} is the process's: only its {@link #PAUSE_ENV} is read. */
    public HostApply(Path root, ArtifactCheck checks, PrintWriter out, HostPrograms programs,
                     Map<String, String> environment) {
        this(root, checks, out, HostRoot.isSystemRoot(root), programs, environment);
    }

    /** For tests: run the commands on a test root, with programs looked up and started as given. */
    HostApply(Path root, ArtifactCheck checks, PrintWriter out, boolean runCommands, HostPrograms programs,
              Map<String, String> environment) {
        this.root = root;
        this.checks = checks;
        this.out = out;
        this.store = new GenerationStore(root);
        this.runCommands = runCommands;
        this.programs = programs;
        this.pauseMillis = pauseMillis(environment);
    }

    /** One thing that went wrong, with the host path it concerns when it is about one file. */
    public record Failure(Optional<String> path, String reason) {
        static Failure at(String path, String reason) {
            return new Failure(Optional.of(path), reason);
        }

        static Failure general(String reason) {
            return new Failure(Optional.empty(), reason);
        }

        /** What the failure is about, for the generation's note: the path, or the reason's first line. */
        String subject() {
            return path.orElseGet(() -> firstLine(reason));
        }

        @Override
        public String toString() {
            return path.map(p -> p + ": " + reason).orElse(reason);
        }
    }

    public record Outcome(Optional<Generation> generation, List<Failure> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }

        /** Each failure as the operator reads it: the path first when it is about one file. */
        public List<String> failures() {
            return problems.stream().map(Failure::toString).toList();
        }

        /** Failed, and every path is back as it was (the generation is marked failed, not left applying). */
        public boolean restored() {
            return generation.map(g -> g.status() == Generation.Status.FAILED).orElse(true);
        }
    }

    /**
     * Why this plan must not be applied on this host, read-only: a symbolic link or a non-directory on
     * the way to a path, a link or a file where a directory is planned, a directory where a file is, an
     * unusable state directory, programs the commands need that are not installed. Empty: go ahead.
     */
    public List<String> preflight(Plan plan) {
        Set<String> out = new LinkedHashSet<>();
        for (Plan.DirectoryStep d : plan.directories()) {
            if (d.change() == Plan.Change.UNCHANGED) continue;
            String p = d.directory().path();
            Optional<String> unsafe = HostRoot.unsafe(root, p);
            if (unsafe.isPresent()) {
                out.add(unsafe.get());
                continue;
            }
            lstat(p).ifPresent(a -> {
                if (a.isSymbolicLink()) {
                    out.add("refusing " + HostRoot.where(root, p) + ": it is a symbolic link (to " + linkTarget(p)
                            + "); kiban neither follows it nor replaces it with a directory: make it a real directory");
                } else if (!a.isDirectory()) {
                    out.add("refusing " + HostRoot.where(root, p) + ": it is not a directory; expected a directory");
                }
            });
        }
        for (Plan.FileStep f : plan.files()) {
            if (f.change() == Plan.Change.UNCHANGED) continue;
            String p = f.artifact().path();
            Optional<String> unsafe = HostRoot.unsafe(root, p);
            if (unsafe.isPresent()) {
                out.add(unsafe.get());
                continue;
            }
            lstat(p).ifPresent(a -> {
                if (a.isDirectory()) {
                    out.add("refusing " + HostRoot.where(root, p) + ": it is a directory; expected a file");
                } else if (!a.isRegularFile() && !a.isSymbolicLink()) {
                    // a FIFO, socket or device: rollback could not make it again, so it is not replaced
                    out.add("refusing " + HostRoot.where(root, p)
                            + ": it is not a regular file (a FIFO, socket or device); expected a file");
                }
            });
        }
        for (Plan.Removal r : plan.removals()) {
            Optional<String> unsafe = HostRoot.unsafe(root, r.path());
            if (unsafe.isPresent()) {
                out.add(unsafe.get());
            } else if (!lstat(r.path()).map(BasicFileAttributes::isRegularFile).orElse(true)) {
                out.add("refusing " + HostRoot.where(root, r.path()) + ": it is no longer a regular file; expected the "
                        + "unit kiban wrote");
            }
        }
        store.unsafe().ifPresent(out::add);
        interrupted().ifPresent(out::add);
        List<String> missing = missingPrograms(plan);
        if (!missing.isEmpty()) {
            out.add("programs the plan runs are not installed on this host: " + String.join(", ", missing)
                    + " (install them, or change the spec so they are not needed)");
        }
        return List.copyOf(out);
    }

    /**
     * An earlier apply left "applying" (killed, or its undo failed): a new one would record the half-done
     * state as its before-state, so it is refused until 'kiban rollback' has put that one back.
     */
    private Optional<String> interrupted() {
        try {
            return store.list().stream().filter(g -> g.status() == Generation.Status.APPLYING).reduce((a, b) -> b)
                    .map(g -> "generation " + g.number() + " was interrupted (still 'applying'): run 'kiban rollback' "
                            + "first, then apply again");
        } catch (IOException e) {
            return Optional.of(Failures.describe(e));
        }
    }

    /** What the operator should know before saying yes: files that are symbolic links now and will be replaced. */
    public List<String> notes(Plan plan) {
        List<String> notes = new ArrayList<>();
        for (Plan.FileStep f : plan.files()) {
            if (f.change() == Plan.Change.UNCHANGED || f.before().isEmpty() || !f.before().get().isLink()) continue;
            notes.add(f.artifact().path() + " is a symbolic link (to " + f.before().get().link()
                    + "): apply replaces the link with the file, leaving what it points to alone; "
                    + "rollback puts the link back");
        }
        return notes;
    }

    /** Programs a package install earlier in the same plan provides, by the packages that provide them. */
    private static final Map<String, List<String>> PROVIDED_BY = Map.ofEntries(
            Map.entry("firewall-cmd", List.of("firewalld")),
            Map.entry("nft", List.of("nftables")),
            Map.entry("fail2ban-client", List.of("fail2ban")),
            Map.entry("iptables", List.of("iptables")),
            Map.entry("logwatch", List.of("logwatch")),
            Map.entry("augenrules", List.of("audit", "auditd")),
            Map.entry("restorecon", List.of("policycoreutils", "policycoreutils-python-utils")),
            Map.entry("semanage", List.of("policycoreutils-python-utils")),
            Map.entry("docker", List.of("docker-ce", "docker-ce-cli", "docker.io")),
            Map.entry("dockerd", List.of("docker-ce", "docker.io")),
            Map.entry("postconf", List.of("postfix")),
            Map.entry("postfix", List.of("postfix")),
            Map.entry("postqueue", List.of("postfix")),
            Map.entry("postmap", List.of("postfix")),
            Map.entry("newaliases", List.of("postfix")));

    /**
     * The programs the commands start that are neither installed nor made by this plan: not a file it
     * writes, not in a package an earlier command installs (that install failing is a failed step).
     */
    private List<String> missingPrograms(Plan plan) {
        if (!runCommands) return List.of();
        Set<String> written = new HashSet<>();
        plan.files().forEach(f -> written.add(f.artifact().path()));
        Set<String> installed = new HashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        List<PlannedCommand> all = new ArrayList<>(plan.removals().stream().map(Plan.Removal::stop).toList());
        all.addAll(plan.commands());
        for (PlannedCommand c : all) {
            String program = c.program();
            boolean provided = written.contains(program)
                    || PROVIDED_BY.getOrDefault(program, List.of()).stream().anyMatch(installed::contains);
            if (!provided && programs.findUnder(root, program).isEmpty()) {
                missing.add(program.isEmpty() ? "(an empty command)" : program);
            }
            boolean installs = List.of("dnf", "yum", "apt-get", "apt").contains(program)
                    && c.argv().contains("install");
            if (installs) {
                installed.addAll(c.argv().subList(1, c.argv().size()));
            }
        }
        return List.copyOf(missing);
    }

    private Optional<BasicFileAttributes> lstat(String hostPath) {
        try {
            return HostRoot.lstat(HostRoot.resolve(root, hostPath));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String linkTarget(String hostPath) {
        try {
            return Files.readSymbolicLink(HostRoot.resolve(root, hostPath)).toString();
        } catch (IOException e) {
            return "?";
        }
    }

    public Outcome apply(Plan plan) throws IOException {
        List<Plan.FileStep> files = plan.files().stream().filter(f -> f.change() != Plan.Change.UNCHANGED).toList();
        List<Plan.DirectoryStep> dirs = plan.directories().stream()
                .filter(d -> d.change() != Plan.Change.UNCHANGED).toList();
        try (GenerationStore.Lock lock = store.lock()) {
            List<String> refused = preflight(plan);
            if (!refused.isEmpty()) throw new HostRoot.Refusal("not applying: " + String.join("; ", refused));
            requireUnchangedSincePlan(files, dirs);
            for (Plan.Removal r : plan.removals()) requireSame(r.path(), Optional.of(r.before()));
            if (runCommands) requireReachableSources(plan.commands());
            List<String> paths = new ArrayList<>(files.stream().map(f -> f.artifact().path()).toList());
            plan.removals().forEach(r -> paths.add(r.path()));
            Generation gen = store.begin(paths, dirs.stream().map(d -> d.directory().path()).toList(),
                    files.size() + " files, " + dirs.size() + " directories"
                            + (plan.removals().isEmpty() ? "" : ", " + plan.removals().size() + " units removed"));
            List<Failure> failures = new ArrayList<>();
            try {
                List<PlannedCommand> stops = plan.removals().stream().map(Plan.Removal::stop).toList();
                if (runCommands) failures.addAll(runCommands(stops));
                if (failures.isEmpty()) {
                    remove(plan.removals());
                    write(files, dirs);
                    for (Plan.FileStep f : files) {
                        checks.check(f.artifact(), root)
                                .ifPresent(why -> failures.add(Failure.at(f.artifact().path(), why)));
                    }
                }
                if (failures.isEmpty() && runCommands) failures.addAll(runCommands(plan.commands()));
            } catch (IOException | RuntimeException e) {
                failures.add(Failure.general("writing failed: " + Failures.describe(e)));
            }
            if (!failures.isEmpty() && runCommands && !plan.removals().isEmpty()) {
                // undo puts the files back, not the running state
                failures.add(Failure.general("units the spec turned off may be left stopped and disabled: "
                        + String.join(", ", plan.removals().stream().map(Plan.Removal::unit).toList())
                        + " ('systemctl enable --now UNIT' starts one again)"));
            }
            if (failures.isEmpty()) {
                Generation applied = gen.with(Generation.Status.APPLIED, gen.note());
                store.save(applied);
                return new Outcome(Optional.of(applied), List.of());
            }
            try {
                store.undo(gen);
            } catch (IOException | RuntimeException e) {
                // left "applying" on purpose: it is still in force, and 'kiban rollback' retries it
                failures.add(Failure.general("could not put everything back: " + Failures.describe(e)
                        + "; generation " + gen.number() + " stays 'applying': fix that, then run 'kiban rollback'"));
                return new Outcome(Optional.of(gen), failures);
            }
            Generation failed = gen.with(Generation.Status.FAILED, "rejected: " + String.join(", ", failures.stream()
                    .map(Failure::subject).toList()));
            store.save(failed);
            return new Outcome(Optional.of(failed), failures);
        }
    }

    /** The plan was read before the lock was taken: refuse it when another hand changed a path since. */
    private void requireUnchangedSincePlan(List<Plan.FileStep> files, List<Plan.DirectoryStep> dirs)
            throws IOException {
        for (Plan.FileStep f : files) requireSame(f.artifact().path(), f.before());
        for (Plan.DirectoryStep d : dirs) {
            // the lock itself made kiban's state directory: that is not someone else's change
            if (!d.directory().path().equals(DirectoryLayout.STATE)) requireSame(d.directory().path(), d.before());
        }
    }

    private void requireSame(String hostPath, Optional<ObservedFile> planned) throws IOException {
        if (!Objects.equals(ObservedFile.read(root, hostPath), planned)) {
            throw new HostRoot.Refusal("not applying: " + HostRoot.where(root, hostPath)
                    + " changed since the plan was made; run 'kiban plan' and apply again");
        }
    }

    /** The retired units' files, each still the regular file the plan saw (checked under the lock just before). */
    private void remove(List<Plan.Removal> removals) throws IOException {
        for (Plan.Removal r : removals) {
            Path p = HostRoot.parents(root, r.path(), false);
            if (!HostRoot.lstat(p).map(BasicFileAttributes::isRegularFile).orElse(false)) {
                throw new HostRoot.Refusal("refusing " + HostRoot.where(root, r.path()) + ": it is not the regular "
                        + "file the plan saw");
            }
            Files.delete(p); // unlink: a name, never what a link would point to
            out.println("removed " + r.path());
            out.flush();
        }
    }

    private void write(List<Plan.FileStep> files, List<Plan.DirectoryStep> dirs) throws IOException {
        long pause = pauseMillis;
        for (Plan.DirectoryStep d : dirs) {
            String hostPath = d.directory().path();
            Path p = HostRoot.parents(root, hostPath, true);
            Optional<BasicFileAttributes> a = HostRoot.lstat(p);
            if (a.isEmpty()) {
                Files.createDirectory(p); // mkdir: fails on anything already there, a link included
            } else if (a.get().isSymbolicLink() || !a.get().isDirectory()) {
                throw new HostRoot.Refusal("refusing " + HostRoot.where(root, hostPath) + ": it is "
                        + (a.get().isSymbolicLink() ? "a symbolic link" : "not a directory")
                        + "; expected a directory");
            }
            Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(PosixFilePermissions.fromString(d.directory().mode()));
            FileOwnership.set(p, d.directory().owner());
        }
        for (Plan.FileStep f : files) {
            Path p = HostRoot.parents(root, f.artifact().path(), true);
            byte[] content = f.artifact().content().getBytes(StandardCharsets.UTF_8);
            AtomicFile.write(p, content, f.artifact().mode(), f.artifact().owner(), false);
            out.println((f.change() == Plan.Change.CREATE ? "created " : "changed ") + f.artifact().path());
            out.flush();
            if (pause > 0) sleep(pause);
        }
    }

    /** Before anything changes: every package source the commands install from answers, or nothing is done. */
    private void requireReachableSources(List<PlannedCommand> commands) throws HostRoot.Refusal {
        for (PackageSources.Check check : PackageSources.checks(commands)) {
            out.println("checking " + check.command());
            out.flush();
            String why;
            try {
                HostPrograms.Result r = programs.run(check.command().argv(), Duration.ofMinutes(5));
                if (r.ok()) continue;
                why = r.gist();
            } catch (IOException e) {
                why = Failures.describe(e);
            }
            throw new HostRoot.Refusal("not applying: " + check.source() + " cannot be reached ('"
                    + check.command() + "' failed: " + why + "); nothing was changed");
        }
    }

    private List<Failure> runCommands(List<PlannedCommand> commands) {
        for (PlannedCommand c : commands) {
            out.println("running " + c);
            out.flush();
            HostPrograms.Result r;
            try {
                r = programs.run(c.argv(), Duration.ofMinutes(10));
            } catch (IOException e) {
                // a program that cannot be started is a failed step like any other: everything goes back
                return List.of(Failure.general("'" + c + "' could not be started: " + Failures.describe(e)));
            }
            if (!r.ok() && !c.whenItFails().isEmpty()) {
                out.println("warning: '" + c + "' failed: " + firstLine(r.gist()) + "; " + c.whenItFails());
            } else if (!r.ok()) {
                return List.of(Failure.general("'" + c + "' failed: " + r.gist()));
            }
        }
        return List.of();
    }

    private static String firstLine(String s) {
        return String.valueOf(s).lines().findFirst().orElse("");
    }

    /** The generations {@link #rollback} would undo, newest first, read-only. */
    public List<Generation> toUndo(Optional<Integer> to) throws IOException {
        List<Generation> inForce = store.list().stream().filter(Generation::inForce).toList();
        if (inForce.isEmpty()) return List.of();
        int floor = to.orElse(inForce.get(inForce.size() - 1).number() - 1);
        List<Generation> out = new ArrayList<>();
        for (int i = inForce.size() - 1; i >= 0 && inForce.get(i).number() > floor; i--) out.add(inForce.get(i));
        return out;
    }

    /** Undoes every generation in force after {@code to} (default: the latest), newest first, under the lock. */
    public List<Generation> rollback(Optional<Integer> to) throws IOException {
        return rollback(to, toUndo(to));
    }

    /**
     * Undoes exactly {@code confirmed} (what {@link #toUndo} listed and the operator agreed to): under the
     * lock the generations are read again, and when they are no longer the same (another apply or
     * rollback ran in between) nothing is undone and the rollback is refused.
     */
    public List<Generation> rollback(Optional<Integer> to, List<Generation> confirmed) throws IOException {
        if (confirmed.isEmpty() && toUndo(to).isEmpty()) return List.of(); // nothing to do: no lock, create nothing
        try (GenerationStore.Lock lock = store.lock()) {
            List<Generation> now = toUndo(to);
            if (!now.equals(confirmed)) {
                throw new HostRoot.Refusal("the generations to roll back changed since they were listed (now "
                        + numbers(now) + ", confirmed " + numbers(confirmed) + "): another apply or rollback ran "
                        + "in between; nothing was rolled back: run 'kiban rollback' again");
            }
            List<Generation> undone = new ArrayList<>();
            for (Generation g : now) {
                store.undo(g);
                store.save(g.with(Generation.Status.ROLLED_BACK, g.note()));
                out.println("rolled back generation " + g.number() + " (" + g.note() + ")");
                out.flush();
                undone.add(g);
            }
            return undone;
        }
    }

    private static String numbers(List<Generation> gens) {
        return gens.isEmpty() ? "none" : String.join(", ", gens.stream().map(g -> String.valueOf(g.number())).toList());
    }

    public GenerationStore generations() {
        return store;
    }

    private static long pauseMillis(Map<String, String> environment) {
        String v = environment.get(PAUSE_ENV);
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
