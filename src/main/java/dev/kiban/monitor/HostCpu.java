package dev.kiban.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's CPU use from the first line of /proc/stat: the share of all cores' time since the previous reading
 * that was neither idle nor waiting for I/O. NaN at the first reading (a rate needs two) and when the file cannot
 * be read.
 */
public final class HostCpu {
    private final Path stat;
    private long busy = -1;
    private long total = -1;

    public HostCpu(Path stat) {
        this.stat = stat;
    }

    public static HostCpu system() {
        return new HostCpu(Path.of("/proc/stat"));
    }

    /** Percent of all cores since the previous call. */
    public synchronized double percent() {
        long[] now;
        try {
            now = parse(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        double out = Double.NaN;
        if (total >= 0 && now[1] > total && now[0] >= busy) out = (now[0] - busy) * 100.0 / (now[1] - total);
        busy = now[0];
        total = now[1];
        return out;
    }

    /** {busy, total} jiffies of the "cpu" line: user nice system idle iowait irq softirq steal (guest is in user). */
    static long[] parse(String text) {
        String line = text.lines().filter(l -> l.startsWith("cpu ")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cpu line"));
        String[] f = line.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) total += Long.parseLong(f[i]);
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {total - idle, total};
    }
}
