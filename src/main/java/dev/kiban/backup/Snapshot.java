package dev.kiban.backup;

import java.util.List;
import java.util.Map;

/**
 * One backup: when, from where, and every entry of every source tree with its metadata and the chunks
 * of its content. Written as {@code snapshots/<id>.json} after all its chunks are durable, so a
 * snapshot that exists is complete. {@code notes} is the run's report (containers stopped and for how
 * long, what could not be read back, such as Swarm secrets' data: D5).
 */
public record Snapshot(String id, String time, String host, List<Tree> trees, Stats stats, List<String> notes) {

    public Snapshot {
        notes = notes == null ? List.of() : notes;
    }

    /**
     * One source: a name (e.g. {@code volume:db_data}), the path it was read from, its entries in walk
     * order, and facts about it (an image's id, tags and repo digests).
     */
    public record Tree(String source, String path, List<Entry> entries, Map<String, String> meta) {
        public Tree {
            meta = meta == null ? Map.of() : meta;
        }

        public Tree(String source, String path, List<Entry> entries) {
            this(source, path, entries, Map.of());
        }

        public long bytes() {
            return entries.stream().mapToLong(Entry::size).sum();
        }
    }

    /**
     * A file, directory, symlink or hard link (to the first path of the same inode, {@code target}).
     * {@code mode} holds the permission bits; times are epoch milliseconds; {@code xattrs} the extended
     * attributes of the user namespace, values in base64 (empty where there are none or the
     * filesystem has none); {@code ctime} (ns) tells the next run whether any of the metadata changed.
     */
    public record Entry(String path, Type type, int mode, int uid, int gid, long mtime, long size, List<String> chunks,
            String target, long inode,
            @com.fasterxml.jackson.annotation.JsonInclude(
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
            Map<String, String> xattrs, long ctime) {
        public enum Type { DIR, FILE, SYMLINK, HARDLINK }

        public Entry {
            xattrs = xattrs == null ? Map.of() : xattrs;
        }

        public Entry(String path, Type type, int mode, int uid, int gid, long mtime, long size, List<String> chunks,
                String target, long inode) {
            this(path, type, mode, uid, gid, mtime, size, chunks, target, inode, Map.of(), 0);
        }

        Entry withChunks(List<String> ids) {
            return new Entry(path, type, mode, uid, gid, mtime, size, ids, target, inode, xattrs, ctime);
        }
    }

    /** What the run read and what it added to the repository. */
    public record Stats(long files, long bytesRead, long chunksNew, long bytesAdded, long filesUnchanged,
            long millis) {}

    public java.util.Optional<Tree> tree(String source) {
        return trees.stream().filter(t -> t.source().equals(source)).findFirst();
    }
}
