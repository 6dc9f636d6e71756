package dev.kiban.cli;

import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import dev.kiban.host.EngineInstallation;
import dev.kiban.host.PlannedCommand;
import dev.kiban.os.HostPrograms;
import dev.kiban.os.HostRoot;
import dev.kiban.os.ThisHost;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "install", mixinStandardHelpOptions = true,
        description = {
            "Install and start the Docker engine for the host's family: Docker's CE repository on rhel (docker-ce, "
                    + "containerd.io, the buildx and compose plugins), docker.io on debian. Does nothing when dockerd "
                    + "is already installed.",
            "Lists the commands first; runs them only on / and only with --yes. 'kiban apply' plans the same step when "
                    + "the engine is absent. On rhel, Docker's repository file comes from 'kiban apply' first.",
            ""})
final class EngineInstallCommand implements Callable<Integer> {
    private final KibanContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    RootOptions rootOptions;

    @Option(names = {"-y", "--yes"}, description = "Run the commands (on / only).")
    boolean yes;

    EngineInstallCommand(KibanContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PlatformSpec resolved = ThisHost.under(rootOptions.root).resolveForHost(SpecLoading.spec(spec).require(),
                rootOptions.family());
        List<PlannedCommand> steps = EngineInstallation.plan(resolved.host().family(), rootOptions.root);
        if (steps.isEmpty()) {
            out.println("the engine is installed under " + rootOptions.root + "; nothing to do");
            return ExitCode.OK;
        }
        steps.forEach(c -> out.println("    " + c + "    # " + c.why()));
        EngineInstallation.notes(resolved.host().family(), rootOptions.root).forEach(n -> out.println("note: " + n));
        var noRepository = EngineInstallation.missingRepository(resolved.host().family(), rootOptions.root);
        noRepository.ifPresent(n -> out.println("note: " + n));
        if (!HostRoot.isSystemRoot(rootOptions.root)) {
            out.println("(not run: --root is not /)");
            return ExitCode.OK;
        }
        if (noRepository.isPresent()) throw new RefusedException("not installing: " + noRepository.get());
        if (!yes) throw new DeclinedException("not installing without --yes; nothing changed");
        for (PlannedCommand c : steps) {
            out.println("running " + c);
            out.flush();
            HostPrograms.Result r = context.programs().run(c.argv(), Duration.ofMinutes(15));
            if (!r.ok()) throw new RefusedException("'" + c + "' failed: " + r.gist());
        }
        out.println("engine installed and started");
        return ExitCode.OK;
    }
}
