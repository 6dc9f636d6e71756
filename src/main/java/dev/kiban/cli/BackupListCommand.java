package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.Snapshot;
import dev.kiban.spec.ByteSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, header = "List the snapshots.", description = {""})
final class BackupListCommand extends RepositoryCommand {
    @Mixin
    OutputOptions output;

    @Override
    int call(BackupRepository repo) throws IOException {
        List<Snapshot> all = repo.snapshots();
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
