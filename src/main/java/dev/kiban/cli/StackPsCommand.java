package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.TaskSummary;
import dev.kiban.stack.StackRollout;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ps", mixinStandardHelpOptions = true, description = {"The tasks of a stack: desired and current state, and errors.", ""})
final class StackPsCommand implements Callable<Integer> {
    private final KibanContext context;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin
    EngineOptions engineOptions;

    StackPsCommand(KibanContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try (Engine engine = context.engines().apply(EngineAddress.choose(engineOptions.host, context.environment()))) {
            List<ServiceSummary> services = engine.services(Map.of(StackRollout.NAMESPACE_LABEL, name));
            PrintWriter out = spec.commandLine().getOut();
            if (services.isEmpty()) {
                spec.commandLine().getErr().println("kiban: no stack " + name);
                return ExitCode.FINDINGS;
            }
            for (ServiceSummary s : services) {
                for (TaskSummary t : engine.tasks(s.id())) {
                    out.printf("%-28s %-9s %-9s %s%n", s.name() + "." + t.slot(), t.desiredState(), t.state(), t.error());
                }
            }
            return ExitCode.OK;
        }
    }
}
