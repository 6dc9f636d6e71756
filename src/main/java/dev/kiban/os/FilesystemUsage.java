package dev.kiban.os;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** How full the filesystem holding a path is, computed as {@code df} does (used / (used + available)). */
public record FilesystemUsage(String path, String filesystem, long totalBytes, long usedBytes, long availableBytes) {

    /** The usage of the filesystem holding {@code path}; empty when the path does not exist. */
    public static Optional<FilesystemUsage> of(Path path) throws IOException {
        if (!Files.exists(path)) return Optional.empty();
        FileStore store = Files.getFileStore(path);
        long total = store.getTotalSpace();
        long used = total - store.getUnallocatedSpace();
        return Optional.of(new FilesystemUsage(path.toString(), store.name(), total, used, store.getUsableSpace()));
    }

    public double usedPercent() {
        long denominator = usedBytes + availableBytes;
        return denominator == 0 ? 0 : 100.0 * usedBytes / denominator;
    }
}
