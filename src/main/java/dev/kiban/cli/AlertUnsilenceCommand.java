package dev.kiban.cli;

import dev.kiban.failure.RefusedException;
import dev.kiban.monitor.MonitorState;
import dev.kiban.monitor.Silence;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "unsilence", mixinStandardHelpOptions = true, header = "End silences, by id or by matcher.",
        description = {""})
final class AlertUnsilenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StateOptions stateOptions;

    @Parameters(index = "0", paramLabel = "ID|MATCHER", description = "A silence's id (from alert ls) or its matcher.")
    String which;

    @Override
    public Integer call() throws Exception {
        MonitorState state = stateOptions.open(SpecLoading.spec(spec).require());
        List<Silence> all = state.silences();
        List<Silence> keep = all.stream().filter(s -> !s.id().equals(which) && !s.matcher().equals(which)).toList();
        if (keep.size() == all.size()) {
            throw new RefusedException("no silence " + which + " (kiban alert ls lists them)");
        }
        state.saveSilences(keep, Instant.now());
        spec.commandLine().getOut().println("ended " + (all.size() - keep.size()) + " silence"
                + (all.size() - keep.size() == 1 ? "" : "s"));
        return ExitCode.OK;
    }
}
