package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import java.util.List;

/**
 * Docker's CE package repository on rhel (R2.1), written as a file so that plan shows it, apply
 * checks its signature settings and rollback restores it, rather than fetched by
 * {@code dnf config-manager --add-repo}. Rocky Linux 9 rebuilds the CentOS line, whose repository
 * Docker signs with its CentOS key; only the stable channel is enabled. Not exercised on a Rocky
 * machine here: the golden file is checked against Docker's published docker-ce.repo by hand.
 */
public final class DockerRepository {
    public static final String REPO = "/etc/yum.repos.d/docker-ce.repo";

    private DockerRepository() {}

    public static List<Artifact> render(PlatformSpec spec) {
        if (spec.host().family() != Family.RHEL) return List.of();
        String content = ManagedFile.header("#", "R2.1") + """
                # Docker's stable channel for the CentOS line; gpgcheck keeps unsigned packages out.
                [docker-ce-stable]
                name=Docker CE Stable - $basearch
                baseurl=https://download.docker.com/linux/centos/$releasever/$basearch/stable
                enabled=1
                gpgcheck=1
                gpgkey=https://download.docker.com/linux/centos/gpg
                """;
        return List.of(Artifact.config(REPO, content, "Docker's CE package repository (R2.1)",
                Artifact.Reader.DNF));
    }
}
