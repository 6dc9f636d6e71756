package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.failure.UsageException;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecFiles;
import dev.kiban.testing.TestSwarm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which sources a run reads, without an engine: files only, and a note for what was left out. */
class BackupSourcesTest {
    @TempDir
    Path dir;

    private PlatformSpec spec() throws Exception {
        Path volumes = Files.createDirectories(dir.resolve("volumes"));
        Files.createDirectories(volumes.resolve("db_data"));
        Files.createDirectories(dir.resolve("compose"));
        return SpecFiles.load(TestSwarm.spec(dir, "storage: {volumes: " + volumes + ", compose: "
                + dir.resolve("compose") + "}\n").toString()).require();
    }

    @Test
    void withoutAnEngineTheFilesAreReadAndImagesAndSwarmAreNoted() throws Exception {
        Path extra = Files.createDirectories(dir.resolve("extra"));
        BackupSources.Selection s = BackupSources.select(spec(), List.of(PlatformSpec.BackupSource.VOLUMES,
                PlatformSpec.BackupSource.IMAGES, PlatformSpec.BackupSource.COMPOSE, PlatformSpec.BackupSource.SWARM),
                List.of(extra), null);
        assertThat(s.files()).extracting(BackupRepository.Source::name)
                .containsExactly("volume:db_data", "compose", "path:" + extra.toAbsolutePath().normalize());
        assertThat(s.streams()).isEmpty();
        assertThat(s.notes()).containsExactly("images: skipped, no engine", "swarm: skipped, no engine");
        assertThat(s.empty()).isFalse();
        assertThat(BackupSources.quiesce(null, java.util.Set.of("x"))).isSameAs(BackupRepository.Quiesce.NONE);
    }

    @Test
    void aMissingComposeTreeIsNotedAndAPathThatIsNoDirectoryIsAUsageMistake() throws Exception {
        PlatformSpec spec = spec();
        Files.delete(dir.resolve("compose"));
        BackupSources.Selection s = BackupSources.select(spec, List.of(PlatformSpec.BackupSource.COMPOSE), List.of(),
                null);
        assertThat(s.empty()).isTrue();
        assertThat(s.notes()).singleElement().asString().startsWith("compose: no compose tree at ");
        assertThatThrownBy(() -> BackupSources.select(spec, List.of(), List.of(dir.resolve("nowhere")), null))
                .isInstanceOf(UsageException.class).hasMessageContaining("not a directory");
    }
}
