package dev.kiban.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The routine's log lines are the backup log's: what the monitor and status already parse. */
class RoutineLogTest {
    static final Instant AT = Instant.parse("2026-12-06T03:00:05Z");

    @Test
    void aSuccessIsAnOkLineAndAFailureSaysHowAndWhereToLook() {
        BackupLog.Line ok = RoutineLog.IMAGE_PRUNE.line(AT, "success", "exited", "0");
        assertThat(ok.format()).isEqualTo("2026-12-06T03:00:05Z OK image-prune: the image clean-up succeeded");
        assertThat(BackupLog.parse(ok.format())).contains(ok);
        BackupLog.Line failed = RoutineLog.BACKUP_VERIFY.line(AT, "exit-code", "exited", "1");
        assertThat(failed.format()).isEqualTo("2026-12-06T03:00:05Z FAILED backup-verify: the backup's read-back "
                + "failed: exit-code (exited 1); journalctl -u kiban-backup-verify.service says why");
        assertThat(RoutineLog.ENGINE_UPDATE.line(AT, null, null, null).ok()).as("not run by systemd").isFalse();
    }

    @Test
    void eachJobHasItsUnitsAndItsLog() {
        assertThat(RoutineLog.of("engine-update")).contains(RoutineLog.ENGINE_UPDATE);
        assertThat(RoutineLog.of("docker-system-prune")).isEmpty();
        assertThat(RoutineLog.IMAGE_PRUNE.timer()).isEqualTo("kiban-image-prune.timer");
        assertThat(RoutineLog.IMAGE_PRUNE.file(Path.of("/var/log/kiban"))).isEqualTo(Path.of(
                "/var/log/kiban/image-prune.log"));
    }
}
