package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.os.BackupLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiban routine record JOB}: the line a job's ExecStopPost= leaves in its log. */
class RoutineRecordCommandTest {
    @TempDir
    Path dir;

    CommandLineTest.Run record(Map<String, String> env, String job) throws Exception {
        Path spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, CommandLineTest.FILLED + "maintenance: {logs: " + dir.resolve("logs") + "}\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine(new KibanContext(env, a -> {
            throw new AssertionError("no engine");
        }));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("-c", spec.toString(), "routine", "record", job);
        return new CommandLineTest.Run(exit, out.toString(), err.toString());
    }

    @Test
    void eachRunAppendsOneLineTheBackupLogsReaderParses() throws Exception {
        assertThat(record(Map.of("SERVICE_RESULT", "success", "EXIT_CODE", "exited", "EXIT_STATUS", "0"),
                "image-prune").exit()).isZero();
        CommandLineTest.Run failed = record(Map.of("SERVICE_RESULT", "exit-code", "EXIT_CODE", "exited",
                "EXIT_STATUS", "1"), "image-prune");
        assertThat(failed.exit()).isZero();
        assertThat(failed.out()).contains("FAILED image-prune:");
        List<String> lines = Files.readAllLines(dir.resolve("logs/image-prune.log"));
        assertThat(lines).hasSize(2);
        assertThat(BackupLog.parse(lines.get(0)).orElseThrow().ok()).isTrue();
        assertThat(BackupLog.parse(lines.get(1)).orElseThrow().detail()).contains("exit-code (exited 1)");
    }

    @Test
    void anUnknownJobIsAUsageError() throws Exception {
        CommandLineTest.Run r = record(Map.of(), "system-prune");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no job system-prune", "image-prune, backup-verify, engine-update");
        assertThat(dir.resolve("logs")).doesNotExist();
    }
}
