package dev.kiban.cli;

import dev.kiban.engine.ContainerStats;
import dev.kiban.engine.Engine;
import dev.kiban.verify.Diagnosis;
import dev.kiban.verify.Doctor;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        header = "Troubleshoot a container or service (R9.2).",
        description = {
            "The troubleshooting flow for one container or Swarm service, in order: state, last logs, stats, networks, "
                    + "events of the last hour, host resources, SELinux denials where the audit tools exist; then the "
                    + "most likely cause (R9.2).",
            "On a Swarm worker a service is this node's containers of it (the managers see its other tasks); on a "
                    + "manager, tasks that did not run say why (pending: the scheduler's reason; failed: the error and "
                    + "the node).",
            ""})
final class DoctorCommand extends EngineBoundCommand {
    private static final int LOG_LINES = 15;

    @Parameters(index = "0", paramLabel = "SERVICE|CONTAINER")
    String target;

    @Mixin
    OutputOptions output;

    DoctorCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        try (Engine engine = connect()) {
            Diagnosis d = Doctor.examine(engine, context.programs(), target);
            PrintWriter out = output.text(spec);
            var s = d.state();
            d.notes().forEach(n -> out.println("Swarm:         " + n));
            out.println("1. State       " + s.name() + " (" + s.image() + "): " + s.status()
                    + (s.running() ? "" : ", exit code " + s.exitCode())
                    + (s.oomKilled() ? ", OOM-killed" : "") + ", " + s.restartCount() + " restarts"
                    + s.health().map(h -> ", health " + h).orElse(""));
            d.taskErrors().forEach(e -> out.println("              task error: " + e));
            out.println("2. Last logs");
            d.logs().lines().skip(Math.max(0, d.logs().lines().count() - LOG_LINES))
                    .forEach(l -> out.println("              " + l));
            out.println("3. Stats       " + d.stats().map(st -> String.format(Locale.ROOT,
                    "CPU %.1f%%, memory %dM of %dM", st.cpuPercent(),
                    st.memoryUsed() >> 20, st.memoryLimit() >> 20)).orElse("not running"));
            out.println("4. Networks    " + (d.state().networks().isEmpty() ? "none"
                    : d.state().networks().toString()));
            out.println("5. Events (1h) " + (d.events().isEmpty() ? "none"
                    : String.join(", ", d.events().subList(Math.max(0, d.events().size() - 10), d.events().size()))));
            var h = d.host();
            out.println(String.format(Locale.ROOT, "6. Host        load %.2f, memory %dM available of %dM, engine disk "
                    + "%.0f%% full", h.load1(),
                    h.memoryAvailable() >> 20, h.memoryTotal() >> 20, h.dataRootUsedPercent()));
            out.println("7. SELinux     " + d.selinuxDenials().map(n -> n + " AVC denials in the last hour")
                    .orElse("no audit tools here (ausearch): skipped"));
            Diagnosis.Finding finding = d.finding();
            out.println("Most likely:   " + finding.cause());
            if (output.json) OutputOptions.print(spec, Report.of(d));
            return finding.fault() ? ExitCode.FINDINGS : ExitCode.OK;
        }
    }

    /** doctor --json: the seven steps and the most likely cause; logs are the last lines, as the text shows them. */
    record Report(String target, State state, List<String> taskErrors, List<String> logs,
                  Optional<ContainerStats> stats, Map<String, String> networks, List<String> events,
                  Diagnosis.HostResources host, Optional<Integer> selinuxDenials, Diagnosis.Finding finding,
                  List<String> notes) {
        record State(String name, String image, String status, boolean running, int exitCode, boolean oomKilled,
                     int restartCount, Optional<String> health) {}

        static Report of(Diagnosis d) {
            var s = d.state();
            List<String> logs = d.logs().lines().toList();
            State state = new State(s.name(), s.image(), s.status(), s.running(), s.exitCode(), s.oomKilled(),
                    s.restartCount(), s.health());
            List<String> lastLogs = logs.subList(Math.max(0, logs.size() - LOG_LINES), logs.size());
            return new Report(d.target(), state, d.taskErrors(), lastLogs, d.stats(), s.networks(), d.events(),
                    d.host(), d.selinuxDenials(), d.finding(), d.notes());
        }
    }
}
