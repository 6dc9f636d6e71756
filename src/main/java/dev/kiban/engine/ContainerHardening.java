package dev.kiban.engine;

import java.util.List;

/**
 * What a container's inspect answer says about its isolation, as an audit reads it: privileges, host
 * namespaces, capabilities, security options, mounts, limits, user, health check, image, root filesystem,
 * restart policy and published ports. Modes are the engine's words ({@code host}, {@code container:…},
 * empty for the default).
 */
public record ContainerHardening(String id, String name, String image, boolean running, boolean privileged,
                                 String networkMode, String pidMode, String ipcMode, String utsMode,
                                 String usernsMode, List<String> capAdd, List<String> securityOpt,
                                 String appArmorProfile, List<HostMount> mounts, long memory, long nanoCpus,
                                 long cpuShares, long pidsLimit, String user, boolean healthcheck,
                                 boolean readonlyRootfs, String restartPolicy, int restartMaxRetries,
                                 List<PortBinding> ports, List<String> networks, String cgroupParent) {

    /** A mount: its host path (or volume name), where it appears, and whether it is writable. */
    public record HostMount(String type, String source, String destination, boolean writable, String propagation) {}

    /** A published port: the host address ({@code ""} or {@code 0.0.0.0} for all) and port. */
    public record PortBinding(String hostIp, int hostPort, String containerPort) {}

    /** A container of that name and image with the engine's defaults: nothing added, nothing limited. */
    public static ContainerHardening defaults(String id, String name, String image) {
        return new ContainerHardening(id, name, image, true, false, "bridge", "", "private", "", "", List.of(),
                List.of(), "docker-default", List.of(), 0, 0, 0, 0, "", false, false, "no", 0, List.of(),
                List.of("bridge"), "");
    }
}
