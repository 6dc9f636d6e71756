package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.Retention;
import dev.kiban.spec.ByteSize;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "prune", mixinStandardHelpOptions = true,
        header = "Forget snapshots past the spec's retention and free their chunks.", description = {
            "Keeps backup.retention's keepLast, and the newest snapshot of each of the last keepDaily days, keepWeekly "
                    + "weeks and keepMonthly months; the newest snapshot is always kept. Chunks no kept snapshot needs "
                    + "are deleted.",
            "A pack without an index is re-indexed from its blob headers while a kept snapshot needs it, and "
                    + "deleted only when nothing kept does (a killed run's leftover). Prune deletes nothing and "
                    + "exits 1 when a snapshot file is damaged, or when a kept snapshot misses a chunk that an "
                    + "unindexed pack of an earlier release might hold: run kiban backup repair.",
            ""})
final class BackupPruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepositoryOptions repositoryOptions;

    @Option(names = "--dry-run", description = "Print the plan, step by step; change nothing.")
    boolean dryRun;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        PlatformSpec platform = SpecLoading.spec(spec).require();
        var r = platform.backup().retention();
        Retention retention = new Retention(r.keepLast(), r.keepDaily().orElse(0), r.keepWeekly(), r.keepMonthly());
        BackupRepository.Pruned pruned;
        try (BackupRepository repo = repositoryOptions.openForWrite(platform)) {
            pruned = repo.prune(retention, dryRun);
        }
        PrintWriter out = output.text(spec);
        String verb = dryRun ? "would forget" : "forgot";
        out.println(verb + " " + pruned.snapshots().size() + " snapshot" + (pruned.snapshots().size() == 1 ? "" : "s")
                + (pruned.snapshots().isEmpty() ? "" : " (" + String.join(", ", pruned.snapshots()) + ")") + " and "
                + (dryRun ? "would free " : "freed ") + pruned.chunks() + " chunks, "
                + ByteSize.ofBytes(pruned.bytes()));
        List<String> steps = pruned.plan().steps();
        if (dryRun) {
            // the plan itself, step by step: what a prune now would do, in the order it would
            out.println(steps.isEmpty() ? "the plan: nothing to do" : "the plan (nothing was changed):");
            steps.forEach(step -> out.println("  " + step));
        } else {
            pruned.reindexed().forEach(p -> out.println("re-indexed pack " + p
                    + " from its blob headers: a kept snapshot needs its chunks"));
        }
        if (output.json) {
            OutputOptions.print(spec, new Report(dryRun, pruned.snapshots(), pruned.chunks(), pruned.bytes(),
                    pruned.reindexed(), pruned.missing(), steps));
        }
        if (pruned.missing().isEmpty()) return ExitCode.OK;
        var err = spec.commandLine().getErr();
        err.println("kiban: kept snapshots miss data that no pack holds (kiban backup verify and kiban backup "
                + "repair say more):");
        pruned.missing().forEach(m -> err.println("  " + m));
        return ExitCode.FINDINGS;
    }

    /**
     * prune --json: snapshots forgotten (or that would be), chunks and bytes freed, packs re-indexed, data
     * missing, and the plan's steps.
     */
    record Report(boolean dryRun, List<String> forgotten, long chunks, long bytes, List<String> reindexed,
                  List<String> missing, List<String> steps) {}
}
