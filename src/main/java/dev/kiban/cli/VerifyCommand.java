package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.os.AtomicFile;
import dev.kiban.os.LatestResults;
import dev.kiban.os.ThisHost;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.verify.CheckContext;
import dev.kiban.verify.CheckResult;
import dev.kiban.verify.Verification;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
        header = "Run the design's test strategy on this host (R11).",
        description = {
            "Run the design's test strategy against this host and print each check with its evidence and verdict "
                    + "(R11).",
            "unit: engine active, Compose v2, Swarm with the spec's address pool, every Swarm node ready, the "
                    + "managers' quorum, the nodes as swarm.nodes lists them, /data/docker mounted, backup job, "
                    + "fail2ban sshd jail, SELinux enforcing (rhel), logwatch report, host files as kiban renders "
                    + "them (R11.1).",
            "integration: a web container answers HTTP 200, a container past its memory limit is OOM-killed, many "
                    + "containers at once stay within the budget (peak host CPU and memory reported), backup/restore "
                    + "and alert delivery, overlay traffic from this manager to every other node (a global service of "
                    + "--probe-image on a throwaway overlay network). Throwaway containers, services and networks "
                    + "carry the label dev.kiban.verify and are removed (R11.2).",
            "On a Swarm worker the checks that need a manager (the nodes, the quorum, the overlay probe) are "
                    + "skipped, naming the managers to run on.",
            "Exit 0 when nothing failed, 1 otherwise.",
            ""})
final class VerifyCommand extends EngineBoundCommand {
    /** The groups of checks, as {@code --only} names them. */
    enum CheckGroup { UNIT, INTEGRATION }

    enum ReportFormat { TEXT, JSON, JUNIT }

    @Option(names = "--only", paramLabel = "unit|integration", converter = ChoiceConverter.CheckGroupChoice.class,
            description = "Run one group only.")
    CheckGroup only;

    @Option(names = "--format", paramLabel = "text|json|junit", defaultValue = "text",
            converter = ChoiceConverter.ReportFormatChoice.class,
            description = "Report format (default ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the report to FILE (progress still goes to the terminal).")
    Path output;

    @Option(names = "--root", paramLabel = "DIR", description = "Host root the file checks look under (default /).")
    Path root = Path.of("/");

    @Option(names = "--web-image", paramLabel = "IMAGE", defaultValue = "nginx:1.27-alpine",
            description = "Image of the HTTP check (default ${DEFAULT-VALUE}); not pulled.")
    String webImage;

    @Option(names = "--web-port", paramLabel = "PORT", defaultValue = "80",
            description = "Port the web image listens on (default ${DEFAULT-VALUE}).")
    int webPort;

    @Option(names = "--tool-image", paramLabel = "IMAGE", defaultValue = "busybox:1.36",
            description = "Image with sh, sleep and tail for the OOM and load checks (default ${DEFAULT-VALUE}).")
    String toolImage;

    @Option(names = "--probe-image", paramLabel = "IMAGE", defaultValue = "busybox:1.36",
            description = "Image with sleep and ping that the overlay probe runs on every Swarm node (default "
                    + "${DEFAULT-VALUE}, the tool image's); not pulled here, though nodes lacking it pull it.")
    String probeImage;

    @Option(names = "--containers", paramLabel = "N", defaultValue = "20",
            description = "Containers the load check starts at once (default ${DEFAULT-VALUE}).")
    int containers;

    VerifyCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        PlatformSpec resolved = ThisHost.under(root).familyFromSystemWhenRootHasNone()
                .resolveForHost(SpecLoading.spec(spec).require(), Optional.empty());
        EngineAddress address = address();
        PrintWriter out = spec.commandLine().getOut();
        Engine[] engine = {null};
        boolean[] tried = {false};
        CheckContext checks = new CheckContext(resolved, root, () -> {
            if (!tried[0]) {
                tried[0] = true;
                try {
                    engine[0] = context.engines().apply(address);
                } catch (EngineUnavailableException e) {
                    engine[0] = null;
                }
            }
            return Optional.ofNullable(engine[0]);
        }, context.programs(), webImage, webPort, toolImage, containers, probeImage);
        boolean live = format == ReportFormat.TEXT || output != null;
        long start = System.nanoTime();
        List<CheckResult> results;
        try {
            String group = only == null ? null : ChoiceConverter.word(only);
            results = Verification.run(Verification.checks(group), checks, r -> {
                if (live) {
                    out.println(line(r));
                    out.flush();
                }
            });
        } finally {
            if (engine[0] != null) engine[0].close();
        }
        long failed = results.stream().filter(CheckResult::failed).count();
        long skipped = results.stream().filter(r -> r.verdict() == CheckResult.Verdict.SKIP).count();
        String summary = (results.size() - failed - skipped) + " passed, " + failed + " failed, " + skipped
                + " skipped in "
                + Math.round((System.nanoTime() - start) / 1e8) / 10.0 + " s";
        String report = switch (format) {
            case JSON -> StructuredOutput.json(java.util.Map.of("results", results, "summary", summary)) + "\n";
            case JUNIT -> Verification.junit(results);
            default -> String.join("\n", results.stream().map(VerifyCommand::line).toList()) + "\n" + summary + "\n";
        };
        LatestRun.save(spec, LatestResults.Kind.VERIFY, root, resolved, failed > 0, summary, () -> java.util.Map.of(
                LatestResults.Format.TEXT, String.join("\n", results.stream().map(VerifyCommand::line).toList())
                        + "\n" + summary + "\n",
                LatestResults.Format.JUNIT, Verification.junit(results)));
        if (output != null) {
            AtomicFile.write(output, report.getBytes(StandardCharsets.UTF_8), "rw-r--r--", false);
            out.println(summary + "; report in " + output);
        } else if (live) {
            out.println(summary);
        } else {
            out.print(report);
        }
        return failed == 0 ? ExitCode.OK : ExitCode.FINDINGS;
    }

    static String line(CheckResult r) {
        return String.format("%-4s %-11s %-18s %s — %s", r.verdict(), r.group(), r.id(), r.title(), r.evidence());
    }
}
