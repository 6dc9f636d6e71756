package dev.kiban.cli;

import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecDocument;
import dev.kiban.spec.SpecFiles;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
            "Check a spec and print every problem at once, as FILE:LINE:COL key.path: severity: message.",
            "Checks YAML syntax, unknown keys (with the nearest known one), types and units (sizes, durations, CIDRs, "
                    + "ports, schedules), the resource budget against the host, overlapping networks including the "
                    + "Swarm address pool, ports outside their class and the Docker API, live-restore with Swarm "
                    + "(which refuses it) and data-root over the volume tree (R1.2, R3.3, R3.4, D1, D2, D6).",
            "Placeholders the design leaves open are warnings; --strict makes every warning an error.",
            ""})
final class SpecValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "Spec to check. Default: -c FILE, else ./kiban.yaml, else /etc/kiban/kiban.yaml.")
    String file;

    @Option(names = "--strict", description = "Count warnings (placeholders among them) as errors.")
    boolean strict;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        SpecDocument doc = SpecFiles.find(file != null ? file : SpecLoading.root(spec).config);
        List<Problem> problems = strict ? doc.strictProblems() : doc.problems();
        long errors = problems.stream().filter(Problem::isError).count();
        long warnings = problems.size() - errors;
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("file", doc.file());
            report.put("valid", errors == 0);
            report.put("errors", errors);
            report.put("warnings", warnings);
            report.put("problems", problems);
            out.println(StructuredOutput.json(report));
        } else {
            problems.forEach(out::println);
            out.println(doc.file() + ": " + (errors == 0 ? "valid" : errors + " error" + (errors == 1 ? "" : "s"))
                    + (warnings == 0 ? "" : ", " + warnings + " warning" + (warnings == 1 ? "" : "s")));
        }
        return errors == 0 ? ExitCode.OK : ExitCode.USAGE;
    }
}
