package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ContainerSummary;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.FakePrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup run's guards (issue 16): a running database with no kiban.backup label is named with the label to add,
 * and the run goes on; --stop names one to stop, which is enough.
 */
class BackupRunGuardsTest {
    @TempDir
    Path dir;

    Path spec;
    Path data;

    @BeforeEach
    void setUp() throws Exception {
        data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("f"), "x\n");
        spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, CommandLineTest.FILLED + "storage: {compose: " + dir.resolve("no-compose") + "}\n");
    }

    BackupSwarmStateTest.Outcome run(FakeEngine engine, String... more) {
        List<String> args = new ArrayList<>(List.of("-c", spec.toString(), "backup", "run", "--allow-root-filesystem",
                "--source", "volumes,compose", "--path", data.toString(), "-r", dir.resolve("repo").toString(), "--log",
                dir.resolve("backup.log").toString()));
        args.addAll(List.of(more));
        return BackupSwarmStateTest.run(engine, FakePrograms.none(), "", args.toArray(String[]::new));
    }

    static FakeEngine engine() {
        return FakeEngine.withContainers(
                new ContainerSummary("1", "shop-db", "docker.io/library/postgres:16", "running", "Up", Map.of()),
                new ContainerSummary("2", "cache", "redis:7", "running", "Up", Map.of("kiban.backup.stop", "true")),
                new ContainerSummary("3", "web", "nginx", "running", "Up", Map.of()));
    }

    @Test
    void anUnlabelledDatabaseIsNamedWithTheLabelToAddAndTheRunGoesOn() {
        var o = run(engine());
        assertThat(o.exit()).as(o.all()).isZero();
        assertThat(o.out()).contains("warning: shop-db looks like a database (image docker.io/library/postgres:16)",
                "kiban.backup.stop=true", "kiban.backup.pre='pg_dumpall").doesNotContain("cache looks", "web looks");
        assertThat(o.out()).containsPattern("snapshot \\S+: ");
    }

    @Test
    void theJsonReportCarriesTheWarningAndStderrShowsIt() {
        var o = run(engine(), "--json");
        assertThat(o.exit()).as(o.all()).isZero();
        assertThat(o.err()).contains("warning: shop-db looks like a database");
        assertThat(o.out()).contains("\"warning: shop-db looks like a database");
    }

    @Test
    void aRunWithoutVolumesWarnsOfNothing() {
        var o = BackupSwarmStateTest.run(engine(), FakePrograms.none(), "", "-c", spec.toString(), "backup", "run",
                "--allow-root-filesystem", "--source", "compose", "--path", data.toString(), "-r",
                dir.resolve("repo").toString(), "--log", dir.resolve("backup.log").toString());
        assertThat(o.exit()).as(o.all()).isZero();
        assertThat(o.all()).doesNotContain("looks like a database");
    }

    @Test
    void aContainerStoppedByNameIsNotNamed() {
        var o = run(engine(), "--stop", "shop-db");
        assertThat(o.exit()).as(o.all()).isZero();
        assertThat(o.all()).doesNotContain("looks like a database");
    }
}
