package dev.kiban.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The repository's {@code damaged/} directory: repair and prune move what they cannot use there, by time
 * and kind, rather than delete it.
 */
final class DamagedArea {
    static final String DIR = "damaged";

    private final Path dir;
    private final ChunkStore chunks;

    DamagedArea(Path dir, ChunkStore chunks) {
        this.dir = dir;
        this.chunks = chunks;
    }

    static String stamp() {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    }

    /** Moves a file into {@code damaged/<stamp>/<kind>/}, kept for a post-mortem rather than deleted; the new path. */
    Path moveAside(Path file, String stamp, String kind) throws IOException {
        Path into = dir.resolve(DIR).resolve(stamp).resolve(kind);
        Files.createDirectories(into, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Path target = into.resolve(file.getFileName());
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    void moveDamagedIndexAside(String pack, String stamp) throws IOException {
        Path index = chunks.indexPath(pack);
        if (Files.exists(index, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(index)) {
            moveAside(index, stamp, "index");
            chunks.forgetDamagedIndex(pack);
        }
    }
}
