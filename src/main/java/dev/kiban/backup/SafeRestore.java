package dev.kiban.backup;

import dev.kiban.backup.Snapshot.Entry;
import dev.kiban.backup.Snapshot.Entry.Type;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Restores one snapshot tree so that nothing outside its destination is ever created, written, chowned,
 * chmodded or unlinked, whatever the snapshot says and whatever the destination already holds.
 *
 * <p>Design: build the tree in a fresh private directory beside the destination, then swap it in.
 * <ol>
 * <li>The whole tree is validated before anything is written: relative entry paths without empty, {@code .}
 * or {@code ..} parts or NUL, no duplicates, every entry's parent a directory entry of the snapshot (so no
 * entry is ever written through a restored symlink), hard links only to a regular-file entry of the same
 * tree.</li>
 * <li>The destination's ancestors are checked from {@code /} with lstat: each must be a real directory (a
 * symlink is refused, not followed), owned by root or us, and not writable by others unless sticky. The
 * missing ones are created one by one ({@code mkdir} never follows a final link) and checked again. So no
 * one but root can rename or replace any name on the way.</li>
 * <li>Everything is written into a new directory ({@code mkdir}, 0700, random name) in the destination's
 * parent. Nobody else can enter or change it, so the path-based calls inside it cannot be redirected; they
 * still use {@code CREATE_NEW} and {@code NOFOLLOW_LINKS}, and metadata is set only on a path that lstat
 * shows to be the directory or file this restore created.</li>
 * <li>The finished tree replaces the destination with two renames (rename acts on names, never through a
 * link). The replaced tree is removed with descriptor-relative calls ({@link SecureDirectoryStream}:
 * openat with O_NOFOLLOW, unlinkat), so links a container planted in it are removed, never followed; that
 * walk is iterative and bounded ({@link #MAX_DEPTH}) and does not enter another filesystem mounted inside the
 * tree (what it leaves is reported).</li>
 * </ol>
 * Why not write in place: a container that mounts the volume can swap any name inside it between kiban's
 * check and its use (a TOCTOU no check closes); the names it cannot touch are the ones outside its mounts.
 * Side effects: a failed restore leaves the destination as it was; the destination then holds exactly the
 * snapshot's tree (files the snapshot lacks are gone); the disk needs room for both copies until the swap.
 * Limits: a destination reached through a symlinked directory (say /var/lib/docker linked elsewhere) is
 * refused, not resolved; a container still running on the replaced tree can make its removal fail or stall
 * (a FIFO swapped in for a directory), never redirect it.
 */
final class SafeRestore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String WORK = ".kiban-restore-";
    private static final String REPLACED = ".kiban-replaced-";
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    /** The checked content of a tree, by kind, in the order it is written. */
    record Plan(String source, Entry root, List<Entry> dirs, List<Entry> files, List<Entry> hardLinks,
                List<Entry> symlinks) {}

    private final Function<Entry, InputStream> content;
    private final int threads;
    private final boolean root;

    SafeRestore(Function<Entry, InputStream> content, int threads) {
        this.content = content;
        this.threads = Math.max(1, threads);
        this.root = processUid() == 0; // the uid, not user.name: a property anyone can set, and a root by another name
    }

    /** Restores {@code tree} so that {@code dest} holds it; returns the bytes written. */
    long restore(Snapshot.Tree tree, Path dest) throws IOException {
        Plan plan = validate(tree);
        Path at = dest.toAbsolutePath().normalize();
        Path parent = at.getParent();
        if (parent == null) throw new IOException("/ cannot be a restore destination; give a directory below it");
        trustedDirectories(parent, at);
        boolean exists = existingDestination(at);
        Path work = parent.resolve(WORK + random());
        Files.createDirectory(work, PRIVATE_DIR);
        expect(work, S_IFDIR, "the restore's own new directory");
        long bytes;
        Path old = parent.resolve(REPLACED + random());
        try {
            bytes = build(plan, work);
            if (exists) move(at, old);
        } catch (IOException | RuntimeException e) {
            removeQuietly(work, e);
            throw e;
        }
        try {
            move(work, at);
        } catch (IOException e) {
            if (exists) {
                try {
                    move(old, at);
                } catch (IOException back) {
                    e.addSuppressed(back);
                }
            }
            removeQuietly(work, e);
            throw e;
        }
        if (!exists) return bytes;
        try {
            deleteTree(old);
        } catch (IOException e) {
            throw new IOException("restored " + at + ", but the files it replaced, moved to " + old
                    + ", could not all be removed (" + e.getMessage() + "); remove that directory by hand");
        }
        return bytes;
    }

    // ---- validation: the whole tree, before anything is written ----

    static Plan validate(Snapshot.Tree tree) throws IOException {
        String source = printable(tree.source() == null ? "" : tree.source());
        if (tree.entries() == null) throw refused(source, "lists no entries");
        Map<String, Entry> byPath = new HashMap<>();
        for (Entry e : tree.entries()) {
            if (e == null || e.path() == null || e.type() == null) {
                throw refused(source, "has an entry without a path or a type");
            }
            checkPath(source, e.path(), "entry");
            if (byPath.putIfAbsent(e.path(), e) != null) {
                throw refused(source, "lists the entry " + printable(e.path()) + " twice");
            }
        }
        Entry top = byPath.get(".");
        if (top == null || top.type() != Type.DIR) throw refused(source, "has no root directory entry (.)");
        List<Entry> dirs = new ArrayList<>();
        List<Entry> files = new ArrayList<>();
        List<Entry> hardLinks = new ArrayList<>();
        List<Entry> symlinks = new ArrayList<>();
        for (Entry e : tree.entries()) {
            checkXattrs(source, e);
            if (e == top) continue;
            String parentPath = e.path().contains("/") ? e.path().substring(0, e.path().lastIndexOf('/')) : ".";
            Entry parent = byPath.get(parentPath);
            if (parent == null || parent.type() != Type.DIR) {
                throw refused(source, "has the entry " + printable(e.path()) + " whose parent " + printable(parentPath)
                        + " is not a directory of the snapshot (" + (parent == null ? "missing" : "a " + parent.type())
                        + ")");
            }
            switch (e.type()) {
                case DIR -> dirs.add(e);
                case FILE -> {
                    if (e.chunks() == null || e.chunks().stream().anyMatch(c -> c == null)) {
                        throw refused(source, "has the file " + printable(e.path()) + " without a chunk list");
                    }
                    files.add(e);
                }
                case HARDLINK -> {
                    String target = e.target() == null ? "" : e.target();
                    checkPath(source, target, "hard link target of " + printable(e.path()) + ",");
                    Entry t = byPath.get(target);
                    if (t == null || t.type() != Type.FILE) {
                        throw refused(source, "has the hard link " + printable(e.path()) + " -> " + printable(target)
                                + ", which is not a regular file of the same snapshot tree");
                    }
                    hardLinks.add(e);
                }
                case SYMLINK -> {
                    if (e.target() == null || e.target().isEmpty() || e.target().indexOf('\0') >= 0) {
                        throw refused(source, "has the symlink " + printable(e.path())
                                + " with an empty target or a NUL in it");
                    }
                    symlinks.add(e);
                }
                default -> throw refused(source, "has the entry " + printable(e.path()) + " of an unknown type");
            }
        }
        // parents first: every parent is a DIR entry with fewer path parts
        dirs.sort(Comparator.comparingInt((Entry e) -> depth(e.path())).thenComparing(Entry::path));
        return new Plan(source, top, dirs, files, hardLinks, symlinks);
    }

    /** A snapshot path: "." or relative parts joined by '/', none empty, "." or "..", no NUL. */
    private static void checkPath(String source, String path, String what) throws IOException {
        if (path.equals(".") && what.equals("entry")) return;
        if (path.isEmpty() || path.indexOf('\0') >= 0) {
            throw refused(source, "has the " + what + " " + printable(path)
                    + ", which is not a valid path (empty, or a NUL in it)");
        }
        boolean outside = path.startsWith("/");
        for (String part : path.split("/", -1)) outside |= part.isEmpty() || part.equals(".") || part.equals("..");
        if (outside) {
            throw refused(source, "has the " + what + " " + printable(path)
                    + ", which points outside the restore target (a snapshot path is relative, without empty, '.' "
                    + "or '..' parts)");
        }
    }

    private static void checkXattrs(String source, Entry e) throws IOException {
        for (Map.Entry<String, String> x : e.xattrs().entrySet()) {
            boolean bad = x.getKey() == null || x.getKey().isEmpty() || x.getKey().indexOf('\0') >= 0
                    || x.getValue() == null;
            if (!bad) {
                try {
                    Base64.getDecoder().decode(x.getValue());
                } catch (IllegalArgumentException notBase64) {
                    bad = true;
                }
            }
            if (bad) {
                throw refused(source, "has the entry " + printable(e.path()) + " with a malformed extended attribute");
            }
        }
    }

    private static IOException refused(String source, String what) {
        return new IOException("the snapshot tree " + source + " " + what + "; nothing was restored");
    }

    private static int depth(String path) {
        return (int) path.chars().filter(c -> c == '/').count();
    }

    /** A name from a snapshot, quoted, control characters escaped, cut at 200 characters. */
    static String printable(String s) {
        return "\"" + FileRestorePlan.printable(s) + "\"";
    }

    // ---- the destination ----

    /**
     * Walks from / to {@code dir}: each name must be a real directory that only root (or we) can change;
     * a missing one is created here, then checked the same way.
     */
    static void trustedDirectories(Path dir, Path dest) throws IOException {
        int me = ownUid();
        Path at = dir.getRoot();
        trusted(at, dest, me);
        for (Path name : dir) {
            at = at.resolve(name);
            try {
                trusted(at, dest, me);
            } catch (NoSuchFileException missing) {
                try {
                    Files.createDirectory(at);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // created meanwhile: checked below like any other
                }
                trusted(at, dest, me);
            }
        }
    }

    private static void trusted(Path p, Path dest, int me) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        if ((mode & S_IFMT) == S_IFLNK) {
            throw new IOException("the restore destination " + dest + " has a symbolic link in its path (" + p + " -> "
                    + printable(Files.readSymbolicLink(p).toString())
                    + "); kiban does not follow links when restoring: give a path of real directories "
                    + "(e.g. with --target)");
        }
        if ((mode & S_IFMT) != S_IFDIR) {
            throw new IOException("the restore destination " + dest + ": " + p + " is not a directory");
        }
        if (uid != 0 && uid != me) {
            throw new IOException("the restore destination " + dest + ": " + p + " belongs to uid " + uid
                    + ", who could swap what kiban writes below it; restore under directories owned by root");
        }
        boolean sticky = (mode & 01000) != 0;
        boolean othersWrite = (mode & 0002) != 0 || ((mode & 0020) != 0 && gid != 0);
        if (othersWrite && !sticky) {
            throw new IOException("the restore destination " + dest + ": " + p + " is writable by other users (mode "
                    + String.format("%04o", mode & 07777) + ", no sticky bit), who could swap what kiban writes below "
                    + "it");
        }
    }

    private static int ownUid() {
        int uid = processUid();
        return uid < 0 ? 0 : uid; // unknown: only root's directories are trusted
    }

    /** This process's uid (the owner of /proc/self), or -1 when it cannot be read. */
    static int processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Whether the destination exists; refuses a destination that is a link or not a directory. */
    private static boolean existingDestination(Path at) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(at, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        if ((mode & S_IFMT) == S_IFLNK) {
            throw new IOException("the restore destination " + at + " is a symbolic link (to "
                    + printable(Files.readSymbolicLink(at).toString())
                    + "); kiban does not restore through links: remove it or give another destination");
        }
        if ((mode & S_IFMT) != S_IFDIR) {
            throw new IOException("the restore destination " + at + " exists and is not a directory");
        }
        return true;
    }

    /** Whether {@code p} is a directory a restore works in or moved a replaced tree to. */
    static boolean isWorkDirectory(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        return name.startsWith(WORK) || name.startsWith(REPLACED);
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE); // rename(2): acts on the names, follows no link
    }

    private static String random() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---- building the tree in the private directory ----

    private long build(Plan plan, Path work) throws IOException {
        for (Entry d : plan.dirs()) Files.createDirectory(work.resolve(d.path()), PRIVATE_DIR);
        long bytes = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kiban-restore");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (Entry e : plan.files()) done.add(pool.submit(() -> writeFile(work.resolve(e.path()), e)));
            for (long n : BackupRun.await(done, "restore")) bytes += n;
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES); // no writer left in the directory that may be removed next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Entry e : plan.hardLinks()) {
            Path target = work.resolve(e.target());
            expect(target, S_IFREG, "the hard link target " + printable(e.target()));
            Files.createLink(work.resolve(e.path()), target);
        }
        for (Entry e : plan.symlinks()) {
            Path p = work.resolve(e.path());
            Files.createSymbolicLink(p, Path.of(e.target()));
            if (root) { // lchown: the link itself
                Files.setAttribute(p, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", e.gid(), LinkOption.NOFOLLOW_LINKS);
            }
        }
        // deepest first, the root last: setting a directory's mtime is the last touch
        for (int i = plan.dirs().size() - 1; i >= 0; i--) {
            Entry d = plan.dirs().get(i);
            metadata(work.resolve(d.path()), d, S_IFDIR);
        }
        metadata(work, plan.root(), S_IFDIR);
        return bytes;
    }

    private long writeFile(Path p, Entry e) throws IOException {
        // O_CREAT|O_EXCL|O_NOFOLLOW: never opens anything that is already there, a link least of all
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        long n;
        try (SeekableByteChannel ch = Files.newByteChannel(p, options, PRIVATE_FILE);
             OutputStream out = Channels.newOutputStream(ch);
             InputStream in = content.apply(e)) {
            n = in.transferTo(out);
        }
        metadata(p, e, S_IFREG);
        return n;
    }

    /** Refuses unless lstat shows {@code p} to be of this type (a directory or a regular file, never a link). */
    private static void expect(Path p, int type, String what) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != type) {
            throw new IOException(what + " at " + p + " is not the " + (type == S_IFDIR ? "directory" : "regular file")
                    + " this restore created");
        }
    }

    /** Extended attributes, owner, mode and mtime, each set on the path itself (never through a link). */
    private void metadata(Path p, Entry e, int type) throws IOException {
        expect(p, type, printable(e.path()));
        if (!e.xattrs().isEmpty()) {
            var view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (view == null) {
                throw new IOException(p + ": the target filesystem cannot hold the extended attributes "
                        + e.xattrs().keySet());
            }
            for (Map.Entry<String, String> x : e.xattrs().entrySet()) {
                view.write(x.getKey(), ByteBuffer.wrap(Base64.getDecoder().decode(x.getValue())));
            }
        }
        if (root) {
            Files.setAttribute(p, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", e.gid(), LinkOption.NOFOLLOW_LINKS);
        }
        // after chown, which clears setuid
        Files.setAttribute(p, "unix:mode", e.mode() & 07777, LinkOption.NOFOLLOW_LINKS);
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.fromMillis(e.mtime()), null, null);
    }

    // ---- removing a tree without following anything in it ----

    private static void removeQuietly(Path dir, Exception cause) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** Deeper than this, a replaced tree is left for the operator: each level holds a descriptor open. */
    static final int MAX_DEPTH = 512;

    /**
     * Removes {@code dir} and everything in it through descriptor-relative calls: a directory is opened
     * with O_NOFOLLOW relative to its parent's descriptor, so a link planted anywhere in it is unlinked,
     * never followed, even if it is swapped in while this runs. The walk is iterative (no recursion) and
     * stays on {@code dir}'s filesystem: a directory on another device (a mount inside the tree) is not
     * entered, nor one deeper than {@link #MAX_DEPTH}; everything else is removed, and what is left is
     * reported.
     */
    static void deleteTree(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
            if (ds instanceof SecureDirectoryStream<Path> sds) {
                deleteIn(sds, dir.getFileName(), dir);
                return;
            }
        }
        // no descriptor-relative calls on this platform: a walk that does not follow links, nor cross mounts
        Object device = device(Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey());
        List<String> left = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                if (device != null && !device.equals(device(a.fileKey()))) {
                    left.add(d + " is another mount, not entered");
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw e;
                if (left.stream().noneMatch(l -> l.startsWith(d.toString()))) Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
        if (!left.isEmpty()) throw leftBehind(dir, left);
    }

    /** One directory being emptied: its stream, its name in its parent, what is left to remove in it. */
    private static final class Level {
        final SecureDirectoryStream<Path> parent;
        final SecureDirectoryStream<Path> stream;
        final Path name;
        final Path shown;
        final java.util.ArrayDeque<Path> children = new java.util.ArrayDeque<>();
        boolean incomplete;

        Level(SecureDirectoryStream<Path> parent, SecureDirectoryStream<Path> stream, Path name, Path shown) {
            this.parent = parent;
            this.stream = stream;
            this.name = name;
            this.shown = shown;
            for (Path c : stream) children.add(c.getFileName());
        }
    }

    private static void deleteIn(SecureDirectoryStream<Path> top, Path name, Path shown) throws IOException {
        BasicFileAttributes a = top
                .getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        if (!a.isDirectory()) {
            top.deleteFile(name);
            return;
        }
        java.util.ArrayDeque<Level> stack = new java.util.ArrayDeque<>();
        List<String> left = new ArrayList<>();
        try {
            SecureDirectoryStream<Path> first = top.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
            Object device;
            try {
                device = device(fileKey(first));
            } catch (IOException e) {
                first.close();
                throw e;
            }
            stack.push(level(top, first, name, shown));
            while (!stack.isEmpty()) {
                Level at = stack.peek();
                Path child = at.children.poll();
                if (child == null) {
                    stack.pop();
                    at.stream.close();
                    if (at.incomplete) {
                        if (!stack.isEmpty()) stack.peek().incomplete = true;
                    } else {
                        at.parent.deleteDirectory(at.name);
                    }
                    continue;
                }
                BasicFileAttributes c = at.stream
                        .getFileAttributeView(child, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
                if (!c.isDirectory()) {
                    at.stream.deleteFile(child);
                    continue;
                }
                Path childShown = at.shown.resolve(child);
                if (stack.size() >= MAX_DEPTH) {
                    left.add(childShown + " lies deeper than " + MAX_DEPTH + " levels, not entered");
                    at.incomplete = true;
                    continue;
                }
                SecureDirectoryStream<Path> sub = at.stream.newDirectoryStream(child, LinkOption.NOFOLLOW_LINKS);
                Object subDevice = device(fileKey(sub));
                if (device != null && !device.equals(subDevice)) {
                    sub.close();
                    left.add(childShown + " is another mount (a filesystem mounted inside the tree), not entered");
                    at.incomplete = true;
                    continue;
                }
                stack.push(level(at.stream, sub, child, childShown));
            }
        } finally {
            for (Level l : stack) {
                try {
                    l.stream.close();
                } catch (IOException ignored) {
                    // closing what an error left open: the error is the one to report
                }
            }
        }
        if (!left.isEmpty()) throw leftBehind(shown, left);
    }

    /** A level for {@code stream}, its names read; the stream is closed when they cannot be. */
    private static Level level(SecureDirectoryStream<Path> parent, SecureDirectoryStream<Path> stream, Path name,
            Path shown) throws IOException {
        try {
            return new Level(parent, stream, name, shown);
        } catch (java.nio.file.DirectoryIteratorException e) {
            stream.close();
            throw e.getCause();
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    private static IOException leftBehind(Path dir, List<String> left) {
        return new IOException(String.join("; ", left.stream().limit(5).toList())
                + (left.size() > 5 ? "; and " + (left.size() - 5) + " more" : "") + "; the rest of " + dir
                + " was removed");
    }

    private static Object fileKey(SecureDirectoryStream<Path> d) throws IOException {
        return d.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
    }

    /**
     * The device part of a file key ("(dev=803,ino=42)" on Linux), or null when the platform's key has none: a
     * directory whose device differs from its tree's is a mount point.
     */
    static Object device(Object fileKey) {
        if (fileKey == null) return null;
        String k = fileKey.toString();
        int at = k.indexOf("dev=");
        if (at < 0) return null;
        int end = k.indexOf(',', at);
        return end < 0 ? null : k.substring(at + 4, end);
    }
}
