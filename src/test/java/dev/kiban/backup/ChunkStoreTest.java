package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkStoreTest {
    @TempDir
    Path repo;

    @Test
    void storesOnceAndReadsBackExactly() throws Exception {
        ChunkStore store = new ChunkStore(repo);
        byte[] text = "kiban ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        ChunkStore.Stored first = store.put(text, text.length);
        assertThat(first.id()).isEqualTo(ChunkStore.sha256(text, text.length));
        assertThat(first.added()).isPositive().isLessThan(text.length / 10); // compressed
        ChunkStore.Stored again = store.put(text, text.length);
        assertThat(again.added()).as("deduplicated").isZero();
        assertThat(store.get(first.id())).isEqualTo(text);
        try (Stream<Path> files = Files.walk(repo)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())).containsExactly(first.id());
        }
    }

    @Test
    void onlyTheGivenLengthOfTheBufferIsStored() throws Exception {
        ChunkStore store = new ChunkStore(repo);
        byte[] buffer = "abcdefgh".getBytes(StandardCharsets.UTF_8);
        String id = store.put(buffer, 3).id();
        assertThat(store.get(id)).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDamagedChunkIsReportedNotReturned() throws Exception {
        ChunkStore store = new ChunkStore(repo);
        byte[] data = "the data a restore must not get wrong".getBytes(StandardCharsets.UTF_8);
        String id = store.put(data, data.length).id();
        Path file = store.path(id);
        byte[] stored = Files.readAllBytes(file);
        stored[stored.length - 5] ^= 0x20;
        Files.write(file, stored);
        assertThatThrownBy(() -> store.get(id)).isInstanceOf(CorruptChunkException.class).hasMessageStartingWith("chunk " + id + " is damaged:");
    }

    @Test
    void idsAreCheckedBeforeTheyBecomePaths() {
        assertThatThrownBy(() -> new ChunkStore(repo).get("../../etc/passwd")).hasMessageContaining("not a chunk id");
    }
}
