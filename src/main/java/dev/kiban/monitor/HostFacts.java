package dev.kiban.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's CPU count and memory, from /proc: what a container without limits is measured against. */
public record HostFacts(int cpus, long memoryBytes) {
    public static HostFacts read() {
        int cpus = Runtime.getRuntime().availableProcessors();
        long memory = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) memory = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
            long online = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            if (online > 0) cpus = (int) online;
        } catch (IOException | RuntimeException e) {
            memory = Runtime.getRuntime().maxMemory();
        }
        return new HostFacts(cpus, memory);
    }
}
