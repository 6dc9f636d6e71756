package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    /** Small sizes so the tests run on a few MiB. */
    final Chunker chunker = new Chunker(4 * 1024, 16 * 1024, 64 * 1024);

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    List<byte[]> chunks(byte[] data) throws Exception {
        List<byte[]> out = new ArrayList<>();
        chunker.split(new ByteArrayInputStream(data), (buf, len) -> out.add(java.util.Arrays.copyOf(buf, len)));
        return out;
    }

    Set<String> ids(List<byte[]> chunks) {
        Set<String> out = new HashSet<>();
        chunks.forEach(c -> out.add(ChunkStore.sha256(c, c.length)));
        return out;
    }

    @Test
    void chunksJoinBackToTheInputAndRespectTheBounds() throws Exception {
        byte[] data = random(1, 3 * 1024 * 1024 + 123);
        List<byte[]> chunks = chunks(data);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        chunks.forEach(joined::writeBytes);
        assertThat(joined.toByteArray()).isEqualTo(data);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.length)
                .isBetween(4 * 1024, 64 * 1024));
        double average = (double) data.length / chunks.size();
        assertThat(average).as("average chunk size").isBetween(8.0 * 1024, 32.0 * 1024);
    }

    @Test
    void theSameBytesGiveTheSameChunks() throws Exception {
        byte[] data = random(2, 1024 * 1024);
        assertThat(ids(chunks(data))).isEqualTo(ids(chunks(data.clone())));
    }

    @Test
    void anInsertionNearTheStartMovesOnlyTheChunksAroundIt() throws Exception {
        byte[] data = random(3, 2 * 1024 * 1024);
        byte[] shifted = new byte[data.length + 100];
        System.arraycopy(data, 0, shifted, 0, 5000);
        System.arraycopy(random(4, 100), 0, shifted, 5000, 100);
        System.arraycopy(data, 5000, shifted, 5100, data.length - 5000);
        Set<String> before = ids(chunks(data));
        Set<String> after = ids(chunks(shifted));
        Set<String> shared = new HashSet<>(after);
        shared.retainAll(before);
        // Fixed-size blocks would share nothing after the insertion; content-defined ones almost all.
        assertThat(shared.size()).isGreaterThanOrEqualTo(before.size() - 3);
    }

    @Test
    void aShortOrEmptyStreamIsOneChunkOrNone() throws Exception {
        assertThat(chunks(new byte[0])).isEmpty();
        assertThat(chunks(random(5, 100))).singleElement().satisfies(c -> assertThat(c).hasSize(100));
    }

    @Test
    void zerosAreCutAtTheMaximum() throws Exception {
        List<byte[]> chunks = chunks(new byte[300 * 1024]);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.length).isEqualTo(64 * 1024));
        assertThat(ids(chunks)).hasSize(2); // four identical full chunks and the rest
    }
}
