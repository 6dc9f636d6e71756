package dev.kiban.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes what the package installs beside the launcher: the bash completion script (also used by
 * zsh through bashcompinit) and one AsciiDoc man page per command, from the command tree that
 * {@link Main} builds (every subcommand, with the exit-code lists). Run by the build at prepare-package
 * with picocli-codegen, which is a build-only dependency: this class is left out of the shaded jar.
 *
 * <p>Usage: {@code Documentation COMPLETION_FILE MAN_ADOC_DIR}
 */
public final class Documentation {
    private Documentation() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) throw new IllegalArgumentException("usage: Documentation COMPLETION_FILE MAN_DIR");
        CommandLine cli = Main.commandLine(KibanContext.system());
        Path completion = Path.of(args[0]);
        Files.createDirectories(completion.toAbsolutePath().getParent());
        Files.writeString(completion, AutoComplete.bash("kiban", cli), StandardCharsets.UTF_8);
        File manDir = new File(args[1]);
        Files.createDirectories(manDir.toPath());
        int exit = ManPageGenerator.generateManPage(manDir, null, new boolean[0], true, cli.getCommandSpec());
        if (exit != 0) throw new IllegalStateException("man page generation failed: " + exit);
    }
}
