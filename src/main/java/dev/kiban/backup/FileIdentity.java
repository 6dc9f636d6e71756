package dev.kiban.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * Which file a path is, by device and inode: a bind mount or a second path to the repository is the same
 * file, whatever its name.
 */
final class FileIdentity {
    private FileIdentity() {}

    /** The device and inode of {@code p} itself (not followed), or null when it does not exist. */
    static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The file keys of {@code p} and every directory above it that exists. */
    static Set<Object> ancestorKeys(Path p) {
        Set<Object> out = new HashSet<>();
        for (Path at = p.toAbsolutePath(); at != null; at = at.getParent()) {
            Object k = fileKey(at);
            if (k != null) out.add(k);
        }
        return out;
    }
}
