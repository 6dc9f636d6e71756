package dev.kiban.cli;

import dev.kiban.failure.RefusedException;
import dev.kiban.host.Generation;
import dev.kiban.host.GenerationStore;
import dev.kiban.os.HostRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "generations", mixinStandardHelpOptions = true,
        header = "List the recorded applies.",
        description = {"List the recorded applies: number, time, status (applied, applying = interrupted, failed, "
                + "rolled-back).", ""})
final class GenerationsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RootOptions rootOptions;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        List<Generation> all;
        try {
            all = new GenerationStore(rootOptions.root).list(); // read-only: no lock, creates nothing
        } catch (HostRoot.Refusal e) {
            throw new RefusedException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            out.println(StructuredOutput.json(all));
            return ExitCode.OK;
        }
        if (all.isEmpty()) out.println("no generations under " + rootOptions.root);
        for (Generation g : all) {
            out.printf("%4d  %-24s  %-12s  %s%n", g.number(), g.created(),
                    g.status().name().toLowerCase().replace('_', '-'), g.note());
        }
        return ExitCode.OK;
    }
}
