package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.SnapshotDiff;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true, header = "What changed between two snapshots, path by path.",
        description = {"+ added, - removed, M modified (content, type, mode, owner or link target; a new mtime alone "
                + "is not a change).",
            "Exit 0 when the snapshots hold the same, 1 when they differ.", ""})
final class BackupDiffCommand extends RepositoryCommand {
    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "A", description = "The earlier snapshot (id, its start, or 'latest').")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The later snapshot.")
    String b;

    @Override
    int call(BackupRepository repo) throws IOException {
        SnapshotDiff diff = SnapshotDiff.between(repo.snapshot(a), repo.snapshot(b));
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            out.println(StructuredOutput.json(diff));
        } else {
            diff.changes().forEach(c -> out.println(c.line()));
            out.printf("%s -> %s: %d added, %d removed, %d modified%n", diff.from(), diff.to(),
                    diff.count(SnapshotDiff.Kind.ADDED),
                    diff.count(SnapshotDiff.Kind.REMOVED), diff.count(SnapshotDiff.Kind.MODIFIED));
        }
        return diff.changes().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
    }
}
