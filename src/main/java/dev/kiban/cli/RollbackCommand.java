package dev.kiban.cli;

import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import dev.kiban.failure.UsageException;
import dev.kiban.host.Generation;
import dev.kiban.host.HostApply;
import dev.kiban.os.HostRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        header = "Undo an apply, byte for byte.",
        description = {
            "Undo the latest apply (or, with --to N, every apply after generation N), putting each file back byte "
                    + "for byte with its old mode and owner (a file that was a symbolic link becomes that link again), "
                    + "removing the files it created and the directories it created that are empty again. Also "
                    + "recovers an apply that was interrupted.",
            "Lists what it would undo and asks (unless --yes); holds the lock <root>/var/lib/kiban/lock while it "
                    + "works. A generation whose record kiban cannot trust (a path with '..', not absolute) is "
                    + "refused.",
            "Restart the services yourself afterwards when you run it on / (the undone plan listed them).",
            ""})
final class RollbackCommand implements Callable<Integer> {
    private final KibanContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    RootOptions rootOptions;

    @Option(names = "--to", paramLabel = "N",
            description = "Keep generation N and undo everything after it (0: undo all).")
    Integer to;

    @Option(names = {"-y", "--yes"}, description = "Roll back without asking.")
    boolean yes;

    @Mixin
    OutputOptions output;

    RollbackCommand(KibanContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = output.text(spec);
        if (to != null && to < 0) throw new UsageException("--to takes a generation number (0 or more)");
        HostApply applier = new HostApply(rootOptions.root, context.checks(), out, context.programs(),
                context.environment());
        try {
            if (to != null && to > 0 && applier.generations().get(to).isEmpty()) {
                throw new UsageException("no generation " + to + " under " + rootOptions.root
                        + " ('kiban generations' lists them)");
            }
            List<Generation> todo = applier.toUndo(Optional.ofNullable(to));
            if (todo.isEmpty()) {
                out.println("nothing to roll back");
                if (output.json) OutputOptions.print(spec, new Report(List.of()));
                return ExitCode.OK;
            }
            PrintWriter shown = yes ? out : output.notices(spec);
            todo.forEach(g -> shown.println("roll back generation " + g.number() + " (" + g.note() + ")"));
            String question = "Roll back " + (todo.size() == 1 ? "this generation?" : "these generations?");
            if (!yes && !Prompt.confirm(context, shown, question)) {
                throw new DeclinedException("rollback not confirmed; nothing changed (confirm with y, or pass --yes)");
            }
            // exactly the generations listed and confirmed: refused if they changed before the lock was taken
            applier.rollback(Optional.ofNullable(to), todo);
            if (output.json) {
                List<Report.Undone> undone = todo.stream().map(g -> new Report.Undone(g.number(), g.note())).toList();
                OutputOptions.print(spec, new Report(undone));
            }
            return ExitCode.OK;
        } catch (HostRoot.Refusal e) {
            throw new RefusedException("rollback refused: " + e.getMessage());
        }
    }

    /** rollback --json: the generations undone, newest first (none when there was nothing to roll back). */
    record Report(List<Undone> rolledBack) {
        record Undone(int generation, String note) {}
    }
}
