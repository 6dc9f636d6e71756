package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import dev.kiban.os.ThisHost;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.swarm.SwarmSetup;
import dev.kiban.swarm.SwarmSetupApply;
import dev.kiban.swarm.SwarmStep;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {
            "Initialise a single-manager Swarm as the spec says: docker_gwbridge on its subnet, the advertise and "
                    + "listen address (not every interface), a default address pool that overlaps no libvirt or Docker "
                    + "network, the ingress network re-created on the spec's subnet before any service exists, and the "
                    + "worker join command saved 0600 (R8.1, D2, D15).",
            "Refuses while the engine runs with live-restore, which Swarm mode does not support. On an existing swarm "
                    + "it changes nothing and reports drift from the spec instead (exit 1).",
            ""})
final class SwarmInitCommand extends EngineBoundCommand {
    @Option(names = {"-y", "--yes"}, description = "Initialise without asking.")
    boolean yes;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Root under which the join token file is written (default /).")
    Path root = Path.of("/");

    SwarmInitCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        PlatformSpec resolved = ThisHost.system().resolveForSwarm(SpecLoading.spec(spec).require());
        PrintWriter out = spec.commandLine().getOut();
        try (Engine engine = connect()) {
            SwarmSetup.Plan plan = SwarmSetup.plan(resolved,
                    SwarmSetupApply.observe(engine, root, resolved.swarm().joinTokenFile().value()));
            if (!plan.refusals().isEmpty()) {
                throw new RefusedException("not initialising:", plan.refusals());
            }
            plan.drift().forEach(d -> out.println("drift: " + d));
            if (plan.steps().isEmpty()) {
                out.println(plan.drift().isEmpty() ? "the swarm is initialised as the spec says; nothing to do"
                        : "the swarm differs from the spec in " + plan.drift().size() + " way(s); nothing changed");
                return plan.drift().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
            }
            if (!yes) {
                plan.steps().forEach(s -> out.println("would " + s.describe()));
                throw new DeclinedException("not initialised; nothing changed: run again with --yes");
            }
            new SwarmSetupApply(engine, root, out).run(plan);
            boolean init = plan.steps().stream().anyMatch(s -> s instanceof SwarmStep.InitSwarm);
            out.println(init ? "swarm initialised; 'kiban swarm join-token' prints the command for a new worker"
                    : "swarm brought in line with the spec");
            return plan.drift().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
        }
    }
}
