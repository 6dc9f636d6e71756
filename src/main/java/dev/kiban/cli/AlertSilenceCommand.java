package dev.kiban.cli;

import dev.kiban.monitor.MonitorState;
import dev.kiban.monitor.Silence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "silence", mixinStandardHelpOptions = true,
        header = "Keep matching alerts quiet for a while (they are still tracked).",
        description = {"MATCHER is a glob on rule/subject (cpu-high/web-*), or without a slash a rule or a subject "
                + "(cpu-high, web-1).",
            "Example: kiban alert silence 'container-down/db*' --for 2h --comment 'db migration'", ""})
final class AlertSilenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StateOptions stateOptions;

    @Parameters(index = "0", paramLabel = "MATCHER", description = "Which alerts.")
    String matcher;

    @Option(names = "--for", required = true, paramLabel = "DURATION", description = "How long (e.g. 30m, 2h, 1d).",
            converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--comment", paramLabel = "TEXT", description = "Why (shown by alert ls).")
    String comment = "";

    @Override
    public Integer call() throws Exception {
        MonitorState state = stateOptions.open(SpecLoading.spec(spec).require());
        Instant now = Instant.now();
        Instant until = now.plus(duration);
        List<Silence> all = new ArrayList<>(state.silences());
        String id = Long.toString(now.toEpochMilli() % 1_000_000_000L, 36);
        all.add(new Silence(id, matcher, until, comment));
        state.saveSilences(all, now);
        spec.commandLine().getOut().println("silence " + id + ": " + matcher + " until " + until
                + " ('kiban alert unsilence " + id + "' ends it)");
        return ExitCode.OK;
    }
}
