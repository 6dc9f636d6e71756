package dev.kiban.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one /proc/mounts reader: escapes, the longest mount at or above a path, disk names read from links. */
class MountsTest {
    static final String TABLE = """
            /dev/sda1 / ext4 rw,relatime 0 0
            proc /proc proc rw 0 0
            /dev/sdb1 /mnt/backup ext4 rw 0 0
            /dev/sdc1 /mnt/backup/docker/nested xfs rw 0 0
            /dev/sdd1 /mnt/my\\040disk ext4 rw 0 0
            /dev/sde1 /mnt/backup2 ext4 rw 0 0
            """;

    @Test
    void theKernelsOctalEscapesAreDecoded() {
        assertThat(Mounts.unescape("/mnt/my\\040disk\\011x\\134y")).isEqualTo("/mnt/my disk\tx\\y");
        assertThat(Mounts.unescape("/mnt/a\\04")).isEqualTo("/mnt/a\\04");
        assertThat(Mounts.parse(TABLE)).extracting(Mounts.Mount::point).contains("/mnt/my disk");
    }

    @Test
    void theLongestMountPointAtOrAboveThePathHoldsIt() {
        var mounts = Mounts.parse(TABLE);
        assertThat(Mounts.containing(mounts, "/mnt/backup/docker").orElseThrow().device()).isEqualTo("/dev/sdb1");
        assertThat(Mounts.containing(mounts, "/mnt/backup").orElseThrow().device()).isEqualTo("/dev/sdb1");
        assertThat(Mounts.containing(mounts, "/mnt/backup/docker/nested/x").orElseThrow().device())
                .isEqualTo("/dev/sdc1");
        assertThat(Mounts.containing(mounts, "/mnt/backup2x").orElseThrow().point()).isEqualTo("/");
        assertThat(Mounts.containing(mounts, "/mnt/my disk/r").orElseThrow().device()).isEqualTo("/dev/sdd1");
        assertThat(Mounts.containing(Mounts.parse("/dev/sdb1 /mnt/b ext4 rw 0 0\n"), "/srv")).isEmpty();
    }

    @Test
    void aMountOverAnotherAtTheSamePointIsTheLastOne() {
        var mounts = Mounts.parse("/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /mnt/b ext4 rw 0 0\n"
                + "/dev/sdc1 /mnt/b ext4 rw 0 0\n");
        assertThat(Mounts.containing(mounts, "/mnt/b/r").orElseThrow().device()).isEqualTo("/dev/sdc1");
    }

    @Test
    void diskNamesAreTheLinksTargetsReadNotFollowed(@TempDir Path root) throws Exception {
        Path byUuid = Files.createDirectories(root.resolve("dev/disk/by-uuid"));
        Files.createSymbolicLink(byUuid.resolve("1b2c-3d4e"), Path.of("../../sdb1"));
        Files.createSymbolicLink(byUuid.resolve("abs"), Path.of("/dev/dm-3"));
        Files.createDirectories(root.resolve("dev/mapper"));
        Files.createSymbolicLink(root.resolve("dev/mapper/vg-backup"), Path.of("../dm-3"));
        assertThat(Mounts.diskLinks(root, "by-uuid")).containsEntry("1b2c-3d4e", "/dev/sdb1")
                .containsEntry("abs", "/dev/dm-3");
        assertThat(Mounts.diskLinks(root, "by-label")).isEmpty();
        assertThat(Mounts.device(root, "/dev/mapper/vg-backup")).isEqualTo("/dev/dm-3");
        assertThat(Mounts.device(root, "/dev/sdb1")).isEqualTo("/dev/sdb1");
        assertThat(Mounts.device(root, "overlay")).isEqualTo("overlay");
    }

    @Test
    void aRootWithoutAMountsTableHasNone(@TempDir Path root) throws Exception {
        assertThat(Mounts.read(root)).isEmpty();
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/mounts"), TABLE);
        assertThat(Mounts.points(root)).contains("/", "/mnt/backup", "/mnt/my disk");
    }
}
