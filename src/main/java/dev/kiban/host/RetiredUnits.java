package dev.kiban.host;

import dev.kiban.os.RoutineLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The units kiban renders only while a part of the spec is on (the dashboard, the off-site copy). Turned off,
 * apply would otherwise leave them enabled and running: a dashboard still serving after the operator switched it
 * off. Each unit still on the host that kiban wrote (its managed header) becomes a {@link Plan.Removal}: stopped,
 * disabled, removed, its bytes kept in the generation. A file of that name kiban did not write, or a link, is
 * left alone and said so. Pure: observed files in, steps out.
 */
final class RetiredUnits {
    /** What turns each optional unit off, in the spec's words; timers before their services. */
    private static final List<Map.Entry<String, String>> OPTIONAL = List.of(
            Map.entry(DashboardService.SERVICE, "dashboard.enabled is false"),
            Map.entry(RoutineSchedule.UNITS + RoutineLog.BACKUP_COPY.timer(), "maintenance.offsiteCopy is not set"),
            Map.entry(RoutineSchedule.UNITS + RoutineLog.BACKUP_COPY.service(), "maintenance.offsiteCopy is not set"));

    private static final String MANAGED = " Managed by kiban (";

    private RetiredUnits() {}

    /** The paths the planner reads to find them. */
    static List<String> paths() {
        return OPTIONAL.stream().map(Map.Entry::getKey).toList();
    }

    record Found(List<Plan.Removal> removals, List<String> notes) {}

    /** {@code rendered}: every path the spec renders now; {@code observed}: at least {@link #paths()}. */
    static Found find(Set<String> rendered, Map<String, Optional<ObservedFile>> observed) {
        List<Plan.Removal> removals = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, String> u : OPTIONAL) {
            String path = u.getKey();
            Optional<ObservedFile> now = observed.getOrDefault(path, Optional.empty());
            if (rendered.contains(path) || now.isEmpty()) continue;
            String unit = path.substring(path.lastIndexOf('/') + 1);
            ObservedFile f = now.get();
            if (f.isLink() || f.directory()) {
                notes.add(path + " left alone: " + u.getValue() + ", but it is " + (f.isLink()
                        ? "a symbolic link (to " + f.link() + ")" : "a directory") + ", which kiban never writes");
            } else if (!f.content().lines().limit(3).anyMatch(l -> l.startsWith("#") && l.contains(MANAGED))) {
                notes.add(path + " left alone: " + u.getValue() + ", but kiban did not write this file (no "
                        + "'Managed by kiban' header); 'systemctl disable --now " + unit + "' if it should stop");
            } else {
                removals.add(new Plan.Removal(path, unit, f, u.getValue() + ": stop, disable and remove " + unit));
            }
        }
        return new Found(List.copyOf(removals), List.copyOf(notes));
    }
}
