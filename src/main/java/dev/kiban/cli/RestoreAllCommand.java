package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.Snapshot;
import dev.kiban.engine.Engine;
import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import dev.kiban.failure.UsageException;
import dev.kiban.os.ThisHost;
import dev.kiban.recovery.RecoveryFacts;
import dev.kiban.recovery.RecoveryGather;
import dev.kiban.recovery.RecoveryPlan;
import dev.kiban.recovery.RecoveryRun;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore-all", mixinStandardHelpOptions = true,
        header = "Bring a snapshot's platform back on this host: images, volumes, compose files, configs, stacks.",
        description = {
            "For a fresh host after kiban apply (disaster recovery). Shows the plan first, then, in this order: "
                    + "initialises the swarm as the spec says when the engine is in none; loads the images the engine "
                    + "lacks; creates the engine volumes it lacks and restores the volumes; restores the compose tree; "
                    + "creates the Swarm configs the engine lacks; deploys each stack (a stack that names another's "
                    + "network as external after it) and follows it until it converges (--timeout each). Then the "
                    + "report: what came back, what is kept, and what needs the operator.",
            "Secrets: their values were never readable (D5), so none is restored. A stack whose compose file names "
                    + "an external secret the engine lacks is not deployed; the report gives the command that creates "
                    + "it, the other stacks are deployed, and the exit code is 1. Create the secrets, run restore-all "
                    + "again: it continues.",
            "Refused before anything changes (exit 1): containers running here that are not the snapshot's stacks, "
                    + "a stack of a snapshot stack's name that restore-all did not deploy, a volume or compose tree "
                    + "that holds other data than the snapshot's. --yes restores beside such containers and over such "
                    + "data, but a stack restore-all did not deploy is never replaced or removed, and a volume a "
                    + "running container uses is always refused. A snapshot naming a stack, volume or path kiban never "
                    + "writes (../x, a/b) is refused whole (exit 2).",
            "Again after a failure: each step that made something is recorded in the journal (--journal DIR, "
                    + "<id>.json); a second run keeps images the engine has, configs that exist, volumes that hold the "
                    + "snapshot's data or that restore-all restored, and deploys again only the stacks it deployed. "
                    + "A failed step stops the run, with what was done and what is left.",
            ""})
final class RestoreAllCommand extends EngineBoundCommand {
    @Mixin
    RepositoryOptions repositoryOptions;

    @Parameters(index = "0", paramLabel = "SNAP", description = "A snapshot id (or its start, or 'latest').")
    String snapshot;

