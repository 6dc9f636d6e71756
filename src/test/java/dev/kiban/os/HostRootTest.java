package dev.kiban.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostRootTest {
    @TempDir
    Path dir;

    @Test
    void resolveTakesOnlyPlainAbsoluteHostPaths() {
        assertThat(HostRoot.resolve(dir, "/etc/docker/daemon.json")).isEqualTo(dir.resolve("etc/docker/daemon.json"));
        for (String bad : new String[] {"etc/docker", "/etc/../../x", "/..", "/etc/./x", "/", "", "x/../y"}) {
            assertThatThrownBy(() -> HostRoot.resolve(dir, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HostRoot.under(dir, bad)).as(bad).isInstanceOf(HostRoot.Refusal.class);
        }
        assertThat(HostRoot.problem("/etc/../../x")).get().asString().contains("/etc/../../x", "'..'");
    }

    /** Every control character SpecText refuses in a value, not only NUL, and shown escaped. */
    @Test
    void everyControlCharacterIsRefusedShownEscaped() {
        for (char c : new char[] {'\0', '\n', '\r', '\t', 0x1b, 0x7f, 0x85, '\u2028', '\u202e', '\ufeff'}) {
            String bad = "/etc/x" + c + "y";
            assertThat(HostRoot.problem(bad)).as("U+%04X", (int) c).get().asString()
                    .contains("control character").doesNotContain(String.valueOf(c));
            assertThatThrownBy(() -> HostRoot.under(dir, bad)).isInstanceOf(HostRoot.Refusal.class);
        }
        assertThat(HostRoot.problem("/etc/x y")).isEmpty();
    }

    @Test
    void anEmptyComponentNamesTheSamePathUnderTheRoot() throws Exception {
        assertThat(HostRoot.resolve(dir, "/etc//docker/")).isEqualTo(dir.resolve("etc/docker"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("etc"), elsewhere);
        assertThat(HostRoot.unsafe(dir, "//etc//docker/daemon.json")).get().asString()
                .contains("/etc is a symbolic link");
    }

    @Test
    void parentsRefuseALinkedDirectoryNamingIt() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/docker"), elsewhere);
        assertThatThrownBy(() -> HostRoot.parents(root, "/etc/docker/daemon.json", true))
                .isInstanceOf(HostRoot.Refusal.class)
                .hasMessageContaining("refusing /etc/docker/daemon.json under " + root)
                .hasMessageContaining("/etc/docker is a symbolic link (to " + elsewhere + ")");
        assertThat(HostRoot.unsafe(root, "/etc/docker/x/y")).get().asString()
                .contains("/etc/docker is a symbolic link");
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void parentsCreateMissingDirectoriesOnlyWhenAsked() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        assertThat(HostRoot.parents(root, "/a/b/c", false)).isEqualTo(root.resolve("a/b/c"));
        assertThat(root.resolve("a")).doesNotExist();
        HostRoot.parents(root, "/a/b/c", true);
        assertThat(root.resolve("a/b")).isDirectory();
        assertThat(root.resolve("a/b/c")).doesNotExist();
        Files.writeString(root.resolve("a/file"), "x");
        assertThatThrownBy(() -> HostRoot.parents(root, "/a/file/c", true))
                .hasMessageContaining("/a/file is not a directory");
    }

    /** On / the rule is the same: a linked directory (even one the operator made) is refused, not followed. */
    @Test
    void onTheSystemRootALinkedDirectoryIsRefusedToo() throws Exception {
        Path real = Files.createDirectories(dir.resolve("data-etc"));
        Path link = Files.createSymbolicLink(dir.resolve("etc-docker"), real);
        String hostPath = link + "/daemon.json";
        assertThat(HostRoot.unsafe(Path.of("/"), hostPath)).get().asString()
                .startsWith("refusing " + hostPath + ": " + link + " is a symbolic link")
                .doesNotContain(" under ").contains("make " + link + " a real directory (or a bind mount)");
        assertThat(HostRoot.unsafe(Path.of("/"), real + "/daemon.json")).isEmpty();
    }
}
