package dev.kiban.monitor;

import dev.kiban.engine.ContainerCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A container's counters read straight from its cgroup, as the kernel keeps them: microseconds per
 * container instead of an engine round trip. Knows cgroup v1 and v2 under the cgroupfs and systemd
 * drivers; empty when none of the places exists (a remote engine, another runtime), and the agent
 * asks the engine instead.
 */
public final class CgroupFiles {
    private final Path root;

    public CgroupFiles(Path root) {
        this.root = root;
    }

    public static CgroupFiles system() {
        return new CgroupFiles(Path.of("/sys/fs/cgroup"));
    }

    public boolean v2() {
        return Files.exists(root.resolve("cgroup.controllers"));
    }

    public Optional<ContainerCounters> read(String id) {
        try {
            return v2() ? readV2(id) : readV1(id);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the container stopped between the listing and the read
        }
    }

    private Optional<Path> first(List<Path> candidates) {
        return candidates.stream().filter(Files::isDirectory).findFirst();
    }

    private Optional<ContainerCounters> readV1(String id) throws IOException {
        Optional<Path> cpu = first(List.of(root.resolve("cpuacct/docker/" + id),
                root.resolve("cpu,cpuacct/docker/" + id),
                root.resolve("cpuacct/system.slice/docker-" + id + ".scope"),
                root.resolve("cpu,cpuacct/system.slice/docker-" + id + ".scope")));
        Optional<Path> mem = first(List.of(root.resolve("memory/docker/" + id),
                root.resolve("memory/system.slice/docker-" + id + ".scope")));
        if (cpu.isEmpty() || mem.isEmpty()) return Optional.empty();
        long cpuNanos = Long.parseLong(Files.readString(cpu.get().resolve("cpuacct.usage")).strip());
        long usage = Long.parseLong(Files.readString(mem.get().resolve("memory.usage_in_bytes")).strip());
        long inactive = stat(mem.get().resolve("memory.stat"), "total_inactive_file");
        long limit = Long.parseLong(Files.readString(mem.get().resolve("memory.limit_in_bytes")).strip());
        long oom = stat(mem.get().resolve("memory.oom_control"), "oom_kill");
        return Optional.of(new ContainerCounters(cpuNanos, usage, inactive, limit >= (1L << 60) ? 0 : limit, oom));
    }

    private Optional<ContainerCounters> readV2(String id) throws IOException {
        Optional<Path> dir = first(List.of(root.resolve("system.slice/docker-" + id + ".scope"),
                root.resolve("docker/" + id)));
        if (dir.isEmpty()) return Optional.empty();
        long cpuNanos = stat(dir.get().resolve("cpu.stat"), "usage_usec") * 1000;
        long usage = Long.parseLong(Files.readString(dir.get().resolve("memory.current")).strip());
        long inactive = stat(dir.get().resolve("memory.stat"), "inactive_file");
        String max = Files.readString(dir.get().resolve("memory.max")).strip();
        long oom = stat(dir.get().resolve("memory.events"), "oom_kill");
        return Optional.of(new ContainerCounters(cpuNanos, usage, inactive, max.equals("max") ? 0
                : Long.parseLong(max), oom));
    }

    /** The value of {@code key} in a "key value" file; 0 when absent. */
    static long stat(Path file, String key) throws IOException {
        if (!Files.exists(file)) return 0;
        for (String line : Files.readAllLines(file)) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.substring(0, sp).equals(key)) return Long.parseLong(line.substring(sp + 1).strip());
        }
        return 0;
    }
}
