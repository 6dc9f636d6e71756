package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.Snapshot;
import dev.kiban.spec.ByteSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        header = "Show one snapshot: its sources, what the run did, and its report.",
        description = {"With --files SOURCE, every entry of that source with mode, owner, size and time.", ""})
final class BackupShowCommand extends RepositoryCommand {
    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "SNAP", description = "A snapshot id (or its start, or 'latest').")
    String snapshot;

    @Option(names = "--files", paramLabel = "SOURCE",
            description = "List the entries of this source (e.g. volume:db_data).")
    String files;

    @Override
    int call(BackupRepository repo) throws IOException {
        Snapshot s = repo.snapshot(snapshot);
        PrintWriter out = spec.commandLine().getOut();
        if (files != null) {
            Snapshot.Tree t = s.tree(files).orElseThrow(() -> new dev.kiban.spec.SpecException("snapshot " + s.id()
                    + " has no source " + files
                    + "; it has " + String.join(", ", s.trees().stream().map(Snapshot.Tree::source).toList())));
            if (output.json) {
                out.println(StructuredOutput.json(t.entries().stream()
                        .map(e -> Map.of("path", e.path(), "type", e.type(), "mode", String.format("%04o", e.mode()),
                        "uid", e.uid(), "gid", e.gid(), "size", e.size(), "mtime",
                        java.time.Instant.ofEpochMilli(e.mtime()).toString())).toList()));
                return ExitCode.OK;
            }
            for (Snapshot.Entry e : t.entries()) {
                out.printf("%-8s %04o %5d:%-5d %10s %s %s%s%n", e.type().name().toLowerCase(), e.mode(), e.uid(),
                        e.gid(),
                        e.type() == Snapshot.Entry.Type.FILE ? ByteSize.ofBytes(e.size()) : "-",
                        java.time.Instant.ofEpochMilli(e.mtime()), e.path(),
                        e.type() == Snapshot.Entry.Type.SYMLINK || e.type() == Snapshot.Entry.Type.HARDLINK ? " -> "
                                + e.target() : "");
            }
            return ExitCode.OK;
        }
        if (output.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", s.id());
            json.put("time", s.time());
            json.put("host", s.host());
            json.put("stats", s.stats());
            json.put("notes", s.notes());
            json.put("sources", s.trees().stream().map(t -> Map.of("source", t.source(), "path", t.path(), "entries",
                    t.entries().size(),
                    "bytes", t.bytes(), "meta", t.meta())).toList());
            out.println(StructuredOutput.json(json));
            return ExitCode.OK;
        }
        var st = s.stats();
        out.println("snapshot " + s.id() + " of " + s.host() + " at " + s.time());
        out.printf("  %d files (%d unchanged), %s read, %d new chunks, %s added, %.1f s%n", st.files(),
                st.filesUnchanged(), ByteSize.ofBytes(st.bytesRead()),
                st.chunksNew(), ByteSize.ofBytes(st.bytesAdded()), st.millis() / 1000.0);
        out.println("sources:");
        for (Snapshot.Tree t : s.trees()) {
            String meta = t.meta().isEmpty() ? "" : "  "
                    + String.join(" ", t.meta().entrySet().stream().filter(m -> !m.getValue().isEmpty())
                    .map(m -> m.getKey() + "=" + m.getValue()).toList());
            out.printf("  %-40s %7d entries %10s%s%n", t.source(), t.entries().size(), ByteSize.ofBytes(t.bytes()),
                    meta);
        }
        List<String> notes = s.notes();
        if (!notes.isEmpty()) {
            out.println("report:");
            notes.forEach(n -> out.println("  " + n));
        }
        return ExitCode.OK;
    }
}
