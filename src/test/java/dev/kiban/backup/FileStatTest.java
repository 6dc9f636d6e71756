package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStatTest {
    @TempDir
    Path dir;

    @Test
    void theWalksOwnStatGivesWhatTheSecondLstatGives() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "data");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Files.createLink(dir.resolve("g"), f);
        BasicFileAttributes walked = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(FileStat.unwrap(walked))
                .as("surefire opens sun.nio.fs as bin/kiban does: the walk's own stat is read").isNotNull();
        FileStat fast = FileStat.of(f, walked);
        FileStat slow = FileStat.of(f);
        assertThat(fast).isEqualTo(slow);
        assertThat(fast.nlink()).isEqualTo(2);
        assertThat(fast.mode() & 0777).isEqualTo(0640);
        assertThat(fast.size()).isEqualTo(4);
    }
}
