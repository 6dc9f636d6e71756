package dev.kiban.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupLogTest {
    @TempDir
    Path dir;

    @Test
    void linesWrittenParseBackToWhatWasWritten() throws Exception {
        BackupLog log = new BackupLog(dir.resolve("log/backup.log"));
        assertThat(log.lastLine()).isEmpty();
        log.ok("snapshot 20261205T020000Z-1a2b: 3 sources, 10 files (2 unchanged), in 1.5 s");
        log.failed("/mnt/backup/docker: the backup disk\nis full");
        List<String> lines = Files.readAllLines(log.file());
        assertThat(lines).hasSize(2);
        BackupLog.Line ok = BackupLog.parse(lines.get(0)).orElseThrow();
        assertThat(ok.ok()).isTrue();
        assertThat(ok.snapshot()).contains("20261205T020000Z-1a2b");
        assertThat(ok.detail()).startsWith("snapshot 20261205T020000Z-1a2b: 3 sources");
        BackupLog.Line failed = BackupLog.parse(log.lastLine().orElseThrow()).orElseThrow();
        assertThat(failed.status()).isEqualTo(BackupLog.Status.FAILED);
        assertThat(failed.detail()).as("one line per run").isEqualTo("/mnt/backup/docker: the backup disk is full");
        assertThat(failed.snapshot()).isEmpty();
        assertThat(failed.time()).isAfterOrEqualTo(ok.time());
        BackupLog.Line line = new BackupLog.Line(Instant.parse("2026-12-05T02:00:00Z"), BackupLog.Status.OK, "x");
        assertThat(BackupLog.parse(line.format())).contains(line);
    }

    @Test
    void linesAlreadyInLogsStillParse() {
        BackupLog.Line old = BackupLog.parse("2026-11-28T02:00:00Z OK snapshot 20261128T020000Z-1: 3 sources")
                .orElseThrow();
        assertThat(old.time()).isEqualTo(Instant.parse("2026-11-28T02:00:00Z"));
        assertThat(old.snapshot()).contains("20261128T020000Z-1");
        BackupLog.Line nanos = BackupLog.parse("2026-12-04T02:00:00.123456789Z FAILED /mnt/backup/docker: disk full")
                .orElseThrow();
        assertThat(nanos.ok()).isFalse();
        assertThat(nanos.detail()).isEqualTo("/mnt/backup/docker: disk full");
        assertThat(BackupLog.parse("2026-12-04T02:00:00Z OK").orElseThrow().detail()).isEmpty();
        assertThat(BackupLog.parse("2026-12-04T02:00:00Z OK snapshot x").orElseThrow().snapshot()).contains("x");
    }

    @Test
    void malformedLinesAreReportedNotThrown() {
        assertThat(BackupLog.parse("")).isEmpty();
        assertThat(BackupLog.parse(null)).isEmpty();
        assertThat(BackupLog.parse("garbage")).isEmpty();
        assertThat(BackupLog.parse("yesterday OK snapshot x")).isEmpty();
        assertThat(BackupLog.parse("2026-12-04T02:00:00Z")).isEmpty();
        assertThat(BackupLog.parse("2026-12-04T02:00:00Z MAYBE snapshot x")).isEmpty();
        assertThat(BackupLog.parse("2026-12-04T02:00:00Z OK snapshot").map(BackupLog.Line::snapshot))
                .contains(Optional.empty());
    }
}
