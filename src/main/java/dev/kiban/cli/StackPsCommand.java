package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.TaskSummary;
import dev.kiban.failure.RefusedException;
import dev.kiban.stack.StackRollout;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "ps", mixinStandardHelpOptions = true, description = {"The tasks of a stack: desired and current state, and errors.", ""})
final class StackPsCommand extends EngineCommandBase {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    StackPsCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (Engine engine = connect()) {
            List<ServiceSummary> services = engine.services(Map.of(StackRollout.NAMESPACE_LABEL, name));
            PrintWriter out = spec.commandLine().getOut();
            if (services.isEmpty()) throw new RefusedException("no stack " + name);
            for (ServiceSummary s : services) {
                for (TaskSummary t : engine.tasks(s.id())) {
                    out.printf("%-28s %-9s %-9s %s%n", s.name() + "." + t.slot(), t.desiredState(), t.state(), t.error());
                }
            }
            return ExitCode.OK;
        }
    }
}
