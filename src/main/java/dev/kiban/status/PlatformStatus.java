package dev.kiban.status;

import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.EngineInfo;
import dev.kiban.os.FilesystemUsage;
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
        List<String> findings) {

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
        return new PlatformStatus(snapshot.address().uri(), specName, info, snapshot.services(), containers,
                snapshot.volumes(), disks, findings);
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
