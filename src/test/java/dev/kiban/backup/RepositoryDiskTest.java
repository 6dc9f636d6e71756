package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.os.Mounts;
import dev.kiban.spec.PlatformSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16, item 3: the repository is written only on a filesystem of its own (and the spec's disk, if named). */
class RepositoryDiskTest {
    static final String TABLE = """
            /dev/sda1 / ext4 rw 0 0
            proc /proc proc rw 0 0
            /dev/sdb1 /mnt/backup ext4 rw 0 0
            /dev/sdc1 /mnt/backup/docker/inner xfs rw 0 0
            /dev/sdd1 /mnt/my\\040backup ext4 rw 0 0
            /dev/sda1 /mnt/bound ext4 rw 0 0
            """;
    static final Map<String, String> UUIDS = Map.of("1b2c3d4e-0000", "/dev/sdb1", "AAAA-BBBB", "/dev/sdd1");
    static final Map<String, String> LABELS = Map.of("kiban-backup", "/dev/sdb1", "other", "/dev/sdc1");

    static Optional<String> decide(String path, Optional<PlatformSpec.RepositoryDisk> disk, boolean allowRoot) {
        return RepositoryDisk.decide(Mounts.parse(TABLE), path, disk, UUIDS, LABELS, allowRoot);
    }

    static Optional<PlatformSpec.RepositoryDisk> uuid(String u) {
        return Optional.of(new PlatformSpec.RepositoryDisk(Optional.of(u), Optional.empty()));
    }

    static Optional<PlatformSpec.RepositoryDisk> label(String l) {
        return Optional.of(new PlatformSpec.RepositoryDisk(Optional.empty(), Optional.of(l)));
    }

    @Test
    void aRepositoryOnItsOwnMountIsWritten() {
        assertThat(decide("/mnt/backup/docker", Optional.empty(), false)).isEmpty();
        assertThat(decide("/mnt/backup", Optional.empty(), false)).isEmpty();
    }

    @Test
    void theInnermostOfNestedMountsIsTheRepositorysFilesystem() {
        assertThat(decide("/mnt/backup/docker/inner/repo", Optional.empty(), false)).isEmpty();
        assertThat(decide("/mnt/backup/docker/inner/repo", label("other"), false)).isEmpty();
        assertThat(decide("/mnt/backup/docker/inner/repo", label("kiban-backup"), false)).get().asString()
                .contains("is on /dev/sdc1 (mounted at /mnt/backup/docker/inner), not on /dev/sdb1");
    }

    @Test
    void aRepositoryOnTheRootFilesystemIsRefusedUnlessAllowed() {
        assertThat(decide("/srv/backup", Optional.empty(), false)).get().asString()
                .contains("/srv/backup is on the root filesystem", "is the backup disk mounted?");
        assertThat(decide("/srv/backup", Optional.empty(), true)).isEmpty();
    }

    @Test
    void anUnmountedMountPointIsADirectoryOnTheRootFilesystem() {
        // /mnt/backup2 exists as a directory on / but nothing is mounted there: the path is on /
        assertThat(decide("/mnt/backup2/docker", Optional.empty(), false)).get().asString()
                .contains("on the root filesystem");
        // an unmounted named disk: refused, also with the override (the spec names the disk)
        var unmounted = RepositoryDisk.decide(Mounts.parse("/dev/sda1 / ext4 rw 0 0\n"), "/mnt/backup/docker",
                uuid("1b2c3d4e-0000"), UUIDS, LABELS, true);
        assertThat(unmounted).get().asString().contains("is on /dev/sda1 (mounted at /), not on /dev/sdb1",
                "is the backup disk mounted?");
    }

    @Test
    void aWrongUuidOrADiskNotAttachedIsRefused() {
        assertThat(decide("/mnt/backup/docker", uuid("AAAA-BBBB"), false)).get().asString()
                .contains("is on /dev/sdb1 (mounted at /mnt/backup), not on /dev/sdd1",
                        "backup.repositoryDisk's uuid AAAA-BBBB");
        assertThat(decide("/mnt/backup/docker", uuid("99999999-0000"), false)).get().asString()
                .contains("is no disk of this host", "by-uuid", "is the backup disk attached?");
        assertThat(decide("/mnt/backup/docker", uuid("1b2c3d4e-0000"), false)).isEmpty();
        assertThat(decide("/mnt/my backup/r", uuid("aaaa-bbbb"), false)).as("blkid's case").isEmpty();
    }

    @Test
    void aLabelMatchIsWritten() {
        assertThat(decide("/mnt/backup/docker", label("kiban-backup"), false)).isEmpty();
        assertThat(decide("/mnt/backup/docker", label("KIBAN-BACKUP"), false)).as("labels are exact").isPresent();
    }

    @Test
    void anEscapedMountPointIsMatchedDecoded() {
        assertThat(decide("/mnt/my backup/docker", Optional.empty(), false)).isEmpty();
        assertThat(decide("/mnt/my backup/docker", uuid("AAAA-BBBB"), false)).isEmpty();
    }

    @Test
    void aBindMountOfTheRootFilesystemsDeviceIsNotADiskOfItsOwn() {
        assertThat(decide("/mnt/bound/docker", Optional.empty(), false)).get().asString()
                .contains("a mount of /dev/sda1, the root filesystem's own device (a bind mount)");
        assertThat(decide("/mnt/bound/docker", Optional.empty(), true)).isEmpty();
    }

    @Test
    void aHostWhoseRootIsAnOverlayHasItsVolumesAsDisks() {
        // the rig's hosts: / is an overlay, /mnt/backup a volume of the engine beneath
        var rig = Mounts.parse("overlay / overlay rw 0 0\n/dev/vda1 /mnt/backup ext4 rw 0 0\n"
                + "/dev/vda1 /etc/hosts ext4 rw 0 0\n");
        assertThat(RepositoryDisk.decide(rig, "/mnt/backup/docker", Optional.empty(), Map.of(), Map.of(), false))
                .isEmpty();
    }

    @Test
    void withoutAMountsTableTheDiskCannotBeTold() {
        assertThat(RepositoryDisk.decide(java.util.List.of(), "/mnt/backup", Optional.empty(), Map.of(), Map.of(),
                false)).get().asString().contains("cannot be told");
        assertThat(RepositoryDisk.decide(java.util.List.of(), "/mnt/backup", Optional.empty(), Map.of(), Map.of(),
                true)).isEmpty();
    }

    @Test
    void theEdgeReadsTheMountsAndDiskLinksUnderTheRoot(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/mounts"),
                "/dev/sda1 / ext4 rw 0 0\n/dev/mapper/bk /mnt/backup ext4 rw 0 0\n");
        Path byUuid = Files.createDirectories(root.resolve("dev/disk/by-uuid"));
        Files.createDirectories(root.resolve("dev/mapper"));
        Files.createSymbolicLink(root.resolve("dev/mapper/bk"), Path.of("../dm-1"));
        Files.createSymbolicLink(byUuid.resolve("1111-2222"), Path.of("../../dm-1"));
        Files.createSymbolicLink(byUuid.resolve("3333-4444"), Path.of("../../sdb1"));
        Path repo = Path.of("/mnt/backup/docker");
        assertThat(RepositoryDisk.check(root, repo, Optional.empty(), false)).isEmpty();
        assertThat(RepositoryDisk.check(root, repo, uuid("1111-2222"), false)).isEmpty();
        assertThat(RepositoryDisk.check(root, repo, uuid("3333-4444"), false)).get().asString()
                .contains("is on /dev/dm-1 (mounted at /mnt/backup), not on /dev/sdb1");
        assertThat(RepositoryDisk.check(root, Path.of("/var/backup"), Optional.empty(), false)).isPresent();
    }
}
