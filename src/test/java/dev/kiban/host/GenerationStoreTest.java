package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.os.AtomicFile;
import dev.kiban.os.HostRoot;
import dev.kiban.testing.LockHolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationStoreTest {
    @TempDir
    Path root;

    Path generation(int n, String manifest) throws Exception {
        Path g = Files.createDirectories(root.resolve("var/lib/kiban/generations/" + n));
        Files.writeString(g.resolve("manifest.json"), manifest);
        return g;
    }

    static String manifest(int n, String path) {
        return """
                {"number": %d, "created": "2026-01-01T00:00:00Z", "status": "APPLIED", "note": "crafted",
                 "entries": [{"path": "%s", "directory": false, "existed": false, "mode": "", "owner": ""}]}
                """.formatted(n, path);
    }

    @Test
    void readingAStoreThatIsNotThereCreatesNothing() throws Exception {
        GenerationStore store = new GenerationStore(root);
        assertThat(store.list()).isEmpty();
        assertThat(store.unsafe()).isEmpty();
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void theLockIsExclusiveWithinTheProcessAndNamesTheHolder() throws Exception {
        GenerationStore store = new GenerationStore(root);
        try (GenerationStore.Lock lock = store.lock()) {
            assertThatThrownBy(store::lock).isInstanceOf(HostRoot.Refusal.class)
                    .hasMessage("another kiban apply or rollback holds " + store.lockPath() + " (pid "
                            + ProcessHandle.current().pid()
                            + "); wait for it to finish");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.lockPath())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/lib/kiban"))))
                .isEqualTo("rwx------");
        store.lock().close(); // released on close
    }

    @Test
    void aLockHeldByAnotherProcessIsRefusedAndDiesWithIt() throws Exception {
        GenerationStore store = new GenerationStore(root);
        store.lock().close();
        long pid;
        try (LockHolder other = LockHolder.hold(store.lockPath())) {
            pid = other.pid();
            assertThatThrownBy(store::lock).hasMessageContaining("another kiban apply or rollback holds "
                    + store.lockPath() + " (pid " + pid + ")");
        }
        store.lock().close(); // the kernel dropped it with the process: no stale lock
    }

    @Test
    void aLinkedStateDirectoryOrLockFileIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.createDirectories(root.resolve("var/lib"));
        Files.createSymbolicLink(root.resolve("var/lib/kiban"), elsewhere);
        GenerationStore store = new GenerationStore(root);
        assertThatThrownBy(store::lock).hasMessageContaining("/var/lib/kiban under " + root
                + ": it is a symbolic link");
        assertThatThrownBy(store::list).hasMessageContaining("/var/lib/kiban is a symbolic link");
        assertThat(elsewhere).isEmptyDirectory();

        Files.delete(root.resolve("var/lib/kiban"));
        Files.createDirectories(root.resolve("var/lib/kiban"));
        Files.createSymbolicLink(root.resolve("var/lib/kiban/lock"), elsewhere.resolve("lock"));
        assertThatThrownBy(store::lock).hasMessageContaining("lock: it is a symbolic link");
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void aManifestIsCheckedBeforeItIsTrusted() throws Exception {
        GenerationStore store = new GenerationStore(root);
        generation(1, manifest(1, "/etc/../../../outside"));
        assertThatThrownBy(store::list).isInstanceOf(HostRoot.Refusal.class).hasMessageContaining("generation 1:")
                .hasMessageContaining("/etc/../../../outside").hasMessageContaining("'..'");
        generation(1, manifest(1, "etc/relative"));
        assertThatThrownBy(store::list).hasMessageContaining("not an absolute host path: etc/relative");
        generation(1, "garbage {");
        assertThatThrownBy(store::list).hasMessageContaining("not a manifest kiban wrote");
        generation(1, manifest(2, "/etc/x"));
        assertThatThrownBy(store::list).hasMessageContaining("its number does not match its directory");
        generation(1, manifest(1, "/etc/x"));
        assertThat(store.list()).extracting(Generation::number).containsExactly(1);
    }

    @Test
    void aPlantedGenerationDirectoryIsRefusedAndNothingIsWrittenThrough() throws Exception {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.createDirectories(root.resolve("var/lib/kiban/generations"));
        Files.createSymbolicLink(root.resolve("var/lib/kiban/generations/1"), elsewhere);
        GenerationStore store = new GenerationStore(root);
        assertThatThrownBy(() -> store.begin(List.of("/etc/x"), List.of(), "n"))
                .hasMessageContaining("generations/1 is a symbolic link");
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void aReplacedLinkIsRecordedAndPutBackAsALink() throws Exception {
        Files.createDirectories(root.resolve("etc/ssh/sshd_config.d"));
        Path conf = root.resolve("etc/ssh/sshd_config.d/10-kiban.conf");
        Files.createSymbolicLink(conf, Path.of("../shared/10-kiban.conf")); // dangling, relative: kept exactly
        GenerationStore store = new GenerationStore(root);
        Generation g = store.begin(List.of("/etc/ssh/sshd_config.d/10-kiban.conf", "/etc/new/file"), List.of(), "test");
        assertThat(g.entries()).filteredOn(e -> e.path().endsWith("10-kiban.conf")).singleElement()
                .satisfies(e -> assertThat(e.link()).isEqualTo("../shared/10-kiban.conf"));
        assertThat(store.get(g.number()).orElseThrow().entries()).anyMatch(e -> e.wasLink());
        AtomicFile.write(conf, "kiban\n".getBytes(), "rw-------", false);
        HostRoot.parents(root, "/etc/new/file", true);
        AtomicFile.write(root.resolve("etc/new/file"), "new\n".getBytes(), "rw-------", false);

        store.undo(store.get(g.number()).orElseThrow());
        assertThat(Files.readSymbolicLink(conf)).isEqualTo(Path.of("../shared/10-kiban.conf"));
        assertThat(root.resolve("etc/new")).as("a directory the apply created, empty again, is removed").doesNotExist();
    }
}
