package dev.kiban.engine;

import java.util.List;

/**
 * What {@code /info} says about the daemon's own hardening: its security options ({@code name=seccomp,…},
 * {@code name=userns}, {@code name=selinux}…), logging driver, experimental build, authorization plugins,
 * default cgroup parent.
 */
public record DaemonSecurity(List<String> securityOptions, String loggingDriver, boolean experimental,
                             List<String> authorizationPlugins, String cgroupParent) {

    /** Whether one of the security options is named {@code name} ({@code seccomp}, {@code userns}…). */
    public boolean has(String name) {
        return securityOptions.stream().anyMatch(o -> o.equals("name=" + name) || o.startsWith("name=" + name + ","));
    }

    /** The seccomp profile in use ({@code builtin}, {@code default}, a path, {@code unconfined}), empty if none. */
    public String seccompProfile() {
        for (String o : securityOptions) {
            if (o.startsWith("name=seccomp")) {
                for (String part : o.split(",")) if (part.startsWith("profile=")) return part.substring(8);
                return "default";
            }
        }
        return "";
    }
}
