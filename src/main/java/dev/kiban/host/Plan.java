package dev.kiban.host;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What apply would change: each file and directory created, changed (content, mode or owner) or left
 * as it is, with a unified diff, the units of a part of the spec now off that go (stopped, disabled, removed),
 * then the commands those changes call for, and any refusal that stops apply outright. Computed without
 * touching the host: the observed state is an input.
 */
public record Plan(List<FileStep> files, List<DirectoryStep> directories, List<Removal> removals,
        List<PlannedCommand> commands, List<String> notes, List<String> refusals) {

    public Plan(List<FileStep> files, List<DirectoryStep> directories, List<PlannedCommand> commands,
            List<String> notes, List<String> refusals) {
        this(files, directories, List.of(), commands, notes, refusals);
    }

    public enum Change { CREATE, UPDATE, UNCHANGED }

    public record FileStep(Artifact artifact, Change change, Optional<ObservedFile> before, String diff) {}

    public record DirectoryStep(HostDirectory directory, Change change, Optional<ObservedFile> before) {}

    /**
     * A unit kiban wrote for a part of the spec that is now off ({@link RetiredUnits}): apply stops and disables
     * it before anything else changes, then removes the file, whose bytes the generation keeps.
     */
    public record Removal(String path, String unit, ObservedFile before, String why) {
        /** Run before the file goes: systemctl disable reads the unit's [Install] section to undo it. */
        public PlannedCommand stop() {
            return PlannedCommand.of(why, List.of(path), "systemctl", "disable", "--now", unit);
        }

        public String diff() {
            List<String> old = before.content().lines().toList();
            return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(path, "/dev/null", old,
                    DiffUtils.diff(old, List.of()), 0));
        }
    }

    public static Plan of(HostConfiguration desired, Map<String, Optional<ObservedFile>> observed,
            List<String> refusals) {
        return of(desired, observed, List.of(), List.of(), refusals);
    }

    /** {@code first}: commands that come before the configuration's own (installing the engine). */
    public static Plan of(HostConfiguration desired, Map<String, Optional<ObservedFile>> observed,
            List<PlannedCommand> first, List<String> notes, List<String> refusals) {
        List<FileStep> files = new ArrayList<>();
        Set<String> changed = new LinkedHashSet<>();
        for (HostDirectory d : desired.directories()) {
            Optional<ObservedFile> now = observed.getOrDefault(d.path(), Optional.empty());
            if (now.isEmpty()) changed.add(d.path());
        }
        List<DirectoryStep> dirs = desired.directories().stream().map(d -> {
            Optional<ObservedFile> now = observed.getOrDefault(d.path(), Optional.empty());
            Change c = now.isEmpty() ? Change.CREATE : (now.get().mode().equals(d.mode())
                    && now.get().owner().equals(d.owner()) ? Change.UNCHANGED : Change.UPDATE);
            return new DirectoryStep(d, c, now);
        }).toList();
        for (Artifact a : desired.artifacts()) {
            Optional<ObservedFile> now = observed.getOrDefault(a.path(), Optional.empty());
            Change c;
            if (now.isEmpty()) c = Change.CREATE;
            else if (now.get().content().equals(a.content()) && now.get().mode().equals(a.mode())
                    && now.get().owner().equals(a.owner())) c = Change.UNCHANGED;
            else c = Change.UPDATE;
            if (c != Change.UNCHANGED) changed.add(a.path());
            files.add(new FileStep(a, c, now, c == Change.UNCHANGED ? "" : diff(a, now)));
        }
        Set<String> rendered = new LinkedHashSet<>();
        desired.artifacts().forEach(a -> rendered.add(a.path()));
        RetiredUnits.Found retired = RetiredUnits.find(rendered, observed);
        List<PlannedCommand> commands = new ArrayList<>(first);
        changed.addAll(retired.removals().stream().map(Removal::path).toList());
        List<PlannedCommand> called = desired.commands().stream()
                .filter(cmd -> cmd.after().isEmpty() ? !changed.isEmpty()
                        : cmd.after().stream().anyMatch(changed::contains)).toList();
        List<String> reload = List.of("systemctl", "daemon-reload");
        if (!retired.removals().isEmpty() && called.stream().noneMatch(c -> c.argv().equals(reload))) {
            // systemd forgets a removed unit only when it reloads
            commands.add(new PlannedCommand(reload, "units removed", List.of()));
        }
        commands.addAll(called);
        List<String> allNotes = new ArrayList<>(desired.notes());
        allNotes.addAll(notes);
        allNotes.addAll(retired.notes());
        return new Plan(List.copyOf(files), dirs, retired.removals(), List.copyOf(commands), List.copyOf(allNotes),
                List.copyOf(refusals));
    }

    static final String HIDDEN = "(contents hidden: holds a secret)";

    static String diff(Artifact a, Optional<ObservedFile> before) {
        List<String> old = before.map(b -> b.content().lines().toList()).orElse(List.of());
        List<String> now = a.content().lines().toList();
        List<String> out = new ArrayList<>();
        // neither the new secret nor the old one (a diff shows both) reaches the terminal or --json
        if (a.holdsSecret() && !old.equals(now)) {
            out.add(HIDDEN);
        } else if (!old.equals(now)) {
            out.addAll(UnifiedDiffUtils.generateUnifiedDiff(before.isPresent() ? a.path() : "/dev/null", a.path(), old,
                    DiffUtils.diff(old, now), 3));
        }
        before.ifPresent(b -> {
            if (!b.mode().equals(a.mode())) out.add("mode " + b.mode() + " -> " + a.mode());
            if (!b.owner().equals(a.owner())) out.add("owner " + b.owner() + " -> " + a.owner());
        });
        return String.join("\n", out);
    }

    public boolean changesNothing() {
        return commands.isEmpty() && removals.isEmpty() && files.stream().allMatch(f -> f.change() == Change.UNCHANGED)
                && directories.stream().allMatch(d -> d.change() == Change.UNCHANGED);
    }

    /** Files and directories with that change; removals are {@code removals().size()}. */
    public long count(Change change) {
        return files.stream().filter(f -> f.change() == change).count()
                + directories.stream().filter(d -> d.change() == change).count();
    }

    /** The plan as the operator reads it: diffs, commands, a one-line summary. */
    public String describe(boolean runCommands) {
        StringBuilder out = new StringBuilder();
        List<PackageSources.Check> sources = PackageSources.checks(commands);
        if (runCommands && !sources.isEmpty()) {
            out.append("first, before any change (a failure stops apply here):\n");
            sources.forEach(s -> out.append("    ").append(s.command()).append("    # ").append(s.command().why())
                    .append('\n'));
        }
        if (!removals.isEmpty()) {
            out.append(!runCommands ? "stop what the spec turned off, on the host itself (not run under --root):\n"
                    : (sources.isEmpty() ? "first" : "then") + ", before any file changes, stop what the spec "
                            + "turned off:\n");
            removals.forEach(r -> out.append("    ").append(r.stop()).append("    # ").append(r.why()).append('\n'));
        }
        for (Removal r : removals) {
            out.append("remove file ").append(r.path()).append("  (kept in the generation: 'kiban rollback' puts it "
                    + "back)  ").append(r.why()).append('\n');
            r.diff().lines().forEach(l -> out.append("    ").append(l).append('\n'));
        }
        for (DirectoryStep d : directories) {
            if (d.change() == Change.UNCHANGED) continue;
            out.append(d.change() == Change.CREATE ? "create" : "fix   ").append(" dir  ").append(d.directory().path())
                    .append("  (")
                    .append(d.directory().mode()).append(' ').append(d.directory().owner()).append(")  ")
                    .append(d.directory().why()).append('\n');
        }
        for (FileStep f : files) {
            if (f.change() == Change.UNCHANGED) continue;
            out.append(f.change() == Change.CREATE ? "create" : "change").append(" file ").append(f.artifact().path())
                    .append("  (")
                    .append(f.artifact().mode()).append(' ').append(f.artifact().owner()).append(")  ")
                    .append(f.artifact().why()).append('\n');
            if (!f.diff().isEmpty()) f.diff().lines().forEach(l -> out.append("    ").append(l).append('\n'));
        }
        if (!commands.isEmpty()) {
            out.append(runCommands ? "then run:\n" : "then, on the host itself (not run under --root):\n");
            commands.forEach(c -> out.append("    ").append(c).append("    # ").append(c.why()).append('\n'));
        }
        notes.forEach(n -> out.append("note: ").append(n).append('\n'));
        refusals.forEach(r -> out.append("REFUSED: ").append(r).append('\n'));
        out.append(count(Change.CREATE)).append(" to create, ").append(count(Change.UPDATE)).append(" to change, ")
                .append(removals.isEmpty() ? "" : removals.size() + " to remove, ")
                .append(count(Change.UNCHANGED)).append(" unchanged")
                .append(commands.isEmpty() ? "" : ", " + commands.size() + " commands").append('\n');
        return out.toString();
    }
}
