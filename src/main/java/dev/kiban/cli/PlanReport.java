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

    /** Directory or file: change is create, update or unchanged; diff empty for directories and unchanged files. */
    record Step(String path, String change, String mode, String owner, String why, String diff) {}

    record Command(List<String> argv, String why) {}

    record Summary(long create, long update, long unchanged, int commands) {}

    /** {@code notes} and {@code refusals}: the plan's own and those of apply's read-only checks. */
    static PlanReport of(Plan plan, boolean runsCommands, List<String> notes, List<String> refusals) {
        List<Step> directories = plan.directories().stream().map(d -> new Step(d.directory().path(), name(d.change()),
                d.directory().mode(), d.directory().owner(), d.directory().why(), "")).toList();
        List<Step> files = plan.files().stream().map(f -> new Step(f.artifact().path(), name(f.change()),
                f.artifact().mode(), f.artifact().owner(), f.artifact().why(), f.diff())).toList();
        List<Command> commands = plan.commands().stream().map(c -> new Command(c.argv(), c.why())).toList();
        List<String> allNotes = new ArrayList<>(plan.notes());
        allNotes.addAll(notes);
        List<String> allRefusals = new ArrayList<>(plan.refusals());
        allRefusals.addAll(refusals);
        Summary summary = new Summary(plan.count(Plan.Change.CREATE), plan.count(Plan.Change.UPDATE),
                plan.count(Plan.Change.UNCHANGED), plan.commands().size());
        return new PlanReport(!plan.changesNothing(), !allRefusals.isEmpty(), runsCommands, directories, files,
                commands, allNotes, allRefusals, summary);
    }

    private static String name(Plan.Change change) {
        return change.name().toLowerCase(Locale.ROOT);
    }
}
