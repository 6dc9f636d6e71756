package dev.kiban.cli;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineApiException;
import dev.kiban.engine.EngineInfo;
import dev.kiban.engine.EngineObjects;
import dev.kiban.engine.ImagePrune;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.RefusedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", mixinStandardHelpOptions = true,
        header = "Remove dangling and unused images older than the spec's age; never a volume (D9).",
        description = {"An image goes when no container (running or stopped) was made from it, no Swarm service "
                + "names it (by tag or digest, any stack) and it was built longer ago than maintenance.images"
                + ".olderThan (30d). Unlike 'docker image prune -a' it keeps what a stopped stack needs to start "
                + "again; unlike 'docker system prune --volumes' it never touches a volume (D9). The plan is "
                + "printed first; the engine itself refuses to remove an image a container still uses.",
            "On a Swarm worker, which cannot read the services, only nameless images go.",
            "kiban apply installs kiban-image-prune.timer, which runs 'kiban images prune --yes' weekly.", ""})
final class ImagesPruneCommand extends EngineBoundCommand {
    @Option(names = "--older-than", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Remove unused images built longer ago than this (e.g. 30d). Default: the spec's "
                    + "maintenance.images.olderThan.")
    Duration olderThan;

    @Option(names = "--dry-run", description = "Print the plan only.")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "Remove without asking.")
    boolean yes;

    @picocli.CommandLine.Mixin
    OutputOptions output;

    ImagesPruneCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        Duration age = olderThan != null ? olderThan
                : SpecLoading.spec(spec).require().maintenance().images().olderThan().duration();
        if (age.compareTo(Duration.ofDays(1)) < 0) {
            throw new RefusedException("--older-than " + age.toHours() + "h: an image younger than a day may be one "
                    + "a deploy is about to use; give 1d at least");
        }
        PrintWriter out = output.text(spec);
        List<String> removed = new ArrayList<>();
        List<String> refusedLines = new ArrayList<>();
        try (Engine engine = connect()) {
            EngineObjects objects = engine.auditObjects();
            Optional<List<String>> services = serviceImages(engine);
            ImagePrune plan = ImagePrune.plan(objects, services, Instant.now(), age);
            print(plan, out);
            if (plan.removals().isEmpty() || dryRun) {
                if (dryRun && !plan.removals().isEmpty()) out.println("dry run: nothing removed");
                report(plan, removed, refusedLines);
                return ExitCode.OK;
            }
            PrintWriter ask = output.json ? spec.commandLine().getErr() : out;
            if (!yes && !Prompt.confirm(context, ask, "Remove " + plural(plan.removals().size()) + "?")) {
                throw new DeclinedException("nothing removed: run again with --yes to remove "
                        + plural(plan.removals().size()));
            }
            int refused = 0;
            for (ImagePrune.Removal r : plan.removals()) {
                try {
                    for (String ref : r.references()) engine.removeImage(ref);
                    out.println("removed " + r.image().shown());
                    removed.add(r.image().id());
                } catch (EngineApiException e) {
                    // e.g. a container made from it since the plan: the engine keeps it, and so do we
                    refused++;
                    refusedLines.add(r.image().id() + ": " + e.getMessage());
                    out.println("kept " + r.image().shown() + ": the engine refused (" + e.getMessage() + ")");
                }
            }
            out.println("removed " + plural(plan.removals().size() - refused) + "; volumes untouched (D9)");
            report(plan, removed, refusedLines);
            return ExitCode.OK;
        }
    }

    private void report(ImagePrune plan, List<String> removed, List<String> refused) {
        if (!output.json) return;
        OutputOptions.print(spec, new Report(dryRun,
                plan.removals().stream().map(r -> new Planned(r.image().id(), r.image().shown(), r.why())).toList(),
                plan.kept().stream().map(k -> new Planned(k.image().id(), k.image().shown(), k.why())).toList(),
                removed, refused));
    }

    /** images prune --json: the plan (what goes, what stays and why), what was removed, what the engine refused. */
    record Report(boolean dryRun, List<Planned> remove, List<Planned> keep, List<String> removed,
                  List<String> refused) {}

    record Planned(String id, String name, String why) {}

    /** The image each Swarm service names; empty on a worker, which cannot read them; none outside a swarm. */
    static Optional<List<String>> serviceImages(Engine engine) {
        EngineInfo.SwarmState swarm = engine.info().swarm();
        if (!swarm.active()) return Optional.of(List.of());
        if (!swarm.manager()) return Optional.empty();
        return Optional.of(engine.services(Map.of()).stream().map(ServiceSummary::image).toList());
    }

    static void print(ImagePrune plan, PrintWriter out) {
        List<String> lines = new ArrayList<>();
        plan.removals().forEach(r -> lines.add("remove " + r.image().shown() + " (" + r.image().id() + "): "
                + r.why()));
        plan.kept().forEach(k -> lines.add("keep   " + k.image().shown() + ": " + k.why()));
        lines.forEach(out::println);
        if (plan.removals().isEmpty()) out.println("nothing to remove (" + plan.kept().size() + " images kept)");
    }

    private static String plural(int n) {
        return n + (n == 1 ? " image" : " images");
    }
}
