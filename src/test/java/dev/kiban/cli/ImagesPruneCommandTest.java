package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ImageSummary;
import dev.kiban.testing.FakeEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kiban images prune}: the plan first, --dry-run only that, --yes to remove; in-use images stay. */
class ImagesPruneCommandTest {
    static final Instant OLD = Instant.now().minus(Duration.ofDays(90));

    static FakeEngine engine() {
        // the containers are made from kiban-test/base, also 90 days old: in use, so kept
        FakeEngine engine = FakeEngine.withContainers(FakeEngine.container("db", "exited", "Exited (0) 2 days ago"));
        engine.addImage("old/tool:1", OLD).addImage("fresh/app:2", Instant.now().minus(Duration.ofDays(2)))
                .addImage(new ImageSummary("sha256:dangling0001", List.of(), List.of(), 1), OLD);
        return engine;
    }

    static List<String> tags(FakeEngine engine) {
        return engine.images().stream().map(i -> i.tags().isEmpty() ? i.id() : i.tags().get(0)).toList();
    }

    @Test
    void aDryRunPrintsThePlanAndRemovesNothing() {
        FakeEngine engine = engine();
        List<String> before = tags(engine);
        CommandLineTest.Run r = CommandLineTest.run(a -> engine, "images", "prune", "--older-than", "30d",
                "--dry-run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("remove old/tool:1", "dangling, built 90 days ago", "keep   fresh/app:2",
                "keep   kiban-test/base", "a container (running or stopped)", "dry run: nothing removed");
        assertThat(tags(engine)).isEqualTo(before);
    }

    @Test
    void withYesTheOldUnusedAndDanglingGoAndTheRestStays() {
        FakeEngine engine = engine();
        CommandLineTest.Run r = CommandLineTest.run(a -> engine, "-c", "builtin", "images", "prune", "--yes");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("removed old/tool:1", "removed 2 images; volumes untouched (D9)");
        assertThat(tags(engine)).contains("fresh/app:2").anyMatch(t -> t.startsWith("kiban-test/base"))
                .doesNotContain("old/tool:1", "sha256:dangling0001");
    }

    @Test
    void withoutYesOrATerminalNothingIsRemoved() {
        FakeEngine engine = engine();
        List<String> before = tags(engine);
        CommandLineTest.Run r = CommandLineTest.run(a -> engine, "images", "prune", "--older-than", "30d");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("run again with --yes");
        assertThat(tags(engine)).isEqualTo(before);
    }

    @Test
    void anAgeUnderADayIsRefused() {
        CommandLineTest.Run r = CommandLineTest.run(a -> engine(), "images", "prune", "--older-than", "1h",
                "--dry-run");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("1d at least");
    }

    @Test
    void jsonIsOneDocumentWithThePlanAndTheOutcome() throws Exception {
        FakeEngine engine = engine();
        CommandLineTest.Run r = CommandLineTest.run(a -> engine, "images", "prune", "--older-than", "30d", "--yes",
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(doc.get("remove")).hasSize(2);
        assertThat(doc.get("removed")).hasSize(2);
        assertThat(doc.get("keep").toString()).contains("kiban-test/base", "a container (running or stopped)");
    }
}
