package dev.kiban.monitor;

import dev.kiban.os.MemInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's CPU count and memory, from /proc: what a container without limits is measured against. */
public record HostFacts(int cpus, long memoryBytes) {
    public static HostFacts read() {
        int cpus = Runtime.getRuntime().availableProcessors();
        long memory = 0;
        try {
            memory = MemInfo.read().totalBytes();
            long online = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*"))
                    .count();
            if (online > 0) cpus = (int) online;
        } catch (IOException | RuntimeException e) {
            memory = Runtime.getRuntime().maxMemory();
        }
        return new HostFacts(cpus, memory);
    }
}
