package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Main builds only the commands a run needs (a CLI start is mostly picocli's reflection); the answers stay. */
class CommandTreeTest {
    private static CommandLine tree(String... args) {
        return Main.commandLine(new KibanContext(Map.of(), a -> {
            throw new AssertionError("no engine");
        }), args);
    }

    private static String out(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = tree(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void aCommandGetsItselfAlone() {
        assertThat(tree("-c", "builtin", "status").getSubcommands()).containsOnlyKeys("status");
    }

    @Test
    void theVersionAloneNeedsNoCommand() {
        assertThat(tree("--version").getSubcommands()).isEmpty();
        assertThat(tree("-v", "-c", "x", "-V").getSubcommands()).isEmpty();
        assertThat(out("--version")).startsWith("kiban ").contains("Java ");
    }

    @Test
    void helpATypoOrAnUnknownOptionGetTheWholeTree() {
        for (String[] args : new String[][] {{"--version", "--help"}, {"-V", "-h"}, {"-Vh"}, {"--version", "stat"},
                {"--bogus", "--version"}, {}}) {
            assertThat(tree(args).getSubcommands()).as(String.join(" ", args)).containsKeys("spec", "status", "doctor");
        }
        assertThat(out("--version", "--help")).contains("Usage: kiban", "status");
    }
}
