package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {
    /** One snapshot a day for 120 days, at 02:00 (the design's schedule is weekly; daily makes every rule bite). */
    static List<Snapshot> daily(int days) {
        List<Snapshot> out = new ArrayList<>();
        Instant start = Instant.parse("2026-07-01T02:00:00Z");
        for (int d = 0; d < days; d++) {
            Instant t = start.plus(d, ChronoUnit.DAYS);
            out.add(new Snapshot("s" + d, t.toString(), "host", List.of(), new Snapshot.Stats(0, 0, 0, 0, 0, 0),
                    List.of()));
        }
        return out;
    }

    @Test
    void keepsLastDailyWeeklyAndMonthly() {
        List<Snapshot> all = daily(120); // 2026-07-01 .. 2026-10-28
        var keep = new Retention(2, 7, 4, 3).keep(all);
        assertThat(keep).contains("s119", "s118"); // last 2
        assertThat(keep).contains("s113"); // the 7th most recent day
        assertThat(keep).doesNotContain("s112");
        assertThat(keep).contains("s91"); // newest of September (2026-09-30)
        assertThat(keep).contains("s61"); // newest of August (2026-08-31); no July one: the 3 months are Oct, Sep, Aug
        assertThat(keep).contains("s116", "s109", "s102"); // Sundays closing ISO weeks 43, 42, 41
        assertThat(keep).doesNotContain("s30");
    }

    @Test
    void theNewestIsKeptEvenWithNothingToKeep() {
        assertThat(new Retention(0, 0, 0, 0).keep(daily(5))).containsExactly("s4");
        assertThat(new Retention(0, 0, 0, 0).keep(List.of())).isEmpty();
    }
}
