package dev.kiban.cli;

import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import dev.kiban.host.HostApply;
import dev.kiban.host.HostPlanner;
import dev.kiban.host.Plan;
import dev.kiban.monitor.ChannelSettings;
import dev.kiban.os.HostRoot;
import dev.kiban.os.ThisHost;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "apply", mixinStandardHelpOptions = true,
        header = "Write the host configuration, checked by the real tools.",
        description = {
            "Make the host match the spec: show the plan, ask (unless --yes), then, holding the lock "
                    + "<root>/var/lib/kiban/lock, record a generation under <root>/var/lib/kiban/generations/, "
                    + "write each file atomically with its owner and mode, have each file checked by the program "
                    + "that reads it, and run the commands (only when --root is /).",
            "A part of the spec turned off (the dashboard, the off-site copy) takes its units with it: each is "
                    + "stopped and disabled first (systemctl disable --now), then its file removed (kept in the "
                    + "generation); a file of that name kiban did not write is left alone.",
            "Refuses before writing anything when a directory on the way to a file is a symbolic link (kiban "
                    + "never follows a link it did not create), when a program the plan runs is not installed, or "
                    + "when another apply or rollback holds the lock.",
            "Any objection, or a program that fails or cannot be started, puts every file back as it was and exits 1, "
                    + "naming the file and the tool's own words. A second apply of an unchanged spec changes nothing. "
                    + "'kiban rollback' undoes an apply.",
            ""})
final class ApplyCommand implements Callable<Integer> {
    private final KibanContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    RootOptions rootOptions;

    @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
    boolean yes;

    @Mixin
    OutputOptions output;

    ApplyCommand(KibanContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = output.text(spec);
        PlatformSpec resolved = ThisHost.under(rootOptions.root).resolveForHost(SpecLoading.spec(spec).require(),
                rootOptions.family());
        Plan plan = HostPlanner.plan(resolved, rootOptions.root, context.environment());
        if (plan.changesNothing()) {
            out.println("nothing to change: the host under " + rootOptions.root + " already matches the spec");
            if (output.json) {
                OutputOptions.print(spec, new Report(false, null, PlanReport.of(plan, false, List.of(), List.of())));
            }
            return ExitCode.OK;
        }
        HostApply applier = new HostApply(rootOptions.root, context.checks(), out, context.programs(),
                context.environment());
        // with --json the plan is shown (on stderr) only to someone asked to confirm it
        PrintWriter shown = yes ? out : output.notices(spec);
        boolean runsCommands = HostRoot.isSystemRoot(rootOptions.root);
        shown.print(plan.describe(runsCommands));
        List<String> notes = applier.notes(plan);
        notes.forEach(n -> shown.println("note: " + n));
        List<String> preflight = applier.preflight(plan);
        preflight.forEach(r -> shown.println("REFUSED: " + r));
        List<String> refusals = new ArrayList<>(plan.refusals());
        refusals.addAll(preflight);
        if (runsCommands) {
            agentChannels(resolved).ifPresent(r -> {
                shown.println("REFUSED: " + r);
                refusals.add(r);
            });
        }
        if (!refusals.isEmpty()) throw new RefusedException("not applying: " + String.join("; ", refusals));
        if (!yes && !Prompt.confirm(context, shown, "Apply these changes?")) {
            throw new DeclinedException("not applied; nothing changed (confirm with y, or pass --yes)");
        }
        HostApply.Outcome outcome;
        try {
            outcome = applier.apply(plan);
        } catch (HostRoot.Refusal e) {
            throw new RefusedException(e.getMessage());
        }
        int number = outcome.generation().map(g -> g.number()).orElse(0);
        if (!outcome.ok()) {
            throw new RefusedException(outcome.restored()
                    ? "apply failed; every file is back as it was (generation " + number + " recorded as failed):"
                    : "apply failed and NOT every file is back (generation " + number + " is still in force):",
                    outcome.failures());
        }
        out.println("applied as generation " + number + " ('kiban rollback' undoes it)");
        if (output.json) {
            OutputOptions.print(spec, new Report(true, number, PlanReport.of(plan, runsCommands, notes, preflight)));
        }
        return ExitCode.OK;
    }

    /**
     * The monitoring agent apply enables must be able to start: a channel it cannot make (a plain-http
     * webhook to another host, an unreadable secret file) would keep it in a restart loop, with no alert
     * ever sent. env: secrets are left out: they are the agent's environment's, not apply's.
     */
    private Optional<String> agentChannels(PlatformSpec resolved) {
        for (String channel : ChannelSettings.used(resolved)) {
            if (ChannelSettings.needsAbsentEnvironment(resolved, channel, context.environment())) continue;
            try {
                ChannelSettings.of(resolved, context.environment(), List.of(channel));
            } catch (SpecException e) {
                return Optional.of("the monitoring agent could not start with this spec: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** apply --json: whether anything was applied, the generation recorded (null when none), and the plan. */
    record Report(boolean applied, Integer generation, PlanReport plan) {}
}
