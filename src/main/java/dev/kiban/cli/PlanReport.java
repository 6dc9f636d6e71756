package dev.kiban.cli;

import dev.kiban.host.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A host plan as plan --json and apply --json print it. Its own shape, not the plan's records: the field
 * names stay stable when the host package changes, and a file's rendered content is left out (its diff says
 * what changes).
 */
record PlanReport(boolean changesPending, boolean refused, boolean runsCommands, List<Step> directories,
                  List<Step> files, List<Command> commands, List<String> notes, List<String> refusals,
                  Summary summary) {

    /**
     * Directory or file: change is create, update, remove (a unit of a part of the spec now off) or unchanged; diff
     * empty for directories and unchanged files.
     */
    record Step(String path, String change, String mode, String owner, String why, String diff) {}

    record Command(List<String> argv, String why) {}

    record Summary(long create, long update, long remove, long unchanged, int commands) {}

    /** {@code notes} and {@code refusals}: the plan's own and those of apply's read-only checks. */
    static PlanReport of(Plan plan, boolean runsCommands, List<String> notes, List<String> refusals) {
        List<Step> directories = plan.directories().stream().map(d -> new Step(d.directory().path(), name(d.change()),
                d.directory().mode(), d.directory().owner(), d.directory().why(), "")).toList();
        List<Step> files = new ArrayList<>(plan.files().stream().map(f -> new Step(f.artifact().path(),
                name(f.change()), f.artifact().mode(), f.artifact().owner(), f.artifact().why(), f.diff())).toList());
        plan.removals().forEach(r -> files.add(new Step(r.path(), "remove", r.before().mode(), r.before().owner(),
                r.why(), r.diff())));
        // in the order apply runs them: the turned-off units are stopped before any file changes
        List<Command> commands = new ArrayList<>(plan.removals().stream().map(r -> new Command(r.stop().argv(),
                r.stop().why())).toList());
        plan.commands().forEach(c -> commands.add(new Command(c.argv(), c.why())));
        List<String> allNotes = new ArrayList<>(plan.notes());
        allNotes.addAll(notes);
        List<String> allRefusals = new ArrayList<>(plan.refusals());
        allRefusals.addAll(refusals);
        Summary summary = new Summary(plan.count(Plan.Change.CREATE), plan.count(Plan.Change.UPDATE),
                plan.removals().size(), plan.count(Plan.Change.UNCHANGED), commands.size());
        return new PlanReport(!plan.changesNothing(), !allRefusals.isEmpty(), runsCommands, directories,
                List.copyOf(files), List.copyOf(commands), allNotes, allRefusals, summary);
    }

    private static String name(Plan.Change change) {
        return change.name().toLowerCase(Locale.ROOT);
    }
}
