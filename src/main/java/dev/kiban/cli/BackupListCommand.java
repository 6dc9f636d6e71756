package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.Snapshot;
import dev.kiban.backup.SnapshotStore;
import dev.kiban.backup.SwarmRaft;
import dev.kiban.spec.ByteSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, header = "List the snapshots.",
        description = {"A snapshot file that cannot be read is listed as DAMAGED (exit 1); the others are listed as "
                + "usual. kiban backup repair moves damaged files aside.", ""})
final class BackupListCommand extends RepositoryCommand {
    @Mixin
    OutputOptions output;

    @Override
    int call(BackupRepository repo) throws IOException {
        SnapshotStore.Catalog catalog = repo.catalog();
        List<Snapshot> all = catalog.snapshots();
        int exit = catalog.damaged().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            List<Object> rows = new java.util.ArrayList<>(all.stream().map(s -> (Object) java.util.Map.of("id", s.id(),
                    "time", s.time(),
                    "host", String.valueOf(s.host()), "sources", s.trees().stream().map(Snapshot.Tree::source).toList(),
                            "stats", s.stats(), "kind", kind(s))).toList());
            catalog.damaged().forEach(d -> rows.add(java.util.Map.of("id", d.id(), "damaged", d.reason())));
            out.println(StructuredOutput.json(rows));
            return exit;
        }
        if (all.isEmpty() && catalog.damaged().isEmpty()) out.println("no snapshots");
        for (Snapshot s : all) {
            out.printf("%-26s %-30s %3d sources %7d files  %9s added%s%n", s.id(), s.time(), s.trees().size(),
                    s.stats().files(), ByteSize.ofBytes(s.stats().bytesAdded()),
                    kind(s).equals("files") ? "" : "  " + kind(s));
        }
        for (SnapshotStore.DamagedSnapshot d : catalog.damaged()) out.printf("%-26s DAMAGED: %s%n", d.id(),
                d.reason());
        if (exit != ExitCode.OK) {
            spec.commandLine().getErr().println("kiban: " + catalog.damaged().size() + " snapshot file"
                    + (catalog.damaged().size() == 1 ? " is" : "s are")
                    + " damaged; the others are usable. kiban backup repair moves damaged files aside.");
        }
        return exit;
    }

    /** swarm-state for a snapshot of a manager's Swarm state (backup run --swarm-state), else files. */
    static String kind(Snapshot s) {
        return s.tree(SwarmRaft.SOURCE).isPresent() ? SwarmRaft.SOURCE : "files";
    }
}
