package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.TaskSummary;
import dev.kiban.failure.RefusedException;
import dev.kiban.stack.StackRollout;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"The tasks of a stack: desired and current state, and errors.", ""})
final class StackPsCommand extends EngineBoundCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin
    OutputOptions output;

    StackPsCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (Engine engine = connect()) {
            List<ServiceSummary> services = engine.services(Map.of(StackRollout.NAMESPACE_LABEL, name));
            PrintWriter out = output.text(spec);
            if (services.isEmpty()) throw new RefusedException("no stack " + name);
            List<Task> tasks = new ArrayList<>();
            for (ServiceSummary s : services) {
                for (TaskSummary t : engine.tasks(s.id())) {
                    tasks.add(new Task(s.name(), t.slot(), t.desiredState(), t.state(), t.error()));
                    out.printf("%-28s %-9s %-9s %s%n", s.name() + "." + t.slot(), t.desiredState(), t.state(),
                            t.error());
                }
            }
            if (output.json) OutputOptions.print(spec, new Report(name, tasks));
            return ExitCode.OK;
        }
    }

    /** stack ps --json: the stack's tasks. */
    record Report(String stack, List<Task> tasks) {}

    record Task(String service, int slot, String desiredState, String state, String error) {}
}
