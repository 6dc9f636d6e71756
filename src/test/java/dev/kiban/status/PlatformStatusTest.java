package dev.kiban.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakeEngine;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code kiban status}'s last runs: the backup and each job of the weekly routine, from their logs. */
class PlatformStatusTest {
    @Test
    void eachScheduledJobsLastRunIsShownAndAFailedOneIsAFinding() {
        PlatformSpec spec = SpecDocument.builtin().require();
        Map<Path, String> logs = Map.of(
                Path.of("/var/log/kiban/backup.log"), "2026-12-06T02:10:00Z OK snapshot 1a2b3c4d: 3 sources",
                Path.of("/var/log/kiban/image-prune.log"), "2026-12-06T03:00:09Z OK image-prune: the image clean-up "
                        + "succeeded",
                Path.of("/var/log/kiban/engine-update.log"), "2026-12-07T05:02:00Z FAILED engine-update: the "
                        + "engine's update window failed: exit-code (exited 1)");
        PlatformStatus s = PlatformStatus.of(EngineSnapshot.take(new FakeEngine()), spec, "kiban.yaml",
                p -> Optional.empty(), p -> Optional.ofNullable(logs.get(p)));
        assertThat(s.routine()).extracting(PlatformStatus.RoutineRun::job)
                .containsExactly("backup", "image-prune", "backup-verify", "engine-update");
        assertThat(s.routine().get(1).lastLine()).hasValueSatisfying(l -> assertThat(l).contains("OK image-prune"));
        assertThat(s.routine().get(2).lastLine()).as("never run").isEmpty();
        assertThat(s.routine().get(2).failed()).isFalse();
        assertThat(s.routine().get(3).failed()).isTrue();
        assertThat(s.findings()).singleElement().asString().startsWith("engine-update's last run failed: ");
    }

    @Test
    void aLineKibanDidNotWriteCountsAsFailed() {
        PlatformStatus s = PlatformStatus.of(EngineSnapshot.take(new FakeEngine()), SpecDocument.builtin().require(),
                "kiban.yaml", p -> Optional.empty(), p -> p.toString().endsWith("backup-verify.log")
                        ? Optional.of("Segmentation fault") : Optional.empty());
        assertThat(s.findings()).singleElement().asString().startsWith("backup-verify's last run failed");
    }
}
