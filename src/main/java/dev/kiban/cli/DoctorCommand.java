package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.verify.Diagnosis;
import dev.kiban.verify.Doctor;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        header = "Troubleshoot a container or service (R9.2).",
        description = {
            "The troubleshooting flow of R9.2 for one container or Swarm service, in order: state, last logs, stats, networks, "
                    + "events of the last hour, host resources, SELinux denials where the audit tools exist; then the most likely cause.",
            ""})
final class DoctorCommand extends EngineCommandBase {
    @Parameters(index = "0", paramLabel = "SERVICE|CONTAINER")
    String target;

    DoctorCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        try (Engine engine = connect()) {
            Diagnosis d = Doctor.examine(engine, target);
            PrintWriter out = spec.commandLine().getOut();
            var s = d.state();
            out.println("1. State       " + s.name() + " (" + s.image() + "): " + s.status() + (s.running() ? "" : ", exit code " + s.exitCode())
                    + (s.oomKilled() ? ", OOM-killed" : "") + ", " + s.restartCount() + " restarts" + s.health().map(h -> ", health " + h).orElse(""));
            d.taskErrors().forEach(e -> out.println("              task error: " + e));
            out.println("2. Last logs");
            d.logs().lines().skip(Math.max(0, d.logs().lines().count() - 15)).forEach(l -> out.println("              " + l));
            out.println("3. Stats       " + d.stats().map(st -> String.format(Locale.ROOT, "CPU %.1f%%, memory %dM of %dM", st.cpuPercent(),
                    st.memoryUsed() >> 20, st.memoryLimit() >> 20)).orElse("not running"));
            out.println("4. Networks    " + (d.state().networks().isEmpty() ? "none" : d.state().networks().toString()));
            out.println("5. Events (1h) " + (d.events().isEmpty() ? "none" : String.join(", ", d.events().subList(Math.max(0, d.events().size() - 10), d.events().size()))));
            var h = d.host();
            out.println(String.format(Locale.ROOT, "6. Host        load %.2f, memory %dM available of %dM, engine disk %.0f%% full", h.load1(),
                    h.memoryAvailable() >> 20, h.memoryTotal() >> 20, h.dataRootUsedPercent()));
            out.println("7. SELinux     " + d.selinuxDenials().map(n -> n + " AVC denials in the last hour").orElse("no audit tools here (ausearch): skipped"));
            Diagnosis.Finding finding = d.finding();
            out.println("Most likely:   " + finding.cause());
            return finding.fault() ? ExitCode.FINDINGS : ExitCode.OK;
        }
    }
}
