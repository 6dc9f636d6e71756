package dev.kiban.backup;

import dev.kiban.backup.Snapshot.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reading a snapshot back: the content of an entry, and a tree restored into a destination in parallel
 * ({@link SafeRestore} writes it safely) after the destination is checked against the repository and its key.
 */
final class Restore {
    private final Path dir;
    private final ChunkStore chunks;
    private final RepositoryKey key;
    private final int threads;

    Restore(Path dir, ChunkStore chunks, RepositoryKey key, int threads) {
        this.dir = dir;
        this.chunks = chunks;
        this.key = key;
        this.threads = threads;
    }

    /** The content of a file entry, chunk by chunk, each checked against its hash as it is read. */
    static InputStream read(ChunkStore chunks, Entry entry) {
        java.util.Iterator<String> ids = entry.chunks().iterator();
        return new InputStream() {
            private byte[] current = new byte[0];
            private int pos;

            private boolean more() throws IOException {
                while (pos >= current.length) {
                    if (!ids.hasNext()) return false;
                    current = chunks.get(ids.next());
                    pos = 0;
                }
                return true;
            }

            @Override
            public int read() throws IOException {
                return more() ? current[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                if (!more()) return -1;
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /**
     * Restores one tree of a snapshot so that {@code target} holds it, byte for byte: each chunk is checked
     * against its hash as it is written (files in parallel); modes, owners (as root), extended attributes and
     * modification times are set after the content. The tree is checked whole first and built in a new
     * private directory that then replaces {@code target}, so nothing outside {@code target} is touched and a
     * failed restore leaves it as it was ({@link SafeRestore} says why).
     */
    long restore(Snapshot.Tree tree, Path target) throws IOException {
        checkRestoreDestination(target);
        return new SafeRestore(e -> read(chunks, e), threads).restore(tree, target);
    }

    /**
     * Refuses (a usage mistake) a restore destination that is, holds or lies inside this repository, or
     * holds its key file: the restore replaces the destination's tree and deletes the old one, the
     * repository or key with it. Compared by device and inode (a bind mount too), walking up from the
     * repository's and the key's real paths and from the destination's path, never following a link in it.
     */
    void checkRestoreDestination(Path target) throws IOException {
        Path dest = target.toAbsolutePath().normalize();
        Path repo = dir.toRealPath();
        Object destKey = FileIdentity.fileKey(dest);
        String conflict = null;
        if (dest.equals(repo) || (destKey != null && destKey.equals(FileIdentity.fileKey(repo)))) {
            conflict = "is the backup repository";
        } else if (repo.startsWith(dest) || (destKey != null && FileIdentity.ancestorKeys(repo).contains(destKey))) {
            conflict = "holds the backup repository " + repo;
        } else if (dest.startsWith(repo) || FileIdentity.ancestorKeys(dest).contains(FileIdentity.fileKey(repo))) {
            conflict = "lies inside the backup repository " + repo;
        } else if (key != null) {
            Path k = key.file().toAbsolutePath();
            Path parent = k.getParent() == null ? null : k.getParent().toRealPath();
            Path real = parent == null ? k : parent.resolve(k.getFileName());
            if (real.startsWith(dest)
                    || (destKey != null && parent != null && FileIdentity.ancestorKeys(parent).contains(destKey))) {
                conflict = "holds the repository's key file " + real;
            }
        }
        if (conflict != null) {
            throw new RepositoryUsageException("refused: the restore destination " + dest + " " + conflict
                    + "; restoring there would replace it and delete the old tree with it. Restore elsewhere with "
                    + "--target DIR, or move the repository and its key out of " + dest + " first");
        }
    }
}
