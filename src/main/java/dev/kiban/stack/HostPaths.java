package dev.kiban.stack;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Host paths as Docker will bind them, and what binding them gives a container. Lint reads text, not the
 * host: paths are normalised ({@code //}, {@code .}, {@code ..}, a trailing slash; relative to the compose
 * file; {@code ~} is root's home since kiban deploys as root), and the one symlink every supported host has,
 * {@code /var/run -> /run}, is followed. Other symlinks on the host cannot be seen from here.
 */
final class HostPaths {
    private HostPaths() {}

    /** Container runtime sockets by file name: any of them is the runtime's API, which is root on the host. */
    private static final List<String> SOCKETS = List.of("docker.sock", "containerd.sock", "containerd.sock.ttrpc",
            "cri-dockerd.sock", "dockershim.sock", "podman.sock", "crio.sock");
    /** Directories that hold a runtime socket (or its state), so binding them or anything in them exposes it. */
    private static final List<String> SOCKET_DIRS =
            List.of("/run/docker", "/run/containerd", "/run/podman", "/run/crio");
    /** Host system paths: binding one of them, or a directory containing one, hands the container the host. */
    private static final List<String> SYSTEM = List.of("/run", "/proc", "/sys", "/etc", "/dev", "/boot", "/root",
            "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/home", "/var/spool",
            "/var/lib/docker", "/var/lib/containerd", "/var/lib/kiban");
    /**
     * System paths whose every file is sensitive too (unlike /run, where /run/secrets is common): programs
     * root runs, cron spools, kiban's own generations (a crafted one steers a later rollback).
     */
    private static final List<String> SYSTEM_TREES = List.of("/proc", "/sys", "/dev", "/boot", "/root",
            "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/var/spool/cron",
            "/var/lib/docker", "/var/lib/containerd", "/var/lib/kiban");
    /** The files in /etc and /usr a container may read without reaching the host's settings or programs. */
    private static final List<String> HARMLESS = List.of("/etc/localtime", "/etc/timezone", "/etc/hosts",
            "/etc/resolv.conf", "/etc/ssl/certs", "/etc/pki/ca-trust", "/etc/ca-certificates", "/usr/share/zoneinfo",
            "/usr/share/ca-certificates");

    /**
     * The absolute, normalised host path of a bind source, or empty when {@code source} is no host path
     * (a named volume). {@code composeDir} is the compose file's directory, which relative paths are from.
     */
    static Optional<String> normalise(String source, Path composeDir) {
        String s = source.trim();
        if (s.isEmpty()) return Optional.empty();
        String base;
        if (s.startsWith("~")) {
            // ~ and ~root are root's home (kiban deploys as root); ~name is taken as /home/name
            int slash = s.indexOf('/') < 0 ? s.length() : s.indexOf('/');
            String user = s.substring(1, slash);
            base = user.isEmpty() || user.equals("root") ? "/root" : "/home/" + user;
            s = s.substring(slash);
        } else if (s.startsWith("/")) {
            base = "/";
        } else if (s.equals(".") || s.equals("..") || s.startsWith("./") || s.startsWith("../")) {
            base = composeDir.toAbsolutePath().toString();
        } else {
            return Optional.empty();
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : (base + "/" + s).split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) parts.pollLast(); // ".." at the root stays at the root, as the kernel does
            else parts.addLast(part);
        }
        String p = "/" + String.join("/", parts);
        if (p.equals("/var/run") || p.startsWith("/var/run/")) p = "/run" + p.substring("/var/run".length());
        return Optional.of(p);
    }

    /** Why binding {@code path} exposes a container runtime's socket, or empty. */
    static Optional<String> socket(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (SOCKETS.contains(name)) return Optional.of("mounting " + name + " is root on the host");
        for (String dir : SOCKET_DIRS) {
            if (within(path, dir)) {
                return Optional.of("binding " + path + " exposes the container runtime's socket in " + dir
                        + ", which is root on the host");
            }
        }
        if (path.equals("/") || path.equals("/run") || path.equals("/run/user")
                || path.matches("/run/user/[0-9]+")) {
            return Optional.of("binding " + path + " exposes docker.sock inside it, which is root on the host");
        }
        return Optional.empty();
    }

    /** Why binding {@code path} hands the container host system files, or empty. */
    static Optional<String> system(String path) {
        if (path.equals("/")) return Optional.of("binding the host's / hands the container the whole host");
        String binding = "binding the host's " + path;
        for (String s : SYSTEM) {
            if (path.equals(s)) return Optional.of(binding + " hands the container the host's system files");
        }
        for (String s : SYSTEM) {
            if (within(s, path)) return Optional.of(binding + " hands the container " + s + " inside it");
        }
        if (HARMLESS.stream().anyMatch(h -> within(path, h))) return Optional.empty();
        for (String s : SYSTEM_TREES) {
            if (within(path, s)) {
                return Optional.of(binding + " (inside " + s + ") hands the container host system files");
            }
        }
        if (within(path, "/etc")) {
            return Optional.of(binding + " hands the container the host's credentials or settings");
        }
        if (path.matches("/home/[^/]+/\\.ssh(/.*)?")) {
            return Optional.of(binding + " hands the container a user's SSH keys");
        }
        return Optional.empty();
    }

    /** True when {@code path} is {@code dir} or lies inside it. */
    static boolean within(String path, String dir) {
        return path.equals(dir) || dir.equals("/") || path.startsWith(dir + "/");
    }
}
