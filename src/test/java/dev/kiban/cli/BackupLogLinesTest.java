package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.EngineUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failed backup run leaves exactly one FAILED line: the monitor reads the last one. */
class BackupLogLinesTest {
    @TempDir
    Path dir;

    HostileCorpus.Outcome backup(String... more) throws Exception {
        return backup(dir.resolve("backup.log"), more);
    }

    HostileCorpus.Outcome backup(Path log, String... more) throws Exception {
        Path spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, CommandLineTest.FILLED + "storage: {compose: " + dir.resolve("no-compose") + "}\n");
        List<String> args = new java.util.ArrayList<>(List.of("-c", spec.toString(), "backup", "run",
                "--allow-root-filesystem", "--log", log.toString()));
        args.addAll(List.of(more));
        return HostileCorpus.run(Map.of(), a -> {
            throw new EngineUnavailableException("no engine in this test");
        }, "", args.toArray(String[]::new));
    }

    List<String> logLines() throws Exception {
        return Files.readAllLines(dir.resolve("backup.log"));
    }

    @Test
    void aRepositoryThatCannotBeOpenedLogsOneFailedLine() throws Exception {
        Path notARepository = Files.writeString(dir.resolve("file"), "x");
        Files.createDirectories(dir.resolve("data"));
        HostileCorpus.Outcome o = backup("-r", notARepository.toString(), "--path", dir.resolve("data").toString());
        assertThat(o.exit()).as(o.err()).isEqualTo(2);
        assertThat(logLines()).singleElement().asString().contains(" FAILED ").contains("not a directory");
    }

    @Test
    void aLogDirectoryThatIsALinkIsNotWrittenThrough() throws Exception {
        HostileCorpus.Sentinel sentinel = HostileCorpus.Sentinel.plant(dir.resolve("elsewhere"));
        Path linked = Files.createSymbolicLink(dir.resolve("logs"), sentinel.dir());
        HostileCorpus.Outcome o = backup(linked.resolve("backup.log"), "-r", dir.resolve("repo").toString(),
                "--source", "compose");
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err()).contains("the backup log " + linked.resolve("backup.log") + " cannot be written")
                .contains("is a symbolic link, not a directory");
        sentinel.assertUnchanged();
    }

    @Test
    void nothingToBackUpLogsOneFailedLine() throws Exception {
        HostileCorpus.Outcome o = backup("-r", dir.resolve("repo").toString(), "--source", "compose");
        assertThat(o.exit()).as(o.err()).isEqualTo(1);
        assertThat(logLines()).singleElement().asString().contains(" FAILED ").contains("nothing to back up");
    }
}
