package dev.kiban.cli;

import static dev.kiban.cli.HostileCorpus.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.backup.RepositoryFixtures;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.testing.TestSwarm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backup prune --dry-run prints the plan step by step and changes nothing; the prune then does that plan. */
class BackupPruneDryRunTest {
    @TempDir
    Path dir;

    private HostileCorpus.Outcome backup(Path spec, String... args) {
        List<String> all = new ArrayList<>(List.of("-c", spec.toString(), "backup"));
        all.addAll(List.of(args));
        return run(Map.of(), a -> {
            throw new EngineUnavailableException("no engine in this test");
        }, "", all.toArray(String[]::new));
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void theDryRunPrintsThePlanAndChangesNothing() throws Exception {
        Path repo = dir.resolve("repo");
        Path data = RepositoryFixtures.tree(dir.resolve("data"), 3);
        String first = RepositoryFixtures.snapshot(repo, data, Optional.empty());
        Files.writeString(data.resolve("only-in-the-second.txt"), "x".repeat(5000));
        try (Stream<Path> s = Files.list(data)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.endsWith("only-in-the-second.txt")).toList()) {
                Files.delete(p); // the first snapshot's files: only it needs their chunks
            }
        }
        String second = RepositoryFixtures.snapshot(repo, data, Optional.empty());
        Path spec = TestSwarm.spec(dir, "backup: {repository: " + repo + ", log: " + dir.resolve("backup.log")
                + ", retention: {keepLast: 1}}\nstorage: {volumes: " + dir.resolve("no-volumes") + ", compose: "
                + dir.resolve("no-compose") + "}\n");
        List<String> before = files(repo);

        HostileCorpus.Outcome dry = backup(spec, "prune", "--dry-run");
        assertThat(dry.exit()).as(dry.all()).isZero();
        assertThat(dry.out()).contains("would forget 1 snapshot (" + first + ")")
                .contains("the plan (nothing was changed):")
                .contains("  forget snapshot " + first + "\n")
                .containsPattern("  (delete|repack) pack [0-9a-f]+");
        assertThat(dry.out()).doesNotContain(second);
        assertThat(files(repo)).as("a dry run changes nothing").isEqualTo(before);

        HostileCorpus.Outcome pruned = backup(spec, "prune");
        assertThat(pruned.exit()).as(pruned.all()).isZero();
        assertThat(pruned.out()).contains("forgot 1 snapshot (" + first + ")").doesNotContain("the plan");
        assertThat(files(repo)).isNotEqualTo(before);
        assertThat(backup(spec, "verify").exit()).isZero();

        HostileCorpus.Outcome again = backup(spec, "prune", "--dry-run");
        assertThat(again.out()).contains("the plan: nothing to do");
    }
}
