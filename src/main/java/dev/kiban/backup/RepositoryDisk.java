package dev.kiban.backup;

import dev.kiban.os.HostRoot;
import dev.kiban.os.Mounts;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a backup may be written to its repository (issue 16, item 3): the repository must be on a filesystem of its
 * own, mounted at or above it, not the root filesystem (an unmounted backup disk would fill it); when the spec names
 * the disk ({@code backup.repositoryDisk}), that filesystem must be on that disk. {@link #decide} is pure;
 * {@link #check} reads the mounts and the disk names under a root.
 */
public final class RepositoryDisk {
    private RepositoryDisk() {}

    /** The operator's way out of the own-filesystem rule: a deliberate repository on the root filesystem. */
    public static final String OVERRIDE = "--allow-root-filesystem";

    /**
     * Why the repository at {@code path} (absolute, normalized, links resolved) may not be written, if it may not.
     * {@code mounts} is the mounts table, its devices the kernel's names ({@link Mounts#device}); {@code byUuid} and
     * {@code byLabel} map {@code /dev/disk/by-uuid} and {@code by-label} names to those devices. {@code allowRoot}: the
     * operator's {@value #OVERRIDE} (a named disk is still checked).
     */
    public static Optional<String> decide(List<Mounts.Mount> mounts, String path, Optional<PlatformSpec.RepositoryDisk>
            disk, Map<String, String> byUuid, Map<String, String> byLabel, boolean allowRoot) {
        Optional<Mounts.Mount> at = Mounts.containing(mounts, path);
        if (at.isEmpty()) {
            return allowRoot && disk.isEmpty() ? Optional.empty() : Optional.of("the mounts table (/proc/mounts) "
                    + "says nothing of " + path + ", so its disk cannot be told");
        }
        Mounts.Mount mount = at.get();
        if (disk.isPresent()) return named(mount, path, disk.get(), byUuid, byLabel);
        if (allowRoot) return Optional.empty();
        if (mount.point().equals("/")) {
            return Optional.of(path + " is on the root filesystem: no disk is mounted at or above it (is the backup "
                    + "disk mounted?)");
        }
        Optional<Mounts.Mount> root = Mounts.containing(mounts, "/").filter(r -> r.point().equals("/"));
        if (root.isPresent() && root.get().device().equals(mount.device()) && mount.device().startsWith("/")) {
            return Optional.of(path + " is on " + mount.point() + ", a mount of " + mount.device()
                    + ", the root filesystem's own device (a bind mount), not a disk of its own");
        }
        return Optional.empty();
    }

    private static Optional<String> named(Mounts.Mount mount, String path, PlatformSpec.RepositoryDisk disk,
            Map<String, String> byUuid, Map<String, String> byLabel) {
        boolean uuid = disk.uuid().isPresent();
        String name = uuid ? disk.uuid().get() : disk.label().get();
        String spec = "backup.repositoryDisk's " + (uuid ? "uuid " : "label ") + name;
        // blkid shows FAT's and NTFS's ids in upper case and udev names them so; ext4's UUIDs are lower case
        Optional<String> device = (uuid ? byUuid : byLabel).entrySet().stream()
                .filter(e -> uuid ? e.getKey().equalsIgnoreCase(name) : e.getKey().equals(name))
                .map(Map.Entry::getValue).findFirst();
        if (device.isEmpty()) {
            return Optional.of(spec + " is no disk of this host (/dev/disk/" + (uuid ? "by-uuid" : "by-label")
                    + " has no such name): is the backup disk attached?");
        }
        if (!device.get().equals(mount.device())) {
            return Optional.of(path + " is on " + mount.device() + " (mounted at " + mount.point() + "), not on "
                    + device.get() + ", " + spec + (mount.point().equals("/") ? " (is the backup disk mounted?)" : ""));
        }
        return Optional.empty();
    }

    /**
     * {@link #decide} for {@code repository} on the host under {@code root}. On the system root the path's existing
     * part is resolved as the run would write through it (the repository may be a link to a mounted disk); under
     * another root it is taken as written.
     */
    public static Optional<String> check(Path root, Path repository, Optional<PlatformSpec.RepositoryDisk> disk,
            boolean allowRoot) throws IOException {
        String path = real(root, repository.toAbsolutePath().normalize());
        List<Mounts.Mount> mounts = Mounts.read(root).stream()
                .map(m -> new Mounts.Mount(Mounts.device(root, m.device()), m.point(), m.type())).toList();
        Map<String, String> byUuid = disk.isPresent() ? Mounts.diskLinks(root, "by-uuid") : Map.of();
        Map<String, String> byLabel = disk.isPresent() ? Mounts.diskLinks(root, "by-label") : Map.of();
        return decide(mounts, path, disk, byUuid, byLabel, allowRoot);
    }

    private static String real(Path root, Path path) throws IOException {
        if (!HostRoot.isSystemRoot(root)) return path.toString();
        Path existing = path;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return path.toString();
        return existing.toRealPath().resolve(existing.relativize(path)).normalize().toString();
    }
}
