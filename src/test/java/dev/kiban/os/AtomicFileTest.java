package dev.kiban.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aTargetThatIsALinkIsReplacedNotWrittenThrough() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "keep me\n");
        Path target = Files.createSymbolicLink(dir.resolve("daemon.json"), secret);
        AtomicFile.write(target, bytes("{}\n"), "rw-r--r--", "root:root", false);
        assertThat(Files.isSymbolicLink(target)).isFalse();
        assertThat(Files.readString(target)).isEqualTo("{}\n");
        assertThat(Files.readString(secret)).isEqualTo("keep me\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
    }

    @Test
    void aHardLinkedTargetLeavesTheOtherNameAlone() throws Exception {
        Path other = Files.writeString(dir.resolve("other"), "other\n");
        Path target = Files.createLink(dir.resolve("target"), other);
        AtomicFile.write(target, bytes("new\n"), "rw-------", false);
        assertThat(Files.readString(other)).isEqualTo("other\n");
        assertThat(Files.readString(target)).isEqualTo("new\n");
    }

    @Test
    void aLinkPlantedAtTheTemporaryNameIsNotFollowed() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "keep me\n");
        Path planted = Files.createSymbolicLink(dir.resolve(".f.planted.tmp"), secret);
        try (AutoCloseable c = AtomicFileTempNames.firstTry(n -> "." + n + ".planted.tmp")) {
            AtomicFile.write(dir.resolve("f"), bytes("mine\n"), "rw-------", false);
        }
        assertThat(Files.readString(secret)).isEqualTo("keep me\n");
        assertThat(Files.readSymbolicLink(planted)).isEqualTo(secret);
        assertThat(Files.readString(dir.resolve("f"))).isEqualTo("mine\n");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("secret", ".f.planted.tmp",
                    "f");
        }
    }

    @Test
    void theDirectoryWrittenIntoMustNotBeALink() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertThatThrownBy(() -> AtomicFile.write(link.resolve("f"), bytes("x"), "rw-------", false))
                .isInstanceOf(HostRoot.Refusal.class).hasMessageContaining(link + ": it is a symbolic link (to " + real
                        + ")");
        assertThat(real).isEmptyDirectory();
    }

    @Test
    void keepingThePreviousOfALinkKeepsTheLink() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "keep me\n");
        Path target = Files.createSymbolicLink(dir.resolve("kiban.yaml"), secret);
        Path previous = AtomicFile.write(target, bytes("new\n"), "rw-------", true).orElseThrow();
        assertThat(Files.readSymbolicLink(previous)).isEqualTo(secret);
        assertThat(Files.readString(secret)).isEqualTo("keep me\n");
        assertThat(Files.readString(target)).isEqualTo("new\n");
    }

    @Test
    void aSymlinkIsRestoredOverAFile() throws Exception {
        Path target = Files.writeString(dir.resolve("conf"), "kiban's\n");
        AtomicFile.symlink(target, "../elsewhere/conf");
        assertThat(Files.isSymbolicLink(target)).isTrue();
        assertThat(Files.readSymbolicLink(target)).isEqualTo(Path.of("../elsewhere/conf"));
        assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
