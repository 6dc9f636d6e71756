package dev.kiban.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ContainerSummary;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.FakePrograms;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** verify's backup-consistent check (issue 16, item 2): PASS with no unlabelled database, FAIL naming them. */
class BackupConsistentCheckTest {
    static Check.Outcome run(FakeEngine engine) throws Exception {
        var spec = SpecDocument.parse("kiban.yaml", "admin: {email: ops@example.org}\n", false).require();
        return UnitChecks.backupConsistent().run(new CheckContext(spec, Path.of("/nonexistent-root"),
                () -> engine == null ? Optional.empty() : Optional.of(engine), FakePrograms.none(), "web", 80, "tool",
                1));
    }

    @Test
    void passesWhenEveryDatabaseIsLabelled() throws Exception {
        var engine = FakeEngine.withContainers(
                new ContainerSummary("1", "db", "postgres:16", "running", "Up", Map.of("kiban.backup.stop", "true")),
                new ContainerSummary("2", "web", "nginx", "running", "Up", Map.of()));
        assertThat(run(engine).verdict()).isEqualTo(CheckResult.Verdict.PASS);
    }

    @Test
    void failsNamingTheUnlabelledDatabasesAndTheLabel() throws Exception {
        var engine = FakeEngine.withContainers(
                new ContainerSummary("1", "shop-db", "mariadb:11", "running", "Up", Map.of()),
                new ContainerSummary("2", "cache", "redis:7", "running", "Up", Map.of()));
        Check.Outcome o = run(engine);
        assertThat(o.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(o.evidence()).contains("shop-db looks like a database (image mariadb:11)", "cache looks like",
                "kiban.backup.stop=true", "kiban.backup.pre=");
    }

    @Test
    void skipsWithoutAnEngine() throws Exception {
        assertThat(run(null).verdict()).isEqualTo(CheckResult.Verdict.SKIP);
    }
}
