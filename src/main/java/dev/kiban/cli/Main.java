package dev.kiban.cli;

import dev.kiban.engine.EngineApiException;
import dev.kiban.failure.KibanException;
import dev.kiban.failure.SpecProblem;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;

/** Wires kiban's commands with their context and its one error handler. */
public final class Main {
    private static final int MAX_PROBLEMS_SHOWN = 10;
    private Main() {}

    /** kiban's commands, in the order --help lists them. */
    static final Map<String, Class<?>> COMMANDS = commands();

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("spec", SpecCommand.class);
        m.put("status", StatusCommand.class);
        m.put("plan", PlanCommand.class);
        m.put("apply", ApplyCommand.class);
        m.put("rollback", RollbackCommand.class);
        m.put("generations", GenerationsCommand.class);
        m.put("engine", EngineCommand.class);
        m.put("swarm", SwarmCommand.class);
        m.put("node", NodeCommand.class);
        m.put("stack", StackCommand.class);
        m.put("images", ImagesCommand.class);
        m.put("backup", BackupCommand.class);
        m.put("restore-all", RestoreAllCommand.class);
        m.put("routine", RoutineCommand.class);
        m.put("monitor", MonitorCommand.class);
        m.put("alert", AlertCommand.class);
        m.put("report", ReportCommand.class);
        m.put("verify", VerifyCommand.class);
        m.put("audit", AuditCommand.class);
        m.put("migrate", MigrateCommand.class);
        m.put("doctor", DoctorCommand.class);
        m.put("docs", DocsCommand.class);
        m.put("dashboard", DashboardCommand.class);
        return m;
    }

    public static void main(String[] args) {
        CommandLine cli = commandLine(KibanContext.system(), args);
        int exit = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(exit);
    }

    static CommandLine commandLine(KibanContext context) {
        return commandLine(context, new String[0]);
    }

    /**
     * The command line for {@code args}. picocli builds the model of every command it knows at start,
     * by reflection; a run of one command needs only that one, which saves a CLI start a third of its
     * time, and {@code --version} alone needs none. Otherwise, without a known command (help, a typo),
     * all are built, so help and suggestions are complete.
     */
    static CommandLine commandLine(KibanContext context, String[] args) {
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
        String requested = requestedCommand(args);
        boolean versionOnly = requested == null && versionOnly(args);
        for (Map.Entry<String, Class<?>> c : COMMANDS.entrySet()) {
            if (!versionOnly && (requested == null || requested.equals(c.getKey()))) cli.addSubcommand(c.getKey(),
                    new CommandLine(c.getValue(), factory));
        }
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler(Main::usage);
        cli.setExitCodeExceptionMapper(e -> ExitCode.USAGE);
        withExitCodeHelp(cli);
        return cli;
    }

    /** The first argument that names a command, skipping the root's options (-c takes a value). */
    static String requestedCommand(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-c") || a.equals("--config")) {
                i++;
            } else if (!a.startsWith("-")) {
                return COMMANDS.containsKey(a) ? a : null;
            }
        }
        return null;
    }

    /**
     * Whether {@code args} only ask for the version: the root's own options alone (no --help, which picocli
     * would answer first, listing the commands), one of them --version. Anything else (a word, an unknown or
     * clustered option) gets the whole tree, for its error and suggestions.
     */
    static boolean versionOnly(String[] args) {
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-c") || a.equals("--config")) {
                i++;
            } else if (a.equals("-V") || a.equals("--version")) {
                version = true;
            } else if (!a.equals("-v") && !a.equals("--verbose") && !a.startsWith("--config=")) {
                return false;
            }
        }
        return version;
    }

    /** By name: picocli builds a command's object lazily, so its type is not known yet here. */
    private static void withExitCodeHelp(CommandLine cli) {
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCode.help(cli.getCommandSpec().qualifiedName().equals("kiban plan")));
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

    /** One line for what went wrong, its exit code by type alone; the stack trace only with --verbose. */
    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof KibanException k) {
            err.println("kiban: " + k.getMessage());
            List<String> details = k.details();
            // spec problems are capped (spec validate lists them all); a refusal's details, such as the files an
            // apply could not put back, are each something the operator must act on: all of them
            int shown = k instanceof SpecProblem ? MAX_PROBLEMS_SHOWN : details.size();
            details.stream().limit(shown).forEach(p -> err.println("  " + p));
            if (details.size() > shown) {
                err.println("  ... and " + (details.size() - shown) + " more (kiban spec validate lists them all)");
            }
            return k.exitCode();
        }
        if (e instanceof EngineApiException) {
            err.println("kiban: the engine refused: " + e.getMessage());
            return ExitCode.FINDINGS;
        }
        if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
            // the file and the problem in words ("/x: permission denied"), never the exception's class
            err.println("kiban: " + cmd.getCommandSpec().qualifiedName() + " failed: "
                    + dev.kiban.os.Failures.describe(e));
            if (verbose(cmd)) e.printStackTrace(err);
            return ExitCode.FINDINGS;
        }
        // an exception's text names Java classes and may quote a secret: the trace is for --verbose only
        err.println("kiban: " + cmd.getCommandSpec().qualifiedName()
                + " failed: an internal error (run again with --verbose)");
        if (verbose(cmd)) e.printStackTrace(err);
        return ExitCode.INTERNAL;
    }

    private static boolean verbose(CommandLine cmd) {
        CommandSpec root = cmd.getCommandSpec().root();
        return root.userObject() instanceof KibanCommand k && k.verbose;
    }
}
