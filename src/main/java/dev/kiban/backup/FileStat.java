package dev.kiban.backup;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What a backup needs of a file's lstat. The attributes the directory walk already holds are the JDK's
 * full {@code stat} result, but its public API exposes inode, mode, owner and ctime only through
 * {@code Files.readAttributes(p, "unix:…")}, a second lstat and a map per file — two thirds of a
 * no-change run's walk. When the launcher opens {@code sun.nio.fs} (bin/kiban does), they are read from
 * the walk's own result; otherwise the public path is used.
 */
record FileStat(long inode, int nlink, int mode, int uid, int gid, long size, long mtimeMillis, long ctimeNanos) {
    private static final String UNIX_ATTRIBUTES = "unix:ino,nlink,mode,uid,gid,size,lastModifiedTime,ctime";
    private static final MethodHandle[] FAST = fast();

    private static MethodHandle[] fast() {
        try {
            Class<?> c = Class.forName("sun.nio.fs.UnixFileAttributes");
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
            return new MethodHandle[] {l.findVirtual(c, "ino", MethodType.methodType(long.class)),
                l.findVirtual(c, "nlink", MethodType.methodType(int.class)),
                l.findVirtual(c, "mode", MethodType.methodType(int.class)),
                l.findVirtual(c, "uid", MethodType.methodType(int.class)),
                l.findVirtual(c, "gid", MethodType.methodType(int.class)),
                l.findVirtual(c, "ctime", MethodType.methodType(FileTime.class)),
                // what Files.readAttributes(…, BasicFileAttributes.class) hands out is a wrapper around them
                l.findVirtual(Class.forName("sun.nio.fs.UnixFileAttributes$UnixAsBasicFileAttributes"), "unwrap",
                        MethodType.methodType(c))};
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not opened to us: the public path
        }
    }

    /** The JDK's own stat result behind {@code walked}, or null. */
    static Object unwrap(BasicFileAttributes walked) {
        if (FAST == null) return null;
        if (FAST[0].type().parameterType(0).isInstance(walked)) return walked;
        if (FAST[6].type().parameterType(0).isInstance(walked)) {
            try {
                return FAST[6].invoke(walked);
            } catch (Error e) {
                throw e; // out of memory and the like are not "use the public path"
            } catch (Throwable e) {
                return null;
            }
        }
        return null;
    }

    static FileStat of(Path p, BasicFileAttributes given) throws IOException {
        Object walked = unwrap(given);
        if (walked != null) {
            try {
                return new FileStat((long) FAST[0].invoke(walked), (int) FAST[1].invoke(walked),
                        (int) FAST[2].invoke(walked), (int) FAST[3].invoke(walked),
                        (int) FAST[4].invoke(walked), given.size(), given.lastModifiedTime().toMillis(),
                        ((FileTime) FAST[5].invoke(walked)).to(java.util.concurrent.TimeUnit.NANOSECONDS));
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                // the handle's own failure (it declares Throwable): fall through to the public path
            }
        }
        return of(p);
    }

    static FileStat of(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return new FileStat(((Number) a.get("ino")).longValue(), ((Number) a.get("nlink")).intValue(),
                ((Number) a.get("mode")).intValue(),
                ((Number) a.get("uid")).intValue(), ((Number) a.get("gid")).intValue(),
                ((Number) a.get("size")).longValue(),
                ((FileTime) a.get("lastModifiedTime")).toMillis(),
                ((FileTime) a.get("ctime")).to(java.util.concurrent.TimeUnit.NANOSECONDS));
    }
}
