package dev.kiban.backup;

import static dev.kiban.backup.CraftedSnapshots.dir;
import static dev.kiban.backup.CraftedSnapshots.hardLink;
import static dev.kiban.backup.CraftedSnapshots.symlink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.backup.Snapshot.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Restore never escapes its destination (issue 10): hostile snapshot entries are refused before anything
 * is written, and links planted in the destination are never followed. Every case checks a sentinel tree
 * beside the destination.
 */
class BackupRestoreSafetyTest {
    @TempDir
    Path dir;
    Path sentinel;
    Map<String, String> before;
    Path dest;
    CraftedSnapshots crafted;
    BackupRepository repo;

    @BeforeEach
    void plant() throws IOException {
        sentinel = dir.resolve("sentinel");
        Files.createDirectories(sentinel.resolve("sub"));
        Files.writeString(sentinel.resolve("secret.txt"), "root only\n");
        Files.setPosixFilePermissions(sentinel.resolve("secret.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(sentinel.resolve("sub/data"), "sentinel data\n");
        Files.createSymbolicLink(sentinel.resolve("link"), Path.of("sub/data"));
        before = CraftedSnapshots.describe(sentinel);
        dest = dir.resolve("restore/volume");
        crafted = CraftedSnapshots.in(dir.resolve("repo"));
    }

    @AfterEach
    void sentinelUnchanged() throws IOException {
        if (repo != null) repo.close();
        assertThat(CraftedSnapshots.describe(sentinel)).as("the sentinel beside the destination").isEqualTo(before);
    }

    Snapshot.Tree tree(Entry... entries) throws IOException {
        String id = crafted.tree("volume:data", sentinel.toString(), entries).write();
        if (repo != null) repo.close();
        repo = BackupRepository.open(dir.resolve("repo"));
        return repo.snapshot(id).trees().get(0);
    }

    void refused(Snapshot.Tree tree, String message) throws IOException {
        assertThatThrownBy(() -> repo.restore(tree, dest)).isInstanceOf(IOException.class).hasMessageContaining(message)
                .hasMessageNotContaining("Exception");
        assertThat(dest).as("nothing written").doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    List<Path> leftovers() throws IOException {
        if (!Files.isDirectory(dest.getParent())) return List.of();
        try (Stream<Path> s = Files.list(dest.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith(".kiban-")).toList();
        }
    }

    @Test
    void aHardLinkOutOfTheTreeIsRefused() throws IOException {
        refused(tree(dir("."), hardLink("h", "../../sentinel/secret.txt")), "points outside the restore target");
    }

    @Test
    void anAbsoluteHardLinkIsRefused() throws IOException {
        refused(tree(dir("."), hardLink("h", sentinel.resolve("secret.txt").toString())),
                "points outside the restore target");
    }

    @Test
    void aHardLinkToADirectoryOrASymlinkOrNothingIsRefused() throws IOException {
        refused(tree(dir("."), dir("d"), hardLink("h", "d")), "which is not a regular file of the same snapshot tree");
        refused(tree(dir("."), symlink("s", sentinel.resolve("secret.txt").toString()), hardLink("h", "s")),
                "not a regular file");
        refused(tree(dir("."), hardLink("h", "nothing")), "not a regular file");
    }

    @Test
    void directoryMetadataNeverLandsOnAHardLinkedInode() throws IOException {
        // the reported attack: a hard link to a file outside, then a directory entry of the same name, setuid, nobody's
        refused(tree(dir("."), hardLink("x", "../../sentinel/secret.txt"), dir("x", 04777, 65534, 65534)), "x");
        refused(tree(dir("."), crafted.file("f", "data\n"), hardLink("x", "f"), dir("x", 04777, 65534, 65534)),
                "lists the entry \"x\" twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "/abs", "a/../../x", "./a", "a//b", "a/", "", "a\0b", "/"})
    void aHostileEntryPathIsRefusedBeforeAnythingIsWritten(String path) throws IOException {
        refused(tree(dir("."), dir("a"), crafted.file("a/ok", "written only if the tree is sound\n"), dir(path)),
                "nothing was restored");
    }

    @Test
    void aDuplicateEntryIsRefused() throws IOException {
        refused(tree(dir("."), crafted.file("f", "one\n"), crafted.file("f", "two\n")), "twice");
    }

    @Test
    void aFileIsNeverWrittenThroughARestoredSymlink() throws IOException {
        refused(tree(dir("."), symlink("d", sentinel.toString()), crafted.file("d/secret.txt", "owned\n")),
                "is not a directory of the snapshot");
        refused(tree(dir("."), symlink("d", sentinel.toString()), dir("d/sub", 04777, 65534, 65534)),
                "is not a directory of the snapshot");
    }

    @Test
    void aTreeWithoutARootDirectoryIsRefused() throws IOException {
        refused(tree(crafted.file("f", "x\n")), "has no root directory entry");
        refused(tree(crafted.file(".", "x\n")), "has no root directory entry");
    }

    Snapshot.Tree sound() throws IOException {
        return tree(dir("."), dir("sub"), crafted.file("sub/data", "restored data\n"),
                crafted.file("f", "restored f\n", 0640, 0, 0),
                hardLink("g", "f"), symlink("link", "sub/data"));
    }

    void restoredSound() throws IOException {
        assertThat(Files.readString(dest.resolve("sub/data"))).isEqualTo("restored data\n");
        assertThat(Files.readString(dest.resolve("f"))).isEqualTo("restored f\n");
        assertThat(Files.isDirectory(dest.resolve("sub"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.isRegularFile(dest.resolve("f"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.getAttribute(dest.resolve("g"), "unix:nlink")).isEqualTo(2);
        assertThat(Files.readSymbolicLink(dest.resolve("link"))).isEqualTo(Path.of("sub/data"));
        assertThat(leftovers()).as("no private or replaced directory left").isEmpty();
    }

    @Test
    void aSymlinkedDirectoryPlantedInTheDestinationIsReplacedNotFollowed() throws IOException {
        Files.createDirectories(dest);
        Files.createSymbolicLink(dest.resolve("sub"), sentinel);
        Snapshot.Tree t = sound();
        repo.restore(t, dest);
        restoredSound();
    }

    @Test
    void aLinkPlantedAtTheOldTemporaryNameOrTheFinalNameIsNotFollowed() throws IOException {
        Files.createDirectories(dest);
        Files.writeString(dest.resolve("f"), "old\n");
        Files.createSymbolicLink(dest.resolve(".f.kiban-restore"), sentinel.resolve("secret.txt"));
        Files.createSymbolicLink(dest.resolve("g"), sentinel.resolve("secret.txt"));
        Files.createSymbolicLink(dest.resolve("link"), sentinel.resolve("sub"));
        Snapshot.Tree t = sound();
        repo.restore(t, dest);
        restoredSound();
        assertThat(dest.resolve(".f.kiban-restore")).as("the destination holds exactly the snapshot").doesNotExist();
    }

    @Test
    void aDestinationThatIsASymlinkOrHasOneInItsPathIsRefused() throws IOException {
        Snapshot.Tree t = sound();
        Files.createDirectories(dest.getParent());
        Files.createSymbolicLink(dest, sentinel);
        assertThatThrownBy(() -> repo.restore(t, dest)).hasMessageContaining("is a symbolic link");
        Path viaLink = dir.resolve("linked");
        Files.createSymbolicLink(viaLink, sentinel);
        assertThatThrownBy(() -> repo.restore(t, viaLink.resolve("volume")))
                .hasMessageContaining("has a symbolic link in its path")
                .hasMessageContaining(viaLink.toString());
        assertThatThrownBy(() -> repo.restore(t, viaLink.resolve("sub/deeper/volume")))
                .hasMessageContaining("has a symbolic link in its path");
        assertThat(sentinel.resolve("sub/deeper")).doesNotExist();
    }

    @Test
    void aParentOthersCanWriteIsRefused() throws IOException {
        Snapshot.Tree t = sound();
        Files.createDirectories(dest.getParent());
        Files.setPosixFilePermissions(dest.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> repo.restore(t, dest)).hasMessageContaining("is writable by other users");
        Files.setAttribute(dest.getParent(), "unix:mode", 01777); // sticky, as /tmp
        repo.restore(t, dest);
        restoredSound();
    }

    @Test
    void aRestoreThatFailsLeavesTheDestinationAsItWas() throws IOException {
        Files.createDirectories(dest);
        Files.writeString(dest.resolve("kept"), "before\n");
        Entry missing = new Entry("f", Snapshot.Entry.Type.FILE, 0644, 0, 0, 0, 5, List.of("ab".repeat(32)), "", 0);
        Snapshot.Tree t = tree(dir("."), crafted.file("a", "a\n"), missing);
        assertThatThrownBy(() -> repo.restore(t, dest)).isInstanceOf(IOException.class);
        assertThat(Files.readString(dest.resolve("kept"))).isEqualTo("before\n");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void metadataGoesOnTheRestoredTreeOnly() throws IOException {
        Snapshot.Tree t = tree(dir(".", 04755, 65534, 65534), crafted.file("tool", "#!/bin/sh\n", 04755, 0, 0),
                hardLink("tool2", "tool"),
                symlink("out", sentinel.resolve("secret.txt").toString()));
        repo.restore(t, dest);
        Map<String, Object> root = Files.readAttributes(dest, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        assertThat((Integer) root.get("mode") & 07777).isEqualTo(04755);
        if ("root".equals(System.getProperty("user.name"))) assertThat(root.get("uid")).isEqualTo(65534);
        assertThat((Integer) Files.getAttribute(dest.resolve("tool2"), "unix:mode") & 07777).isEqualTo(04755);
        assertThat(Files.readSymbolicLink(dest.resolve("out"))).isEqualTo(sentinel.resolve("secret.txt"));
    }

    @Test
    void aPrivateDirectoryLeftByAKilledRestoreIsNotBackedUpAsAVolume() throws IOException {
        Path tree = dir.resolve("volumes");
        Files.createDirectories(tree.resolve("db"));
        Files.createDirectories(tree.resolve(".kiban-restore-0123456789abcdef"));
        Files.createDirectories(tree.resolve(".kiban-replaced-0123456789abcdef"));
        assertThat(VolumeSources.of(tree, List.of())).extracting(BackupRepository.Source::name)
                .containsExactly("volume:db");
    }
}
