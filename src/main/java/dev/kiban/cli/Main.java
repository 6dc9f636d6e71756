package dev.kiban.cli;

import dev.kiban.engine.EngineApiException;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.spec.SpecException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;

/** Wires kiban's commands with their context and its one error handler. */
public final class Main {
    private static final int MAX_PROBLEMS_SHOWN = 10;
    private Main() {}

    public static void main(String[] args) {
        CommandLine cli = commandLine(KibanContext.system());
        int exit = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(exit);
    }

    static CommandLine commandLine(KibanContext context) {
        IFactory factory = new IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                try {
                    return type.getDeclaredConstructor(KibanContext.class).newInstance(context);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(type);
                }
            }
        };
        CommandLine cli = new CommandLine(KibanCommand.class, factory);
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler(Main::usage);
        cli.setExitCodeExceptionMapper(e -> ExitCode.USAGE);
        withExitCodeHelp(cli);
        return cli;
    }

    private static void withExitCodeHelp(CommandLine cli) {
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.help());
        cli.getSubcommands().values().forEach(Main::withExitCodeHelp);
    }

    private static int usage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("kiban: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        return ExitCode.USAGE;
    }

    /** One line for what went wrong; the stack trace only with --verbose. */
    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof SpecException s) {
            err.println("kiban: " + s.getMessage());
            s.problems().stream().limit(MAX_PROBLEMS_SHOWN).forEach(p -> err.println("  " + p));
            if (s.problems().size() > MAX_PROBLEMS_SHOWN) err.println("  ... and " + (s.problems().size() - MAX_PROBLEMS_SHOWN) + " more");
            return ExitCode.USAGE;
        }
        if (e instanceof EngineUnavailableException) {
            err.println("kiban: " + e.getMessage());
            return ExitCode.UNAVAILABLE;
        }
        if (e instanceof EngineApiException) {
            err.println("kiban: the engine refused: " + e.getMessage());
            return ExitCode.FINDINGS;
        }
        err.println("kiban: " + cmd.getCommandSpec().qualifiedName() + " failed: " + e);
        if (verbose(cmd)) e.printStackTrace(err);
        else err.println("Run again with --verbose for the stack trace.");
        return ExitCode.FINDINGS;
    }

    private static boolean verbose(CommandLine cmd) {
        CommandSpec root = cmd.getCommandSpec().root();
        return root.userObject() instanceof KibanCommand k && k.verbose;
    }
}
