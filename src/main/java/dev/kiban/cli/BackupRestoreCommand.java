package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.ImageSources;
import dev.kiban.engine.Engine;
import dev.kiban.backup.Snapshot;
import dev.kiban.spec.ByteSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true, header = "Restore a snapshot's sources byte for byte, checking every chunk's hash.",
        description = {"Each source goes to TARGET/<source name>. A target that already holds files is replaced only with --yes.", ""})
final class BackupRestoreCommand extends EngineCommandBase {

    @Mixin
    RepositoryOptions repositoryOptions;

    @Parameters(index = "0", paramLabel = "SNAP", description = "A snapshot id (or its start, or 'latest').")
    String snapshot;

    @Option(names = "--source", paramLabel = "NAME", description = "Restore only this source (e.g. volume:db_data). Default: all.")
    String source;

    @Option(names = "--target", paramLabel = "DIR", description = "Where to restore the file sources.")
    Path target;

    @Option(names = "--images", description = "Load the snapshot's images into the engine, with their tags.")
    boolean images;

    BackupRestoreCommand(KibanContext context) {
        super(context);
    }

    @Option(names = {"-y", "--yes"}, description = "Restore over existing files.")
    boolean yes;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() throws IOException {
        BackupRepository repo = repositoryOptions.open(CommandSupport.spec(spec).require());
        Snapshot snap = repo.snapshot(snapshot);
        if (images) {
            List<Snapshot.Tree> saved = snap.trees().stream().filter(t -> t.source().startsWith(ImageSources.PREFIX)).toList();
            try (Engine engine = connect()) {
                for (Snapshot.Tree t : saved) {
                    try (var archive = repo.read(t.entries().get(0))) {
                        engine.loadImages(archive);
                    }
                    out().println("loaded " + t.source() + " (" + t.entries().get(0).target() + ")");
                }
            }
            out().println("loaded " + saved.size() + " image" + (saved.size() == 1 ? "" : "s") + " from " + snap.id());
            return ExitCode.OK;
        }
        if (target == null) throw new dev.kiban.spec.SpecException("give --target DIR (or --images to load the images)");
        List<Snapshot.Tree> trees = snap.trees().stream().filter(t -> !t.source().startsWith(ImageSources.PREFIX))
                .filter(t -> source == null || t.source().equals(source)).toList();
        if (trees.isEmpty()) throw new dev.kiban.spec.SpecException("snapshot " + snap.id() + " has no source " + source);
        for (Snapshot.Tree t : trees) {
            Path into = target.resolve(t.source().replace(':', '_').replace('/', '_'));
            if (!yes && Files.isDirectory(into)) {
                try (Stream<Path> s = Files.list(into)) {
                    if (s.findAny().isPresent()) {
                        spec.commandLine().getErr().println("kiban: " + into + " already holds files; restore over them with --yes");
                        return ExitCode.USAGE;
                    }
                }
            }
            long bytes = repo.restore(t, into);
            spec.commandLine().getOut().println("restored " + t.source() + " to " + into + " (" + t.entries().size() + " entries, " + ByteSize.ofBytes(bytes)
                    + ", every chunk checked)");
        }
        return ExitCode.OK;
    }
}
