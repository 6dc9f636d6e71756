package dev.kiban.cli;

import dev.kiban.host.HostApply;
import dev.kiban.host.HostPlanner;
import dev.kiban.host.Plan;
import dev.kiban.os.ThisHost;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        header = "Show the diff between the host and what the spec renders.",
        description = {
            "Show what 'kiban apply' would change on the host: a unified diff per file (daemon.json, sysctl, journald, "
                    + "fail2ban, logwatch, automatic updates, sshd, firewall, DOCKER-USER rules), the directories of "
                    + "the layout, the commands that would run, and a one-line summary. Changes nothing.",
            "Refuses (exit 1) when hardening sshd would lock out the configured users, when a directory on the "
                    + "way to a file is a symbolic link, or when a program the plan runs is not installed.",
            "With --detailed-exitcode: 0 the host is in step with the spec, 4 changes are pending, 1 refused. Not "
                    + "terraform's 2 for pending changes: 2 is kiban's usage or spec error.",
            ""})
final class PlanCommand implements Callable<Integer> {
    private final KibanContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    RootOptions rootOptions;

    @Option(names = "--detailed-exitcode",
            description = "Exit 4 when changes are pending (0 only when the host is in step).")
    boolean detailedExitCode;

    @Mixin
    OutputOptions output;

    PlanCommand(KibanContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PlatformSpec resolved = ThisHost.under(rootOptions.root).resolveForHost(SpecLoading.spec(spec).require(),
                rootOptions.family());
        Plan plan = HostPlanner.plan(resolved, rootOptions.root, context.environment());
        var out = output.text(spec);
        boolean runsCommands = dev.kiban.os.HostRoot.isSystemRoot(rootOptions.root);
        out.print(plan.describe(runsCommands));
        // read-only: the checks apply makes before writing (symbolic links on the way, missing programs)
        HostApply applier = new HostApply(rootOptions.root, (a, r) -> java.util.Optional.empty(), out,
                context.programs(), context.environment());
        java.util.List<String> notes = applier.notes(plan);
        notes.forEach(n -> out.println("note: " + n));
        java.util.List<String> preflight = plan.changesNothing() ? java.util.List.of() : applier.preflight(plan);
        preflight.forEach(r -> out.println("REFUSED: " + r));
        if (output.json) OutputOptions.print(spec, PlanReport.of(plan, runsCommands, notes, preflight));
        if (!plan.refusals().isEmpty() || !preflight.isEmpty()) return ExitCode.FINDINGS;
        return detailedExitCode && !plan.changesNothing() ? ExitCode.CHANGES_PENDING : ExitCode.OK;
    }
}
