package dev.kiban.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one {@code /proc/mounts} reader (audit's 1.1.1, verify's data-mounted, backup's repository disk) and the
 * {@code /dev/disk/by-uuid} and {@code by-label} names. Links are read (their target as text), never followed to open
 * anything.
 */
public final class Mounts {
    private Mounts() {}

    /** One line of {@code /proc/mounts}: the device, the mount point (escapes decoded) and the filesystem type. */
    public record Mount(String device, String point, String type) {}

    /** The mounts of {@code root}'s {@code /proc/mounts}, in its order; none when there is no such file. */
    public static List<Mount> read(Path root) throws IOException {
        Path p = HostRoot.resolve(root, "/proc/mounts");
        if (!Files.isRegularFile(p)) return List.of();
        return parse(Files.readString(p, StandardCharsets.UTF_8));
    }

    /** The lines of a mounts table; a line of fewer than three fields is left out. */
    public static List<Mount> parse(String text) {
        List<Mount> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 3) out.add(new Mount(unescape(f[0]), unescape(f[1]), f[2]));
        }
        return out;
    }

    /** The kernel's octal escapes of a mounts field ({@code \040} space, {@code \011} tab, {@code \134} backslash). */
    public static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The mount whose point is the longest one at or above {@code path} (absolute, normalized); the last of a tie. */
    public static Optional<Mount> containing(List<Mount> mounts, String path) {
        Mount best = null;
        for (Mount m : mounts) {
            if (!at(m.point(), path)) continue;
            if (best == null || m.point().length() >= best.point().length()) best = m;
        }
        return Optional.ofNullable(best);
    }

    /** The mount points of {@code root}'s {@code /proc/mounts}. */
    public static List<String> points(Path root) throws IOException {
        return read(root).stream().map(Mount::point).toList();
    }

    private static boolean at(String point, String path) {
        return point.equals("/") || path.equals(point) || path.startsWith(point.endsWith("/") ? point : point + "/");
    }

    /**
     * The names under {@code /dev/disk/<kind>} ({@code by-uuid}, {@code by-label}) and the device each link names
     * ({@code ../../sdb1} read as {@code /dev/sdb1}); the links are read, not followed. Labels keep udev's escapes
     * ({@code \x20}).
     */
    public static Map<String, String> diskLinks(Path root, String kind) throws IOException {
        Path dir = HostRoot.resolve(root, "/dev/disk/" + kind);
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return out;
        try (Stream<Path> links = Files.list(dir)) {
            for (Path l : links.sorted(Comparator.naturalOrder()).toList()) {
                if (!Files.isSymbolicLink(l)) continue;
                out.put(l.getFileName().toString(),
                        Path.of("/dev/disk/" + kind).resolve(Files.readSymbolicLink(l)).normalize().toString());
            }
        }
        return out;
    }

    /**
     * The device a mounts table names, as the kernel's own name: {@code /dev/mapper/vg-backup} and
     * {@code /dev/disk/by-uuid/…} are links (read, not followed) to {@code /dev/dm-3} or {@code /dev/sdb1}; a name that
     * is no link under {@code root} is itself.
     */
    public static String device(Path root, String device) {
        if (!device.startsWith("/dev/") || HostRoot.problem(device).isPresent()) return device;
        Path p = HostRoot.resolve(root, device);
        try {
            if (!Files.isSymbolicLink(p)) return device;
            return Path.of(device).getParent().resolve(Files.readSymbolicLink(p)).normalize().toString();
        } catch (IOException | RuntimeException e) {
            return device;
        }
    }
}
