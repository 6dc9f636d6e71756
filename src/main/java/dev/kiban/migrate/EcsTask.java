package dev.kiban.migrate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One ECS task definition as kiban plans it, in the words of the compose file it comes from: one per
 * compose service, Fargate, awsvpc, one container. Plain data; {@link TaskDefinitionJson} and
 * {@link TerraformJson} write it out.
 */
public record EcsTask(String family, FargateSize size, Container container, List<TaskVolume> volumes) {

    /** The service's one container. Sizes in CPU units and MiB; empty or empty lists are left out. */
    public record Container(String name, String image, List<String> command, List<String> entryPoint,
            Map<String, String> environment, List<SecretFrom> secrets, List<PortMapping> ports,
            Optional<HealthCheck> healthCheck, LogGroup logs, List<Ulimit> ulimits, boolean readOnlyRoot,
            Optional<String> user, Optional<String> workingDirectory, Optional<Integer> stopTimeout,
            Optional<Integer> cpu, Optional<Integer> memory, Optional<Integer> memoryReservation,
            List<MountPoint> mounts, Map<String, String> labels, boolean init, List<String> capabilitiesAdded,
            List<String> capabilitiesDropped, Map<String, String> systemControls, boolean tty, boolean interactive) {}

    /** An environment variable whose value ECS reads from a Secrets Manager secret that kiban declares. */
    public record SecretFrom(String variable, String secret) {}

    /** awsvpc: the task's own address, so the host port is the container port. */
    public record PortMapping(int port, String protocol, boolean published) {
        /**
         * The mapping's name in the task definition, which Service Connect refers to:
         * {@code <service>-<port>-<protocol>}, lowercase letters, digits, {@code _} and {@code -}, at most 64
         * characters, not starting with {@code -}.
         */
        public String name(String service) {
            String suffix = "-" + port + "-" + protocol;
            String base = service.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", "-")
                    .replaceAll("^-+", "");
            if (base.isEmpty()) base = "p";
            if (base.length() > 64 - suffix.length()) base = base.substring(0, 64 - suffix.length());
            return base + suffix;
        }
    }

    /** Already within ECS's ranges (interval 5–300 s, timeout 2–60 s, retries 1–10, start period 0–300 s). */
    public record HealthCheck(List<String> command, int interval, int timeout, int retries, int startPeriod) {}

    /** awslogs into the stack's log group, one stream prefix per service. */
    public record LogGroup(String group, String region, String streamPrefix) {}

    public record Ulimit(String name, long soft, long hard) {}

    public record MountPoint(String volume, String path, boolean readOnly) {}

    /**
     * A task volume: an EFS access point for a named compose volume ({@code efs} true), or task storage
     * that lives as long as the task (an anonymous volume).
     */
    public record TaskVolume(String name, boolean efs, String accessPoint) {}
}
