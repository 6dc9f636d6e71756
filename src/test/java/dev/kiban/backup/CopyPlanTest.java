package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure plan of a copy: what the target lacks, configuration, data, indexes, snapshots in that order. */
class CopyPlanTest {
    private static final String A = "aa" + "0".repeat(30);
    private static final String B = "bb" + "1".repeat(30);
    private static final String C = "cc" + "2".repeat(30);

    private static Map<String, Long> source() {
        return Map.of("config.json", 50L, "packs/aa/" + A, 1000L, "packs/bb/" + B, 2000L, "index/" + A, 48L,
                "index/" + B, 96L, "snapshots/20260101T000000Z-1.json", 300L, "kiban.lock", 0L,
                "damaged/whatever", 5L);
    }

    @Test
    void aNewTargetGetsEverythingInOrder() {
        CopyPlan plan = CopyPlan.of(source(), Map.of());
        assertThat(plan.steps()).containsExactly("config.json", "packs/aa/" + A, "packs/bb/" + B, "index/" + A,
                "index/" + B, "snapshots/20260101T000000Z-1.json");
        assertThat(plan.bytes()).isEqualTo(50 + 1000 + 2000 + 48 + 96 + 300);
        assertThat(plan.conflicts()).isEmpty();
    }

    @Test
    void aResumedCopyPlansOnlyWhatIsMissing() {
        CopyPlan plan = CopyPlan.of(source(), Map.of("config.json", 50L, "packs/aa/" + A, 1000L, "kiban.lock", 0L,
                "packs/bb/." + B + ".123.tmp", 17L));
        assertThat(plan.steps()).containsExactly("packs/bb/" + B, "index/" + A, "index/" + B,
                "snapshots/20260101T000000Z-1.json");
        assertThat(plan.packsSkipped()).isEqualTo(1);
        assertThat(plan.config()).isEmpty();
    }

    @Test
    void aCompleteCopyPlansNothing() {
        CopyPlan plan = CopyPlan.of(source(), source());
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.packsSkipped()).isEqualTo(2);
        assertThat(plan.indexesSkipped()).isEqualTo(2);
        assertThat(plan.snapshotsSkipped()).isEqualTo(1);
        assertThat(plan.bytes()).isZero();
    }

    @Test
    void anIndexWhosePackIsNowhereIsNotSent() {
        Map<String, Long> source = new java.util.HashMap<>(source());
        source.put("index/" + C, 48L);
        CopyPlan plan = CopyPlan.of(source, Map.of());
        assertThat(plan.indexes()).doesNotContain("index/" + C);
        assertThat(plan.orphanIndexes()).containsExactly("index/" + C);
    }

    @Test
    void aFileOfTheSameNameButAnotherSizeIsAConflict() {
        CopyPlan plan = CopyPlan.of(source(), Map.of("config.json", 50L, "packs/aa/" + A, 999L));
        assertThat(plan.conflicts()).singleElement().asString().contains("packs/aa/" + A);
    }

    @Test
    void onlyRepositoryFilesAreCarried() {
        assertThat(CopyPlan.isRepositoryFile("packs/aa/" + A)).isTrue();
        assertThat(CopyPlan.isRepositoryFile("packs/bb/" + A)).isFalse();
        assertThat(CopyPlan.isRepositoryFile("packs/aa/." + A + ".1.tmp")).isFalse();
        assertThat(CopyPlan.isRepositoryFile("index/../config.json")).isFalse();
        assertThat(CopyPlan.isRepositoryFile("snapshots/../../etc.json")).isFalse();
        assertThat(CopyPlan.isRepositoryFile("kiban.lock")).isFalse();
    }
}
