package dev.kiban.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the running kernel already has, for a plan's commands. /proc is the running kernel's, not a
 * --root tree's: a plan for a tree takes {@link #UNKNOWN}.
 *
 * @param bridgeNetfilter the net.bridge.bridge-nf-call-* keys exist: br_netfilter is loaded or built in,
 *                        and there may be no module to load (modprobe then fails)
 * @param bridgeNetfilterModule br_netfilter is a module of this kernel (listed in its modules.dep), so it
 *                        can and must be loaded at boot; false when built in, or on a host with no module
 *                        tree (a container host), where systemd-modules-load would fail on it
 * @param audit           the kernel's audit can be used here: false in a container (systemd says so in
 *                        /run/systemd/container when told; Docker leaves /.dockerenv, Podman /run/.containerenv),
 *                        whose network namespace the kernel's audit does not serve, so auditd fails there
 */
public record RunningKernel(boolean bridgeNetfilter, boolean bridgeNetfilterModule, boolean audit) {
    /** Nothing known: load the module (now and at boot), as on a freshly installed host. */
    public static final RunningKernel UNKNOWN = new RunningKernel(false, true, true);
    static final Path BRIDGE_NETFILTER = Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");
    /** What marks a container: systemd's record of its manager, Docker's and Podman's marker files. */
    static final java.util.List<Path> CONTAINER = java.util.List.of(Path.of("/run/systemd/container"),
            Path.of("/.dockerenv"), Path.of("/run/.containerenv"));

    public RunningKernel(boolean bridgeNetfilter, boolean bridgeNetfilterModule) {
        this(bridgeNetfilter, bridgeNetfilterModule, true);
    }

    public static RunningKernel system() {
        return new RunningKernel(Files.exists(BRIDGE_NETFILTER), listsModule(Path.of("/"), "br_netfilter"),
                CONTAINER.stream().noneMatch(Files::exists));
    }

    /** {@code <root>/lib/modules/<release>/modules.dep} names {@code module}; unreadable counts as listed. */
    static boolean listsModule(Path root, String module) {
        try {
            String release = Files.readString(root.resolve("proc/sys/kernel/osrelease")).trim();
            Path dep = root.resolve("lib/modules").resolve(release).resolve("modules.dep");
            if (!Files.isRegularFile(dep)) return false;
            try (var lines = Files.lines(dep)) {
                return lines.anyMatch(l -> l.contains("/" + module + ".ko"));
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Whether {@code br_netfilter} belongs in /etc/modules-load.d: unless the facility is here without a module. */
    public boolean loadBridgeNetfilterAtBoot() {
        return !bridgeNetfilter || bridgeNetfilterModule;
    }
}
