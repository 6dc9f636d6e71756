package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.DataSample;
import dev.kiban.backup.Snapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true,
        header = "Check snapshots: every chunk there, and with --read-data every chunk re-hashed.",
        description = {"Exit 1 when anything is missing or damaged; each problem names the file it belongs to. Without "
                + "SNAP, damaged snapshot files and indexes are reported too (kiban backup repair moves them aside and "
                + "re-indexes).", ""})
final class BackupVerifyCommand extends RepositoryCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SNAP",
            description = "A snapshot id (or its start, or 'latest'). Default: all.")
    String snapshot;

    @Option(names = "--read-data", description = "Read and re-hash every chunk, not just check that it exists.")
    boolean readData;

    @Option(names = "--read-data-subset", paramLabel = "N%", converter = SubsetConverter.class,
            description = "Read and re-hash the chunks of a random N%% of the packs (restic's option of the same name):"
                    + " the weekly timer's sample. With --read-data, every pack is read.")
    Double subset;

    @Mixin
    OutputOptions output;

    @Override
    int call(BackupRepository repo) throws IOException {
        List<Snapshot> which = snapshot == null ? repo.snapshots() : List.of(repo.snapshot(snapshot));
        PrintWriter out = output.text(spec);
        int problems = 0;
        List<Checked> checked = new ArrayList<>();
        List<String> damage = List.of();
        int unindexed = 0;
        DataSample sample = readData ? DataSample.all()
                : subset == null ? DataSample.none() : DataSample.percent(subset, new java.security.SecureRandom());
        for (Snapshot s : which) {
            List<String> found = repo.verify(s, sample);
            checked.add(new Checked(s.id(), found));
            out.println(s.id() + ": " + (found.isEmpty() ? "sound" : found.size() + " problem"
                    + (found.size() == 1 ? "" : "s")));
            found.forEach(p -> out.println("  " + p));
            problems += found.size();
        }
        if (snapshot == null) {
            damage = repo.damage();
            damage.forEach(d -> out.println("damaged: " + d));
            problems += damage.size();
            unindexed = repo.unindexedPacks();
            if (unindexed > 0) {
                out.println("note: " + unindexed + " pack" + (unindexed == 1 ? " has" : "s have")
                        + " no index (a killed run's leftover, or an "
                        + "index lost): kiban backup repair re-indexes, kiban backup prune removes what nothing needs");
            }
            if (which.isEmpty() && damage.isEmpty()) out.println("no snapshots");
        }
        if (!readData && subset != null) {
            out.println("read back: " + sample.packsRead() + " pack" + (sample.packsRead() == 1 ? "" : "s")
                    + ", a random " + sample.describe() + " of those the snapshots use");
        }
        if (output.json) OutputOptions.print(spec, new Report(readData, checked, damage, unindexed, problems));
        return problems == 0 ? ExitCode.OK : ExitCode.FINDINGS;
    }

    /** verify --json: each snapshot's problems (none: sound), damaged files, unindexed packs, problems in all. */
    record Report(boolean readData, List<Checked> snapshots, List<String> damaged, int unindexedPacks, int problems) {}

    record Checked(String id, List<String> problems) {}

    /** {@code 5%} or {@code 5}: a share from 0 to 100. */
    static final class SubsetConverter implements picocli.CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return dev.kiban.spec.Percent.parse(value).value();
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
