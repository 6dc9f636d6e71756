package dev.kiban.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The training run for kiban's class archive (scripts/build-cds): each argument is one command line
 * (words split at spaces), run in this one JVM as {@link Main} runs it, its output discarded. One JVM
 * for all, because the JDK's AOT cache (-XX:AOTCacheOutput, JDK 25) records a single run, and a
 * dynamic CDS archive (-XX:ArchiveClassesAtExit, JDK 17) too. A command that fails still trains.
 */
public final class Training {
    private Training() {}

    public static void main(String[] commands) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true);
        int ran = 0;
        try {
            System.setOut(discard);
            System.setErr(discard);
            for (String command : commands) {
                String[] args = Arrays.stream(command.trim().split(" +")).filter(s -> !s.isEmpty())
                        .toArray(String[]::new);
                try {
                    Main.commandLine(KibanContext.system(), args).execute(args);
                } catch (RuntimeException e) {
                    // a command that throws past its handler has still loaded its classes
                }
                ran++;
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        out.println("training: " + ran + " commands");
        System.exit(0); // as Main does: a command's idle threads (an engine client's) must not keep the JVM up
    }
}
