package dev.kiban.os;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The weekly routine's jobs (R9.1) and their logs: each job's systemd service appends one line a run, in the
 * backup log's format ({@link BackupLog}: {@code <UTC time> OK|FAILED <detail>}), to {@code <job>.log} under the
 * spec's {@code maintenance.logs}. The host renders the units, the cli writes the lines, status and the monitor
 * read the last one: the names live here so that none of them needs another.
 */
public enum RoutineLog {
    IMAGE_PRUNE("image-prune", "the image clean-up"),
    BACKUP_VERIFY("backup-verify", "the backup's read-back"),
    ENGINE_UPDATE("engine-update", "the engine's update window"),
    /** Only when the spec's {@code maintenance.offsiteCopy} is set. */
    BACKUP_COPY("backup-copy", "the off-site copy");

    private final String job;
    private final String what;

    RoutineLog(String job, String what) {
        this.job = job;
        this.what = what;
    }

    /** The job's name: {@code image-prune}, as in its unit {@code kiban-image-prune.service} and its log. */
    public String job() {
        return job;
    }

    /** What the job is, for a sentence. */
    public String what() {
        return what;
    }

    /** The job's systemd service. */
    public String service() {
        return "kiban-" + job + ".service";
    }

    /** The job's timer. */
    public String timer() {
        return "kiban-" + job + ".timer";
    }

    /** Its log under the spec's {@code maintenance.logs}. */
    public Path file(Path logs) {
        return logs.resolve(job + ".log");
    }

    /** The jobs the spec has: all but the off-site copy, which only a set {@code maintenance.offsiteCopy} has. */
    public static java.util.List<RoutineLog> enabled(dev.kiban.spec.PlatformSpec spec) {
        return java.util.Arrays.stream(values())
                .filter(r -> r != BACKUP_COPY || spec.maintenance().offsiteCopy().isPresent()).toList();
    }

    /** When the spec runs the job: the off-site copy without a schedule of its own runs on the backup's. */
    public dev.kiban.spec.Schedule schedule(dev.kiban.spec.PlatformSpec spec) {
        var m = spec.maintenance();
        return switch (this) {
            case IMAGE_PRUNE -> m.images().schedule();
            case BACKUP_VERIFY -> m.verify().schedule();
            case ENGINE_UPDATE -> m.engineUpdate().schedule();
            case BACKUP_COPY -> m.offsiteCopy().flatMap(dev.kiban.spec.PlatformSpec.OffsiteCopy::schedule)
                    .orElse(spec.backup().schedule());
        };
    }

    public static Optional<RoutineLog> of(String job) {
        for (RoutineLog r : values()) {
            if (r.job.equals(job)) return Optional.of(r);
        }
        return Optional.empty();
    }

    /**
     * The line for a run that ended so, from what systemd hands an {@code ExecStopPost=} command:
     * {@code $SERVICE_RESULT} ({@code success}, {@code exit-code}, {@code timeout}, …), {@code $EXIT_CODE}
     * ({@code exited}, {@code killed}, …) and {@code $EXIT_STATUS}.
     */
    public BackupLog.Line line(java.time.Instant at, String serviceResult, String exitCode, String exitStatus) {
        String result = serviceResult == null || serviceResult.isBlank() ? "unknown" : serviceResult.strip();
        if (result.equals("success")) {
            return new BackupLog.Line(at, BackupLog.Status.OK, job + ": " + what + " succeeded");
        }
        String how = (exitCode == null || exitCode.isBlank() ? "" : " (" + exitCode.strip()
                + (exitStatus == null || exitStatus.isBlank() ? "" : " " + exitStatus.strip()) + ")");
        return new BackupLog.Line(at, BackupLog.Status.FAILED, job + ": " + what + " failed: " + result + how
                + "; journalctl -u " + service() + " says why");
    }
}
