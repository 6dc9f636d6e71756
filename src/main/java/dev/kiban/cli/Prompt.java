package dev.kiban.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Yes/no confirmation before a command changes something. */
final class Prompt {
    private Prompt() {}

    /** Asks a yes/no question on the terminal (or the context's input); no terminal means no. */
    static boolean confirm(KibanContext context, PrintWriter out, String question) throws IOException {
        if (System.console() == null && context.input() == null) return false;
        out.print(question + " [y/N] ");
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(
                context.input() != null ? context.input() : System.in, StandardCharsets.UTF_8));
        String answer = in.readLine();
        return answer != null && answer.trim().equalsIgnoreCase("y");
    }
}
