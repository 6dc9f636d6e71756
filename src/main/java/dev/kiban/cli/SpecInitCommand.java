package dev.kiban.cli;

import dev.kiban.failure.UsageException;
import dev.kiban.os.AtomicFile;
import dev.kiban.spec.SpecDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {
            "Write the design as one commented spec: every value the design fixes (host and budget, daemon settings, "
                    + "networks and port classes, paths, backup, monitoring, security, Swarm).",
            "Values the design leaves open (admin e-mail, Discord webhook, SSH user) are <placeholders>: "
                    + "'kiban spec validate' lists them. The file is written 0600, since it may come to hold secrets.",
            ""})
final class SpecInitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Where to write. Default: ./kiban.yaml")
    Path file = Path.of("kiban.yaml");

    @Option(names = "--force", description = "Replace an existing file (the old one is kept as FILE.previous).")
    boolean force;

    @Option(names = "--stdout", description = "Print the spec instead of writing a file.")
    boolean stdout;

    @Override
    public Integer call() throws IOException {
        String text = SpecDocument.defaultText();
        if (stdout) {
            spec.commandLine().getOut().print(text);
            return ExitCode.OK;
        }
        if (Files.exists(file) && !force) {
            throw new UsageException(file + " exists; not replacing it without --force (the old one is then kept as "
                    + file.getFileName() + ".previous)");
        }
        Optional<Path> previous = AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8), "rw-------", true);
        var out = spec.commandLine().getOut();
        out.println("wrote " + file + previous.map(p -> " (previous version kept as " + p + ")").orElse(""));
        out.println("next: fill in the <placeholders>, then run 'kiban spec validate " + file + "'");
        return ExitCode.OK;
    }
}
