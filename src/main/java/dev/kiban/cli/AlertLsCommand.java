package dev.kiban.cli;

import dev.kiban.monitor.Alert;
import dev.kiban.monitor.MonitorState;
import dev.kiban.monitor.Silence;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "ls", mixinStandardHelpOptions = true, header = "List firing and pending alerts, and the silences.",
        description = {"Exit 1 when an alert is firing.", ""})
final class AlertLsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StateOptions stateOptions;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        MonitorState state = stateOptions.open(SpecLoading.spec(spec).require());
        PrintWriter out = spec.commandLine().getOut();
        var snapshot = state.alerts();
        List<Alert> alerts = snapshot.map(MonitorState.Snapshot::alerts).orElse(List.of());
        Instant now = Instant.now();
        List<Silence> silences = state.silences().stream().filter(s -> s.until().isAfter(now)).toList();
        boolean firing = alerts.stream().anyMatch(a -> a.state() == Alert.State.FIRING);
        if (output.json) {
            out.println(StructuredOutput.json(Map.of("updated", snapshot.map(s -> s.updated().toString()).orElse(""),
                    "alerts", alerts, "silences", silences)));
            return firing ? ExitCode.FINDINGS : ExitCode.OK;
        }
        if (snapshot.isEmpty()) out.println("no monitor state in " + state.dir() + " (is 'kiban monitor' running?)");
        else {
            Duration age = Duration.between(snapshot.get().updated(), now);
            out.println("as of " + snapshot.get().updated() + " (" + age.toSeconds() + " s ago, agent pid "
                    + snapshot.get().pid() + ")");
        }
        if (alerts.isEmpty()) out.println("no alerts");
        for (Alert a : alerts) {
            boolean quiet = silences.stream().anyMatch(s -> s.matches(a.key(), now));
            out.printf("%-8s %-40s since %s%s  %s%n", a.state(), a.key(), a.since(), quiet ? " (silenced)" : "",
                    a.summary());
        }
        for (Silence s : silences) out.printf("silence %s: %s until %s%s%n", s.id(), s.matcher(), s.until(),
                s.comment().isEmpty() ? "" : " (" + s.comment() + ")");
        return firing ? ExitCode.FINDINGS : ExitCode.OK;
    }
}
