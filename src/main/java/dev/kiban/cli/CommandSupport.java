package dev.kiban.cli;

import dev.kiban.spec.SpecDocument;
import dev.kiban.spec.SpecFiles;
import picocli.CommandLine.Model.CommandSpec;

/** What every command reads from the root command's global options. */
final class CommandSupport {
    private CommandSupport() {}

    static KibanCommand root(CommandSpec spec) {
        return (KibanCommand) spec.root().userObject();
    }

    /** The spec named by -c (or the first on the search path), read and checked. */
    static SpecDocument spec(CommandSpec spec) {
        return SpecFiles.find(root(spec).config);
    }

    /** Asks a yes/no question on the terminal (or the context's input); no terminal means no. */
    static boolean confirm(KibanContext context, java.io.PrintWriter out, String question) throws java.io.IOException {
        if (System.console() == null && context.input() == null) return false;
        out.print(question + " [y/N] ");
        out.flush();
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(context.input() != null ? context.input() : System.in,
                java.nio.charset.StandardCharsets.UTF_8));
        String answer = in.readLine();
        return answer != null && answer.trim().equalsIgnoreCase("y");
    }
}
