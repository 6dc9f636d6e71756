package dev.kiban.status;

import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.EngineInfo;
import dev.kiban.os.BackupLog;
import dev.kiban.os.FilesystemUsage;
import dev.kiban.os.RoutineLog;
import dev.kiban.spec.Percent;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code kiban status}: the engine, its containers, and the platform's disks against the spec's disk
 * threshold, gathered in one pass. Findings (a disk over the threshold, an unhealthy or restarting
 * container) make the command exit 1.
 */
public record PlatformStatus(
        String engineAddress,
        String spec,
        EngineInfo engine,
        Optional<Integer> services,
        Containers containers,
        int volumes,
        List<DiskStatus> disks,
        List<RoutineRun> routine,
        List<String> findings) {

    /**
     * A scheduled job's last run as its log's last line says (the backup, then the weekly routine, R9.1): empty
     * when it has not run; {@code failed} when that line is FAILED or not one kiban writes.
     */
    public record RoutineRun(String job, String log, Optional<String> lastLine, boolean failed) {}

    /** Reads a log's last line; a parameter so tests need no log files. */
    @FunctionalInterface
    public interface LogReader {
        Optional<String> lastLine(Path log) throws IOException;
    }

    public record Containers(int running, int stopped, int unhealthy, int restarting, List<String> unhealthyNames,
            List<String> restartingNames) {}

    /**
     * A path the platform depends on and how full its filesystem is; {@code usage} is empty when the path is absent
     * here.
     */
    public record DiskStatus(String role, String path, Optional<FilesystemUsage> usage, double thresholdPercent) {
        public boolean overThreshold() {
            return usage.map(u -> u.usedPercent() > thresholdPercent).orElse(false);
        }
    }

    /** Reads the filesystem usage of a path; a parameter so tests need no particular disks. */
    @FunctionalInterface
    public interface DiskProbe {
        Optional<FilesystemUsage> usage(Path path) throws IOException;
    }

    public static final double DEFAULT_DISK_THRESHOLD = 80;

    /** Composes the status from an engine snapshot and the spec; reads only the disks, through {@code probe}. */
    public static PlatformStatus of(EngineSnapshot snapshot, PlatformSpec spec, String specName, DiskProbe probe) {
        return of(snapshot, spec, specName, probe, log -> Optional.empty());
    }

    /** The same, with each scheduled job's last run read through {@code logs}. */
    public static PlatformStatus of(EngineSnapshot snapshot, PlatformSpec spec, String specName, DiskProbe probe,
                                    LogReader logs) {
        EngineInfo info = snapshot.info();
        List<ContainerSummary> all = snapshot.containers();
        List<String> unhealthy = all.stream().filter(c -> c.health() == ContainerSummary.Health.UNHEALTHY)
                .map(ContainerSummary::name).sorted().toList();
        List<String> restarting = all.stream().filter(ContainerSummary::restarting).map(ContainerSummary::name).sorted()
                .toList();
        int running = (int) all.stream().filter(ContainerSummary::running).count();
        Containers containers = new Containers(running, all.size() - running - restarting.size(), unhealthy.size(),
                restarting.size(), unhealthy, restarting);

        double threshold = spec.monitor().threshold(PlatformSpec.Metric.DISK).map(Percent::value)
                .orElse(DEFAULT_DISK_THRESHOLD);
        List<DiskStatus> disks = new ArrayList<>();
        if (snapshot.address().isLocal() && info.dataRoot() != null) disks.add(disk("engine data root", info.dataRoot(),
                threshold, probe));
        disks.add(disk("volume data (storage.data)", spec.storage().data().value(), threshold, probe));
        disks.add(disk("backup repository (backup.repository)", spec.backup().repository().value(), threshold, probe));

        List<String> findings = new ArrayList<>();
        for (DiskStatus d : disks) {
            if (d.overThreshold()) {
                findings.add(String.format(java.util.Locale.ROOT, "%s %s is %.0f%% full (threshold %s)", d.role(),
                        d.path(), d.usage().orElseThrow().usedPercent(), new Percent(threshold)));
            }
        }
        unhealthy.forEach(n -> findings.add("container " + n + " is unhealthy"));
        restarting.forEach(n -> findings.add("container " + n + " is restarting"));
        List<RoutineRun> routine = routine(spec, logs);
        routine.stream().filter(RoutineRun::failed).forEach(r -> findings.add(r.job() + "'s last run failed: "
                + r.lastLine().orElse("")));
        return new PlatformStatus(snapshot.address().uri(), specName, info, snapshot.services(), containers,
                snapshot.volumes(), disks, routine, findings);
    }

    /** The backup's log and the weekly routine's, each job's last line. */
    static List<RoutineRun> routine(PlatformSpec spec, LogReader logs) {
        List<RoutineRun> out = new ArrayList<>();
        out.add(run("backup", Path.of(spec.backup().log().value()), logs));
        Path dir = Path.of(spec.maintenance().logs().value());
        for (RoutineLog job : RoutineLog.enabled(spec)) out.add(run(job.job(), job.file(dir), logs));
        return List.copyOf(out);
    }

    private static RoutineRun run(String job, Path log, LogReader logs) {
        Optional<String> last;
        try {
            last = logs.lastLine(log);
        } catch (IOException e) {
            last = Optional.of("unreadable: " + e.getMessage());
        }
        boolean failed = last.isPresent() && BackupLog.parse(last.get()).map(l -> !l.ok()).orElse(true);
        return new RoutineRun(job, log.toString(), last, failed);
    }

    private static DiskStatus disk(String role, String path, double threshold, DiskProbe probe) {
        Optional<FilesystemUsage> usage;
        try {
            usage = probe.usage(Path.of(path));
        } catch (IOException e) {
            usage = Optional.empty();
        }
        return new DiskStatus(role, path, usage, threshold);
    }
}
