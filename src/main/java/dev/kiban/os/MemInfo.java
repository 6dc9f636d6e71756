package dev.kiban.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's memory as /proc/meminfo states it (in kB there, bytes here); a field it lacks is 0. */
public record MemInfo(long totalBytes, long availableBytes) {
    public static final Path PROC = Path.of("/proc/meminfo");

    /** This machine's. */
    public static MemInfo read() throws IOException {
        return parse(Files.readString(PROC));
    }

    /** @throws NumberFormatException on a MemTotal or MemAvailable line without a number */
    public static MemInfo parse(String text) {
        long total = 0;
        long available = 0;
        for (String l : text.lines().toList()) {
            if (l.startsWith("MemTotal:")) total = kilobytes(l) * 1024;
            if (l.startsWith("MemAvailable:")) available = kilobytes(l) * 1024;
        }
        return new MemInfo(total, available);
    }

    /** Memory in use: what is not available to start new work without swapping. */
    public long usedBytes() {
        return totalBytes - availableBytes;
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("\\D", ""));
    }
}
