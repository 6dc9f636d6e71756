package dev.kiban.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A file or directory as it is on the host now: what the planner compares the rendering with. */
public record ObservedFile(boolean directory, String content, String mode, String owner) {

    /** Reads each host path under {@code root} (absent paths map to empty). */
    public static Map<String, Optional<ObservedFile>> read(Path root, Iterable<String> hostPaths) throws IOException {
        Map<String, Optional<ObservedFile>> out = new LinkedHashMap<>();
        for (String p : hostPaths) out.put(p, read(HostRoot.resolve(root, p)));
        return out;
    }

    static Optional<ObservedFile> read(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String owner = a.owner().getName() + ":" + a.group().getName();
        String mode = PosixFilePermissions.toString(a.permissions());
        if (a.isDirectory()) return Optional.of(new ObservedFile(true, "", mode, owner));
        return Optional.of(new ObservedFile(false, new String(Files.readAllBytes(path), StandardCharsets.UTF_8), mode, owner));
    }
}
