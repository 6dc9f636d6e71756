package dev.kiban.cli;

import dev.kiban.host.Generation;
import dev.kiban.host.HostApply;
import dev.kiban.host.HostRoot;
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

    @Option(names = "--to", paramLabel = "N", description = "Keep generation N and undo everything after it (0: undo all).")
    Integer to;

    @Option(names = {"-y", "--yes"}, description = "Roll back without asking.")
    boolean yes;

    RollbackCommand(KibanContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (to != null && to < 0) throw new dev.kiban.spec.SpecException("--to takes a generation number (0 or more)");
        HostApply applier = new HostApply(rootOptions.root, context.checks(), out);
        try {
            if (to != null && to > 0 && applier.generations().get(to).isEmpty()) {
                throw new dev.kiban.spec.SpecException("no generation " + to + " under " + rootOptions.root
                        + " ('kiban generations' lists them)");
            }
            List<Generation> todo = applier.toUndo(Optional.ofNullable(to));
            if (todo.isEmpty()) {
                out.println("nothing to roll back");
                return ExitCode.OK;
            }
            todo.forEach(g -> out.println("roll back generation " + g.number() + " (" + g.note() + ")"));
            String question = "Roll back " + (todo.size() == 1 ? "this generation?" : "these generations?");
            if (!yes && !CommandSupport.confirm(context, out, question)) {
                err.println("kiban: rollback not confirmed; nothing changed (confirm with y, or pass --yes)");
                return ExitCode.FINDINGS;
            }
            // exactly the generations listed and confirmed: refused if they changed before the lock was taken
            applier.rollback(Optional.ofNullable(to), todo);
            return ExitCode.OK;
        } catch (HostRoot.Refusal e) {
            err.println("kiban: rollback refused: " + e.getMessage());
            return ExitCode.FINDINGS;
        }
    }
}
