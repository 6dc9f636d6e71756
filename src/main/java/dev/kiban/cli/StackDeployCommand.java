package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.failure.RefusedException;
import dev.kiban.os.HostPrograms;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.Problem;
import dev.kiban.failure.UsageException;
import dev.kiban.stack.ComposeFile;
import dev.kiban.stack.DockerCli;
import dev.kiban.stack.StackLint;
import dev.kiban.stack.StackRollout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {
            "Lint a stack (with the other stacks of the compose tree, for the budget), stop on errors, deploy it to "
                    + "the swarm, then follow the rollout: tasks running/desired per service and failed tasks with the "
                    + "engine's error, until every service has converged (exit 0) or one keeps failing or the timeout "
                    + "passes (exit 1).",
            "The rollout as it goes is shown on stderr when a terminal is attached (not with --json); the final "
                    + "state of each service is the report, on stdout.",
            ""})
final class StackDeployCommand extends EngineBoundCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Stack name.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE",
            description = "Compose file. Default: <storage.compose>/NAME/docker-compose.yml")
    Path file;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
            description = "How long to wait for convergence (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    OutputOptions output;

    StackDeployCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new UsageException("stack name " + name + ": letters, digits, _ . - only");
        }
        PlatformSpec platform = SpecLoading.spec(spec).require();
        Path tree = Path.of(platform.storage().compose().value());
        Path compose = file != null ? file : tree.resolve(name).resolve("docker-compose.yml");
        PrintWriter out = output.text(spec);

        List<Problem> problems = new ArrayList<>();
        List<ComposeFile> files = new ArrayList<>(ComposeFile.read(compose, name, problems));
        if (Files.isDirectory(tree)) {
            ComposeFile.find(tree, new ArrayList<>()).stream().filter(f -> !f.stack().equals(name)).forEach(files::add);
        }
        problems.addAll(StackLint.lint(files, platform));
        if (problems.stream().anyMatch(Problem::isError)) {
            StackLintCommand.report(out, files.size(), problems, false);
            if (output.json) { // no report on stdout: the errors go with the refusal, on stderr
                throw new RefusedException("not deploying " + name + ": the lint found errors",
                        problems.stream().filter(Problem::isError).map(Problem::toString).toList());
            }
            throw new RefusedException("not deploying " + name + ": the lint found errors");
        }
        problems.forEach(out::println);

        EngineAddress address = address();
        try (Engine engine = context.engines().apply(address)) {
            if (!engine.swarm().manager()) {
                throw new RefusedException("this engine is not a swarm manager; run 'kiban swarm init' first");
            }
            // the rollout as it goes is progress (stderr, on a terminal only); the outcome is the report
            PrintWriter progress = output.progress(context, spec);
            progress.println("deploying " + name + " from " + compose);
            progress.flush();
            var before = StackRollout.updatesBefore(engine, name);
            HostPrograms.Result deployed = DockerCli.find(context.programs(), address).deploy(name, compose);
            if (!deployed.ok()) throw new RefusedException("docker stack deploy failed: " + deployed.gist());
            StackRollout.Outcome outcome = StackRollout.follow(engine, name, timeout, progress, before);
            if (!outcome.converged()) throw new RefusedException(name + " did not converge: " + outcome.reason());
            outcome.services().forEach(p -> out.println("  " + p));
            out.println(name + " converged: " + outcome.services().size() + " service"
                    + (outcome.services().size() == 1 ? "" : "s") + " running as declared");
            if (output.json) {
                List<String> warnings = problems.stream().map(Problem::toString).toList();
                OutputOptions.print(spec, new Report(name, compose.toString(), true, warnings, outcome.services()));
            }
            return ExitCode.OK;
        }
    }

    /** stack deploy --json: the stack, its lint warnings, and each service's tasks running/desired once converged. */
    record Report(String stack, String compose, boolean converged, List<String> warnings,
                  List<StackRollout.Progress> services) {}
}
