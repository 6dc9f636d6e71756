package dev.kiban.engine;

import java.util.List;
import java.util.Map;

/**
 * What a container's inspect answer says about its isolation, as an audit reads it: privileges, host
 * namespaces, capabilities, security options, mounts, limits, user, health check, image, root filesystem,
 * restart policy, published ports, host devices, labels and image. Modes are the engine's words
 * ({@code host}, {@code container:…}, empty for the default). {@code image} is the reference the container
 * was configured with ({@code Config.Image}: {@code name:tag}, or {@code name:tag@sha256:…} when pinned, as
 * Swarm's tasks are), {@code imageId} the image it runs ({@code sha256:…}); {@code labels} carry where it
 * came from ({@code com.docker.compose.project.config_files}, {@code com.docker.stack.namespace}…).
 */
public record ContainerHardening(String id, String name, String image, boolean running, boolean privileged,
                                 String networkMode, String pidMode, String ipcMode, String utsMode,
                                 String usernsMode, List<String> capAdd, List<String> securityOpt,
                                 String appArmorProfile, List<HostMount> mounts, long memory, long nanoCpus,
                                 long cpuShares, long pidsLimit, String user, boolean healthcheck,
                                 boolean readonlyRootfs, String restartPolicy, int restartMaxRetries,
                                 List<PortBinding> ports, List<String> networks, String cgroupParent,
                                 List<Device> devices, Map<String, String> labels, String imageId) {

    /** A mount: its host path (or volume name), where it appears, and whether it is writable. */
    public record HostMount(String type, String source, String destination, boolean writable, String propagation) {}

    /** A published port: the host address ({@code ""} or {@code 0.0.0.0} for all) and port. */
    public record PortBinding(String hostIp, int hostPort, String containerPort) {}

    /** A host device given to the container ({@code devices:}): its path on the host and in the container. */
    public record Device(String hostPath, String containerPath, String permissions) {}

    /** A container of that name and image with the engine's defaults: nothing added, nothing limited. */
    public static ContainerHardening defaults(String id, String name, String image) {
        return new ContainerHardening(id, name, image, true, false, "bridge", "", "private", "", "", List.of(),
                List.of(), "docker-default", List.of(), 0, 0, 0, 0, "", false, false, "no", 0, List.of(),
                List.of("bridge"), "", List.of(), Map.of(), "");
    }
}
