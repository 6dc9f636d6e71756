package dev.kiban.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec.Family;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsTest {

    @Test
    void rockyIsRhelAndDebianIsDebian(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"),
                "NAME=\"Rocky Linux\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.6\"\n");
        assertThat(OsRelease.read(root).flatMap(OsRelease::family)).contains(Family.RHEL);
        assertThat(OsRelease.parse("ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n").family())
                .contains(Family.DEBIAN);
        assertThat(OsRelease.parse("ID=ubuntu\nID_LIKE=debian\n").family()).contains(Family.DEBIAN);
        assertThat(OsRelease.parse("ID=alpine\n").family()).isEmpty();
    }

    @Test
    void noOsReleaseUnderTheRootIsEmpty(@TempDir Path root) throws Exception {
        assertThat(OsRelease.read(root)).isEmpty();
    }

    @Test
    void theDefaultRouteNamesThePrimaryInterface() {
        List<String> table = List.of(
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask",
                "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF",
                "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000",
                "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF");
        assertThat(PrimaryAddress.defaultRouteInterface(table)).contains("eth0");
        assertThat(PrimaryAddress.defaultRouteInterface(table.subList(0, 2))).isEmpty();
    }

    @Test
    void atomicWriteSetsTheModeAndKeepsThePreviousVersion(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("sub/kiban.yaml");
        assertThat(AtomicFile.write(target, "one".getBytes(StandardCharsets.UTF_8), "rw-------", true)).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");

        Path previous = AtomicFile.write(target, "two".getBytes(StandardCharsets.UTF_8), "rw-r-----", true)
                .orElseThrow();
        assertThat(Files.readString(target)).isEqualTo("two");
        assertThat(Files.readString(previous)).isEqualTo("one");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
        try (var files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("kiban.yaml", "kiban.yaml.previous");
        }
    }

    @Test
    void filesystemUsageIsAbsentForAMissingPath(@TempDir Path dir) throws Exception {
        assertThat(FilesystemUsage.of(dir.resolve("nope"))).isEmpty();
        FilesystemUsage u = FilesystemUsage.of(dir).orElseThrow();
        assertThat(u.totalBytes()).isPositive();
        assertThat(u.usedPercent()).isBetween(0.0, 100.0);
    }
}
