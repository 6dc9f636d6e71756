package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.LocalCopyTarget;
import dev.kiban.backup.RepositoryCopy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "copy", mixinStandardHelpOptions = true,
        header = "Copy the repository's new packs, indexes and snapshots to a second repository (off-site).",
        description = {"Sends what the copy at --to lacks: the configuration the first time (so the copy opens with "
                + "the same key file, which is not copied: keep it apart from the copy), then the packs, each read "
                + "back and compared by SHA-256, then the indexes, then the snapshots. An interrupted copy is sound "
                + "and older; run again to send the rest. Deletes nothing here. A destination that is a symbolic link, "
                + "holds one, is a file or another repository is refused with nothing written.", ""})
final class BackupCopyCommand extends RepositoryCommand {
    @Option(names = "--to", required = true, paramLabel = "DIR",
            description = "The copy: an existing repository made by an earlier copy, an empty or a new directory.")
    Path to;

    @Option(names = "--dry-run", description = "Print what would be sent; write nothing.")
    boolean dryRun;

    @Mixin
    OutputOptions output;

    @Override
    int call(BackupRepository repo) throws IOException {
        RepositoryCopy.Result r;
        try (LocalCopyTarget target = LocalCopyTarget.open(to, repo.dir())) {
            r = RepositoryCopy.copy(repo, target, dryRun);
        }
        PrintWriter out = output.text(spec);
        String verb = dryRun ? "would copy" : "copied";
        out.println((dryRun ? "dry run: " : "") + repo.dir() + " -> " + r.target());
        if (r.configCopied()) out.println("  configuration: " + verb + " (a new copy)");
        out.println("  packs:     " + r.packsCopied() + " " + verb + ", " + r.packsSkipped() + " already there");
        out.println("  indexes:   " + r.indexesCopied() + " " + verb + ", " + r.indexesSkipped() + " already there");
        out.println("  snapshots: " + r.snapshotsCopied() + " " + verb + ", " + r.snapshotsSkipped()
                + " already there");
        r.orphanIndexes().forEach(i -> out.println("  not copied: " + i + " (its pack is missing here)"));
        out.println(String.format(Locale.ROOT, "  %d bytes%s", r.bytes(), dryRun ? "" : String.format(Locale.ROOT,
                " in %.1f s (%.1f MB/s), each file read back and compared", r.seconds(), r.megabytesPerSecond())));
        if (output.json) {
            OutputOptions.print(spec, new Report(r.target(), r.dryRun(), r.configCopied(), r.packsCopied(),
                    r.packsSkipped(), r.indexesCopied(), r.indexesSkipped(), r.snapshotsCopied(), r.snapshotsSkipped(),
                    r.orphanIndexes().size(), r.bytes(), r.seconds(), r.megabytesPerSecond()));
        }
        return ExitCode.OK;
    }

    /** copy --json: what was sent (or would be) and skipped, the bytes, seconds and MB/s. */
    record Report(String to, boolean dryRun, boolean configCopied, int packsCopied, int packsSkipped,
            int indexesCopied, int indexesSkipped, int snapshotsCopied, int snapshotsSkipped, int orphanIndexes,
            long bytes, double seconds, double megabytesPerSecond) {}
}
