package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "repair", mixinStandardHelpOptions = true,
        header = "Rebuild lost indexes and move damaged snapshots and indexes aside.",
        description = {
            "Re-indexes every pack without a readable index from its blob headers (each blob re-hashed first); moves "
                    + "snapshot files and indexes that cannot be read, and indexes whose pack is gone, into "
                    + "<repository>/damaged/<time>/. Deletes nothing.",
            "Exit 0 when nothing was wrong or everything was repaired; 1 when a sound snapshot still misses data (each "
                    + "such snapshot is named with its files). A pack of an earlier release without an index cannot be "
                    + "re-indexed (it has no blob headers); it is kept and named.",
            "Only files whose content is damaged (they do not parse, decrypt or match their checksum, or are not "
                    + "regular files) are moved. A file that cannot be read at all (permission denied, an I/O "
                    + "error) is reported and left where it is, and the repair exits 1.",
            ""})
final class BackupRepairCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepositoryOptions repositoryOptions;

    @Option(names = "--dry-run", description = "Say what would be done; change nothing.")
    boolean dryRun;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        BackupRepository.Repaired repaired;
        try (BackupRepository repo = repositoryOptions.openForWrite(SpecLoading.spec(spec).require())) {
            repaired = repo.repair(dryRun);
        }
        if (output.json) {
            OutputOptions.print(spec, new Report(dryRun, repaired.actions(), repaired.unrecoverable(),
                    repaired.unreadable(), repaired.missing()));
        }
        PrintWriter out = output.text(spec);
        repaired.actions().forEach(out::println);
        repaired.unrecoverable().forEach(u -> out.println("note: " + u));
        PrintWriter err = spec.commandLine().getErr();
        if (!repaired.unreadable().isEmpty()) {
            err.println("kiban: left in place, as they could not be read rather than being damaged (fix the "
                    + "permissions or the disk, then run kiban backup repair again):");
            repaired.unreadable().forEach(u -> err.println("  " + u));
        }
        if (repaired.missing().isEmpty()) {
            if (!repaired.unreadable().isEmpty()) return ExitCode.FINDINGS;
            out.println(repaired.actions().isEmpty()
                    ? "nothing to repair: every snapshot and index is readable and every pack indexed"
                    : dryRun ? "after the repair every sound snapshot would have all its data"
                    : "repaired: every sound snapshot has all its data");
            return ExitCode.OK;
        }
        err.println("kiban: " + (dryRun ? "after the repair, " : "")
                + "these snapshots miss data that no pack holds (restoring them leaves "
                + "those files out or fails; other snapshots are whole):");
        repaired.missing().forEach(m -> err.println("  " + m));
        return ExitCode.FINDINGS;
    }

    /**
     * repair --json: what was done (or would be), packs that cannot be re-indexed, files left in place as
     * unreadable (permissions, the disk), snapshots still missing data.
     */
    record Report(boolean dryRun, List<String> actions, List<String> unrecoverable, List<String> unreadable,
            List<String> missing) {}
}
