package dev.kiban.backup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which snapshots to keep (R5.3): the last N, the newest of each of the last D days, W weeks and M
 * months, and always the newest snapshot, so pruning can never leave a repository without one. Pure.
 */
public record Retention(int keepLast, int keepDaily, int keepWeekly, int keepMonthly) {

    /** The ids to keep, with why; everything else may go. */
    public Set<String> keep(List<Snapshot> snapshots) {
        List<Snapshot> newestFirst = new ArrayList<>(snapshots);
        newestFirst.sort(Comparator.comparing((Snapshot s) -> Instant.parse(s.time())).reversed());
        Set<String> keep = new LinkedHashSet<>();
        if (!newestFirst.isEmpty()) keep.add(newestFirst.get(0).id());
        newestFirst.stream().limit(keepLast).forEach(s -> keep.add(s.id()));
        keepNewestPer(newestFirst, keepDaily, s -> day(s).toString(), keep);
        keepNewestPer(newestFirst, keepWeekly, s -> day(s).get(IsoFields.WEEK_BASED_YEAR) + "-W"
                + day(s).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), keep);
        keepNewestPer(newestFirst, keepMonthly, s -> day(s).getYear() + "-" + day(s).getMonthValue(), keep);
        return keep;
    }

    private static void keepNewestPer(List<Snapshot> newestFirst, int periods, Function<Snapshot, String> period,
            Set<String> keep) {
        Set<String> seen = new HashSet<>();
        for (Snapshot s : newestFirst) {
            if (seen.size() >= periods) return;
            if (seen.add(period.apply(s))) keep.add(s.id());
        }
    }

    private static LocalDate day(Snapshot s) {
        return Instant.parse(s.time()).atZone(ZoneOffset.UTC).toLocalDate();
    }
}
