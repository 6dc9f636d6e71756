package dev.kiban.cli;

import dev.kiban.host.Generation;
import dev.kiban.host.HostApply;
import java.io.IOException;
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
            "Undo the latest apply (or, with --to N, every apply after generation N), putting each file back byte for byte "
                    + "with its old mode and owner and removing the files it created. Also recovers an apply that was interrupted.",
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

    RollbackCommand(KibanContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        if (to != null && to < 0) throw new dev.kiban.spec.SpecException("--to takes a generation number (0 or more)");
        if (to != null && to > 0 && new HostApply(rootOptions.root, context.checks(), spec.commandLine().getOut()).generations().get(to).isEmpty()) {
            throw new dev.kiban.spec.SpecException("no generation " + to + " under " + rootOptions.root + " ('kiban generations' lists them)");
        }
        List<Generation> undone = new HostApply(rootOptions.root, context.checks(), spec.commandLine().getOut()).rollback(Optional.ofNullable(to));
        if (undone.isEmpty()) spec.commandLine().getOut().println("nothing to roll back");
        return ExitCode.OK;
    }
}
