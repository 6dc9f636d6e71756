package dev.kiban.backup;

import java.util.List;

/**
 * One backup: when, from where, and every entry of every source tree with its metadata and the chunks
 * of its content. Written as {@code snapshots/<id>.json} after all its chunks, so a snapshot that
 * exists is complete.
 */
public record Snapshot(String id, String time, String host, List<Tree> trees, Stats stats) {

    /** One source: a name (e.g. {@code volume:db_data}), the path it was read from, its entries in walk order. */
    public record Tree(String source, String path, List<Entry> entries) {}

    /**
     * A file, directory, symlink or hard link (to the first path of the same inode, {@code link}).
     * {@code mode} holds the permission bits; times are epoch milliseconds.
     */
    public record Entry(String path, Type type, int mode, int uid, int gid, long mtime, long size, List<String> chunks, String target,
                        long inode) {
        public enum Type { DIR, FILE, SYMLINK, HARDLINK }
    }

    /** What the run read and what it added to the repository. */
    public record Stats(long files, long bytesRead, long chunksNew, long bytesAdded, long filesUnchanged, long millis) {}
}
