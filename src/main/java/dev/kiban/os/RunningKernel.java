package dev.kiban.os;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the running kernel already has, for a plan's commands. /proc is the running kernel's, not a
 * --root tree's: a plan for a tree takes {@link #UNKNOWN}.
 *
 * @param bridgeNetfilter the net.bridge.bridge-nf-call-* keys exist: br_netfilter is loaded or built in,
 *                        and there may be no module to load (modprobe then fails)
 */
public record RunningKernel(boolean bridgeNetfilter) {
    public static final RunningKernel UNKNOWN = new RunningKernel(false);
    static final Path BRIDGE_NETFILTER = Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");

    public static RunningKernel system() {
        return new RunningKernel(Files.exists(BRIDGE_NETFILTER));
    }
}
