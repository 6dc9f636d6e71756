package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import dev.kiban.failure.UsageException;
import dev.kiban.os.ThisHost;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.NodeRole;
import dev.kiban.spec.SecretRef;
import dev.kiban.swarm.JoinToken;
import dev.kiban.swarm.SwarmJoinPlan;
import dev.kiban.swarm.SwarmSetupApply;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "join", mixinStandardHelpOptions = true,
        description = {
            "Join this host to the swarm as swarm.nodes declares it: its address, to the managers the spec lists, "
                    + "docker_gwbridge on the spec's subnet first (R8.3, D2, D15).",
            "The token comes from swarm.joinToken (swarm.managerJoinToken for a manager) as file:/path or env:NAME, "
                    + "never from the command line: copy the file 'kiban swarm init' saved (or what 'kiban swarm "
                    + "join-token' prints) to this host, mode 0600. Without a manager token a manager joins as a "
                    + "worker; 'kiban swarm apply' on a manager then promotes it and sets labels and availability.",
            "Joining again changes nothing. A join the swarm refuses (wrong or rotated token, no manager reachable) "
                    + "leaves the host as it was.",
            ""})
final class SwarmJoinCommand extends EngineBoundCommand {
    @Option(names = {"-y", "--yes"}, description = "Join without asking.")
    boolean yes;

    @Option(names = "--node", paramLabel = "NAME",
            description = "This host's entry in swarm.nodes. Default: the host name.")
    String node;

    SwarmJoinCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws java.io.IOException {
        PlatformSpec spec = SpecLoading.spec(this.spec).require();
        String name = node != null ? node : ThisHost.hostname().orElseThrow(() -> new UsageException(
                "this host's name cannot be read; name its swarm.nodes entry with --node"));
        PrintWriter out = this.spec.commandLine().getOut();
        try (Engine engine = connect()) {
            var settings = spec.swarm();
            boolean managerToken = settings.managerJoinToken().isPresent();
            SwarmJoinPlan.Plan plan = SwarmJoinPlan.plan(spec, name,
                    SwarmSetupApply.observe(engine, Path.of("/"), settings.joinTokenFile().value()), managerToken);
            if (!plan.refusals().isEmpty()) throw new RefusedException("not joining:", plan.refusals());
            if (plan.joined()) {
                out.println(name + " is already a node of this swarm; nothing to do");
                return ExitCode.OK;
            }
            boolean asManager = plan.node().map(n -> n.role() == NodeRole.MANAGER).orElse(false) && managerToken;
            String key = asManager ? "swarm.managerJoinToken" : "swarm.joinToken";
            SecretRef ref = (asManager ? settings.managerJoinToken() : settings.joinToken()).orElseThrow();
            // read and checked before anything changes; the value is never printed
            JoinToken token = JoinToken.parse(ref.reveal(key, context.environment())).orElseThrow(() ->
                    new RefusedException(key + ": " + ref + " holds no Swarm join token (SWMTKN-1-…); copy what "
                            + "'kiban swarm join-token' prints on a manager"));
            if (!yes) {
                plan.steps().forEach(s -> out.println("would " + s.describe()));
                throw new DeclinedException("not joined; nothing changed: run again with --yes");
            }
            long start = System.nanoTime();
            new SwarmSetupApply(engine, Path.of("/"), out).join(plan, token);
            out.printf("%s joined the swarm as %s in %.1f s%s%n", name, asManager ? "a manager" : "a worker",
                    (System.nanoTime() - start) / 1e9, plan.node().map(n -> n.role() == NodeRole.MANAGER && !asManager
                            ? "; run 'kiban swarm apply' on a manager to promote it and set its labels"
                            : "; run 'kiban swarm apply' on a manager to set its labels and availability").orElse(""));
            return ExitCode.OK;
        }
    }
}
