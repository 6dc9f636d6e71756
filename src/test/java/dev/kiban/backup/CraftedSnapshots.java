package dev.kiban.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.backup.Snapshot.Entry;
import dev.kiban.backup.Snapshot.Entry.Type;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hostile snapshots written straight in the repository format, as an attacker with write access to an
 * unencrypted repository would: chunks through {@link ChunkStore}, the snapshot as zstd-compressed JSON
 * under {@code snapshots/}. The entries say whatever the case needs ({@code ../x}, a hard link to
 * {@code /etc/shadow}, a tree named {@code ..}); nothing here checks them.
 */
public final class CraftedSnapshots {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long MTIME = 1_700_000_000_000L;

    private final Path repo;
    private final List<Snapshot.Tree> trees = new ArrayList<>();
    private static int serial;

    private CraftedSnapshots(Path repo) {
        this.repo = repo;
    }

    /** An unencrypted repository at {@code repo} (created when missing) to write a crafted snapshot into. */
    public static CraftedSnapshots in(Path repo) throws IOException {
        BackupRepository.open(repo).close();
        return new CraftedSnapshots(repo);
    }

    /** Adds a tree: its source name, the path it claims to have been read from, and its entries as given. */
    public CraftedSnapshots tree(String source, String path, Entry... entries) {
        trees.add(new Snapshot.Tree(source, path, List.of(entries)));
        return this;
    }

    /** Writes the snapshot; returns its id. */
    public String write() throws IOException {
        String id;
        synchronized (CraftedSnapshots.class) {
            id = String.format("20260101T%06dZ-crafted", ++serial);
        }
        String time = String.format("2026-01-01T%02d:%02d:%02dZ", serial / 3600 % 24, serial / 60 % 60, serial % 60);
        Snapshot s = new Snapshot(id, time, "crafted", trees, new Snapshot.Stats(0, 0, 0, 0, 0, 0), List.of());
        byte[] bytes = com.github.luben.zstd.Zstd.compress(JSON.writeValueAsBytes(s), 3);
        Files.write(repo.resolve("snapshots").resolve(id + ".json"), bytes);
        trees.clear();
        return id;
    }

    /** A regular file whose content is stored in the repository as one chunk. */
    public Entry file(String path, String content) throws IOException {
        return file(path, content, 0644, 0, 0);
    }

    public Entry file(String path, String content, int mode, int uid, int gid) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        List<String> chunks = new ArrayList<>();
        if (data.length > 0) {
            try (ChunkStore store = new ChunkStore(repo)) {
                chunks.add(store.put(data, data.length).id());
                store.flush();
            }
        }
        return new Entry(path, Type.FILE, mode, uid, gid, MTIME, data.length, chunks, "", 0);
    }

    public static Entry dir(String path) {
        return dir(path, 0755, 0, 0);
    }

    public static Entry dir(String path, int mode, int uid, int gid) {
        return new Entry(path, Type.DIR, mode, uid, gid, MTIME, 0, List.of(), "", 0);
    }

    public static Entry symlink(String path, String target) {
        return new Entry(path, Type.SYMLINK, 0777, 0, 0, MTIME, 0, List.of(), target, 0);
    }

    public static Entry hardLink(String path, String target) {
        return new Entry(path, Type.HARDLINK, 0644, 0, 0, MTIME, 0, List.of(), target, 0);
    }

    /** Every path under {@code root}, read without following links: mode, owner, size, mtime, content, target. */
    public static Map<String, String> describe(Path root) throws IOException {
        return dev.kiban.testing.FileTreeState.of(root);
    }
}
