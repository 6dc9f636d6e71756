package dev.kiban.host;

import dev.kiban.os.HostRoot;
import dev.kiban.os.OsRelease;
import dev.kiban.spec.PlatformSpec.Family;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Installing the engine per family (R2.1): Docker's CE repository on rhel (the distribution ships
 * podman, not Docker), Debian's docker.io on debian. Planned only when no dockerd is under the root,
 * so running it again changes nothing. On rhel the repository is a file apply writes
 * ({@link DockerRepository}) before any command runs, so no {@code dnf config-manager --add-repo} here.
 */
public final class EngineInstallation {
    private EngineInstallation() {}

    public static boolean installed(Path root) {
        return Files.isExecutable(HostRoot.resolve(root, "/usr/bin/dockerd"))
                || Files.isExecutable(HostRoot.resolve(root, "/usr/sbin/dockerd"));
    }

    /** Where the docker CLI finds the Compose v2 plugin, the distribution's and Docker's packages alike. */
    static final List<String> COMPOSE_PLUGIN = List.of("/usr/libexec/docker/cli-plugins/docker-compose",
            "/usr/lib/docker/cli-plugins/docker-compose", "/usr/local/lib/docker/cli-plugins/docker-compose");

    /**
     * The commands that install and start the engine; empty when it is installed already, but for Compose
     * v2 where the distribution packages it and the host lacks it (an engine that came without it, e.g. as
     * a package's recommendation).
     */
    public static List<PlannedCommand> plan(Family family, Path root) {
        if (installed(root)) {
            boolean compose = COMPOSE_PLUGIN.stream().anyMatch(p -> Files.isRegularFile(HostRoot.resolve(root, p)));
            if (compose || family != Family.DEBIAN || composeV2(root).isEmpty()) return List.of();
            List<String> argv = new java.util.ArrayList<>(List.of("apt-get", "install", "-y"));
            argv.addAll(composeV2(root));
            return List.of(new PlannedCommand(List.copyOf(argv), "Compose v2, which this engine came without (R2.1)",
                    List.of()));
        }
        String why = "install the engine: this host has no dockerd (R2.1)";
        if (family == Family.RHEL) {
            return List.of(
                    // container-selinux: the policy module that lets the engine label containers (R7.4)
                    PlannedCommand.of(why, List.of(), "dnf", "-y", "install", "docker-ce", "docker-ce-cli",
                            "containerd.io", "docker-buildx-plugin", "docker-compose-plugin", "container-selinux"),
                    PlannedCommand.of("start the engine now and at boot", List.of(), "systemctl", "enable", "--now",
                            "docker"));
        }
        List<String> argv = new java.util.ArrayList<>(List.of("apt-get", "install", "-y", "docker.io"));
        argv.addAll(composeV2(root));
        return List.of(
                new PlannedCommand(List.copyOf(argv), why, List.of()),
                PlannedCommand.of("start the engine now and at boot", List.of(), "systemctl", "enable", "--now",
                        "docker"));
    }

    /**
     * Why the rhel steps cannot run yet under {@code root}: Docker's repository file is apply's to write
     * (so that rollback restores it), and {@code engine install} alone does not write files.
     */
    public static Optional<String> missingRepository(Family family, Path root) {
        if (family != Family.RHEL || Files.isRegularFile(HostRoot.resolve(root, DockerRepository.REPO))) {
            return Optional.empty();
        }
        return Optional.of(DockerRepository.REPO + " is not there yet: 'kiban apply' writes it (and installs the "
                + "engine too)");
    }

    /** The distribution's Compose v2 packages under {@code root}, empty when it packages only v1. */
    private static List<String> composeV2(Path root) {
        try {
            return OsRelease.read(root).map(OsRelease::composeV2Packages).orElse(List.of());
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** What the operator should know about the chosen packages. */
    public static List<String> notes(Family family, Path root) {
        return family == Family.DEBIAN && composeV2(root).isEmpty()
                ? List.of("this release packages Compose v1 only; Compose v2 comes from Docker's repository as "
                        + "docker-compose-plugin (R2.1)")
                : List.of();
    }
}