    @Option(names = "--dry-run", description = "Print the plan only; change nothing.")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "Do not ask; restore beside other containers and over existing "
            + "volumes and compose files (never over a stack restore-all did not deploy).")
    boolean yes;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "180s", converter = DurationConverter.class,
            description = "How long to wait for each stack to converge (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--journal", paramLabel = "DIR", description = "Where restore-all records what it made, per "
            + "snapshot (default ${DEFAULT-VALUE}).")
    Path journalDir = Path.of("/var/lib/kiban/restore-all");

    @Option(names = "--root", paramLabel = "DIR",
            description = "Root under which the swarm's join token file is written, if it is initialised (default /).")
    Path root = Path.of("/");

    @Mixin
    OutputOptions output;

    RestoreAllCommand(KibanContext context) {
        super(context);
    }

    /** restore-all --json: the plan, what was done, each stack's outcome, and what needs the operator. */
    record Report(String snapshot, boolean dryRun, List<String> plan, List<String> done, List<String> kept,
            List<Stack> stacks, List<RecoveryPlan.Secret> secrets, List<RecoveryPlan.Blocked> notDeployed,
            List<String> notes, long millis) {}

    record Stack(String stack, boolean converged, String reason) {}

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        PlatformSpec platform = SpecLoading.spec(spec).require();
        PrintWriter out = output.text(spec);
        try (BackupRepository repo = repositoryOptions.open(platform); Engine engine = connect()) {
            Snapshot snap = repo.snapshot(snapshot);
            Path journalFile = RecoveryRun.journalFile(journalDir, snap.id());
            RecoveryFacts.Journal journal = RecoveryRun.readJournal(journalFile);
            RecoveryPlan plan = RecoveryPlan.of(RecoveryGather.gather(repo, snap, engine, platform, journal), yes);
            if (!plan.problems().isEmpty()) {
                throw new UsageException("not restoring " + snap.id() + ": " + String.join("; ", plan.problems()));
            }
            PrintWriter shown = yes || dryRun ? out : output.notices(spec);
            shown.println("restore-all of " + snap.id() + " (" + snap.time() + ", from " + snap.host() + "):");
            plan.lines().forEach(shown::println);
            shown.flush();
            if (!plan.refusals().isEmpty()) {
                throw new RefusedException("not restoring " + snap.id() + "; nothing changed:", plan.refusals());
            }
            if (dryRun) {
                if (output.json) OutputOptions.print(spec, report(snap, plan, null, start));
                return ExitCode.OK;
            }
            if (!yes && !Prompt.confirm(context, shown, "Restore as planned?")) {
                throw new DeclinedException("not restored; nothing changed (confirm with y, or pass --yes)");
            }
            PrintWriter progress = output.progress(context, spec);
            RecoveryRun run = new RecoveryRun(repo, snap, engine, new RecoveryRun.Host(platform,
                    () -> ThisHost.system().resolveForSwarm(platform), context.programs(), address(), root),
                    journalFile, journal, new RecoveryRun.Listener() {
                        @Override
                        public void progress(String line) {
                            progress.println(line);
                            progress.flush();
                        }

                        @Override
                        public void done(String line) {
                            out.println(line);
                            out.flush();
                        }
                    });
            try {
                run.run(plan, timeout);
            } catch (IOException | RuntimeException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("restore-all stopped at: " + (run.left().isEmpty() ? "?" : run.left().get(0).describe()));
                run.done().forEach(d -> err.println("  done: " + d));
                run.left().forEach(s -> err.println("  left: " + s.describe()));
                err.println("  run kiban restore-all " + snap.id() + " again once the cause is fixed: it continues");
                err.flush();
                throw e;
            }
            List<RecoveryRun.StackOutcome> failed = run.stacks().stream().filter(s -> !s.converged()).toList();
            plan.secrets().forEach(s -> out.println("needs the operator: secret " + s.name()
                    + (s.stacks().isEmpty() ? "" : " (for " + String.join(", ", s.stacks()) + ")") + ": "
                    + s.command()));
            plan.blocked().forEach(b -> out.println("needs the operator: stack " + b.stack() + " not deployed: "
                    + b.reason()));
            failed.forEach(s -> out.println("needs the operator: stack " + s.stack() + " did not converge: "
                    + s.reason()));
            long converged = run.stacks().stream().filter(RecoveryRun.StackOutcome::converged).count();
            out.printf("restore-all of %s: %d steps done, %d kept, %d of %d stacks converged, in %.1f s%n", snap.id(),
                    run.done().size(), plan.kept().size(), converged, run.stacks().size() + plan.blocked().size(),
                    (System.nanoTime() - start) / 1e9);
            if (output.json) OutputOptions.print(spec, report(snap, plan, run, start));
            return plan.needsOperator() || !failed.isEmpty() ? ExitCode.FINDINGS : ExitCode.OK;
        }
    }

    private static Report report(Snapshot snap, RecoveryPlan plan, RecoveryRun run, long start) {
        List<Stack> stacks = run == null ? List.of() : run.stacks().stream()
                .map(s -> new Stack(s.stack(), s.converged(), s.reason())).toList();
        return new Report(snap.id(), run == null, plan.lines(), run == null ? List.of() : run.done(), plan.kept(),
                stacks, plan.secrets(), plan.blocked(), plan.notes(), (System.nanoTime() - start) / 1_000_000);
    }
}
