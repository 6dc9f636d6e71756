package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.stack.StackRollout;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"The stacks on the swarm and their services.", ""})
final class StackLsCommand extends EngineBoundCommand {
    @Mixin
    OutputOptions output;

    StackLsCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (Engine engine = connect()) {
            Map<String, List<ServiceSummary>> stacks = engine.services(Map.of()).stream()
                    .filter(s -> s.labels().containsKey(StackRollout.NAMESPACE_LABEL))
                    .collect(Collectors.groupingBy(s -> s.labels().get(StackRollout.NAMESPACE_LABEL), TreeMap::new,
                            Collectors.toList()));
            if (output.json) {
                OutputOptions.print(spec, Map.of("stacks", stacks.entrySet().stream().map(e -> new Stack(e.getKey(),
                        e.getValue().stream().map(ServiceSummary::name).sorted().toList())).toList()));
                return ExitCode.OK;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (stacks.isEmpty()) out.println("no stacks");
            stacks.forEach((name, services) -> out.printf("%-20s %d service%s: %s%n", name, services.size(),
                    services.size() == 1 ? "" : "s",
                    services.stream().map(ServiceSummary::name).sorted().collect(Collectors.joining(", "))));
            return ExitCode.OK;
        }
    }

    /** stack ls --json: a stack and the names of its services. */
    record Stack(String name, List<String> services) {}
}
