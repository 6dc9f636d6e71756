package dev.kiban.cli;

import dev.kiban.os.Failures;
import dev.kiban.os.HostRoot;
import dev.kiban.os.LatestResults;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Saves a {@code kiban verify} or {@code kiban audit} run as the latest under monitor.state/results, where the
 * dashboard reads it. Where that directory is absent (no agent, no apply here) nothing is saved; a save that fails
 * is a note, never the run's failure.
 */
final class LatestRun {
    private LatestRun() {}

    static void save(CommandSpec spec, LatestResults.Kind kind, Path root, PlatformSpec platform, boolean findings,
            String summary, Supplier<Map<LatestResults.Format, String>> reports) {
        LatestResults results;
        try {
            // under --root, that root's state directory: a test's root or a mounted host's, never this host's
            results = new LatestResults(HostRoot.resolve(root, platform.monitor().state().value()));
        } catch (RuntimeException e) {
            return;
        }
        try {
            if (!java.nio.file.Files.isDirectory(results.dir().getParent())) return;
            results.save(kind, new LatestResults.Summary(Instant.now(), findings, summary), reports.get());
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("note: the result was not saved for the dashboard in "
                    + results.dir() + ": " + Failures.describe(e));
        }
    }
}
