package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.backup.Snapshot.Entry;
import dev.kiban.backup.Snapshot.Entry.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotDiffTest {
    static Entry file(String path, String chunk, int mode, long mtime) {
        return new Entry(path, Type.FILE, mode, 0, 0, mtime, 10, List.of(chunk), "", 1);
    }

    static Snapshot snapshot(String id, Snapshot.Tree... trees) {
        return new Snapshot(id, "2026-11-28T00:00:00Z", "h", List.of(trees), new Snapshot.Stats(0, 0, 0, 0, 0, 0),
                List.of());
    }

    @Test
    void namesAddedRemovedAndModifiedPathsAndIgnoresABareMtime() {
        Snapshot a = snapshot("a",
                new Snapshot.Tree("volume:db", "/v/db", List.of(file("same", "c1", 0644, 1),
                        file("touched", "c2", 0644, 1), file("edited", "c3", 0644, 1),
                        file("chmod", "c4", 0644, 1), file("gone", "c5", 0644, 1))),
                new Snapshot.Tree("volume:old", "/v/old", List.of(file("x", "c6", 0644, 1))));
        Snapshot b = snapshot("b",
                new Snapshot.Tree("volume:db", "/v/db", List.of(file("same", "c1", 0644, 1),
                        file("touched", "c2", 0644, 99), file("edited", "c9", 0644, 1),
                        file("chmod", "c4", 0600, 1), file("new", "c7", 0644, 1))),
                new Snapshot.Tree("volume:new", "/v/new", List.of(file("y", "c8", 0644, 1))));
        SnapshotDiff diff = SnapshotDiff.between(a, b);
        assertThat(diff.changes()).extracting(SnapshotDiff.Change::line).containsExactlyInAnyOrder(
                "M volume:db:edited  (content, 10 -> 10 bytes)",
                "M volume:db:chmod  (mode 0644 -> 0600)",
                "+ volume:db:new",
                "- volume:db:gone",
                "+ volume:new:.  (1 entries)",
                "- volume:old:.  (1 entries)");
        assertThat(SnapshotDiff.between(a, a).changes()).isEmpty();
    }
}
