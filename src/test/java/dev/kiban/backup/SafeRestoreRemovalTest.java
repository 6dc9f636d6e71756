package dev.kiban.backup;

import static dev.kiban.backup.CraftedSnapshots.dir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a restore removes the tree it replaced, and what it says when it fails: it stays on the tree's
 * filesystem, walks without recursion to a bounded depth, decides "root" by uid, and names no Java class.
 */
class SafeRestoreRemovalTest {
    @TempDir
    Path dir;

    private static boolean run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void aMountInsideTheReplacedTreeIsNotEnteredAndIsReported() throws Exception {
        Path old = Files.createDirectories(dir.resolve("old/a"));
        Files.writeString(old.resolve("file"), "x\n");
        Path mount = Files.createDirectories(dir.resolve("old/a/mnt"));
        assumeTrue(run("mount", "-t", "tmpfs", "kiban-test", mount.toString()), "needs root's mount(8)");
        try {
            Files.writeString(mount.resolve("precious"), "on another filesystem\n");
            assertThatThrownBy(() -> SafeRestore.deleteTree(dir.resolve("old")))
                    .hasMessageContaining(mount + " is another mount")
                    .hasMessageNotContaining("java.");
            assertThat(Files.readString(mount.resolve("precious"))).isEqualTo("on another filesystem\n");
            assertThat(old.resolve("file")).doesNotExist();
        } finally {
            run("umount", mount.toString());
        }
    }

    @Test
    void aTreeDeeperThanTheBoundIsRemovedDownToItAndReported() throws Exception {
        Path at = dir.resolve("old");
        for (int i = 0; i < SafeRestore.MAX_DEPTH + 20; i++) at = at.resolve("d");
        Files.createDirectories(at);
        Files.writeString(at.resolve("bottom"), "x\n");
        Files.writeString(dir.resolve("old/top"), "x\n");
        assertThatThrownBy(() -> SafeRestore.deleteTree(dir.resolve("old")))
                .hasMessageContaining("deeper than " + SafeRestore.MAX_DEPTH + " levels");
        assertThat(dir.resolve("old/top")).doesNotExist();
        assertThat(at.resolve("bottom")).exists();
    }

    @Test
    void aShallowTreeIsRemovedWhole() throws Exception {
        Files.createDirectories(dir.resolve("old/a/b/c"));
        Files.writeString(dir.resolve("old/a/b/c/f"), "x\n");
        Files.createSymbolicLink(dir.resolve("old/a/link"), dir.resolve("keep"));
        Files.writeString(dir.resolve("keep"), "kept\n");
        SafeRestore.deleteTree(dir.resolve("old"));
        assertThat(dir.resolve("old")).doesNotExist();
        assertThat(Files.readString(dir.resolve("keep"))).isEqualTo("kept\n");
    }

    @Test
    void rootIsTheUidNotTheUserNameProperty() throws Exception {
        assumeTrue(SafeRestore.processUid() == 0, "runs as root");
        Path repo = dir.resolve("repo");
        CraftedSnapshots crafted = CraftedSnapshots.in(repo);
        String id = crafted.tree("volume:v", "/v", dir("."), crafted.file("f", "x\n", 0640, 65534, 65534)).write();
        String name = System.getProperty("user.name");
        System.setProperty("user.name", "operator");
        try (BackupRepository r = BackupRepository.openExisting(repo, Optional.empty())) {
            r.restore(r.snapshot(id).trees().get(0), dir.resolve("out"));
        } finally {
            System.setProperty("user.name", name);
        }
        assertThat(Files.getAttribute(dir.resolve("out/f"), "unix:uid")).isEqualTo(65534);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void aWorkerFailureNamesNoJavaClass() throws Exception {
        Snapshot.Tree tree = new Snapshot.Tree("volume:v", "/v", List.of(dir("."),
                new Snapshot.Entry("f", Snapshot.Entry.Type.FILE, 0600, 0, 0, 0, 1, List.of(), "", 0)));
        SafeRestore restore = new SafeRestore(e -> {
            sneaky(new Exception("the worker broke"));
            return InputStream.nullInputStream();
        }, 1);
        assertThatThrownBy(() -> restore.restore(tree, dir.resolve("out"))).isInstanceOf(IOException.class)
                .hasMessageContaining("the worker broke").hasMessageNotContaining("java.");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
