package dev.kiban.cli;

import dev.kiban.backup.Snapshot;
import dev.kiban.spec.ByteSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true, header = "List the snapshots.", description = {""})
final class BackupListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepositoryOptions repositoryOptions;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        List<Snapshot> all;
        try (var repo = repositoryOptions.open(CommandSupport.spec(spec).require())) {
            all = repo.snapshots();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            out.println(Json.json(all.stream().map(s -> java.util.Map.of("id", s.id(), "time", s.time(), "host", s.host(),
                    "sources", s.trees().stream().map(Snapshot.Tree::source).toList(), "stats", s.stats())).toList()));
            return ExitCode.OK;
        }
        if (all.isEmpty()) out.println("no snapshots");
        for (Snapshot s : all) {
            out.printf("%-26s %-30s %3d sources %7d files  %9s added%n", s.id(), s.time(), s.trees().size(), s.stats().files(),
                    ByteSize.ofBytes(s.stats().bytesAdded()));
        }
        return ExitCode.OK;
    }
}
