package dev.kiban.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiban.os.AtomicFile;
import dev.kiban.os.Failures;
import dev.kiban.os.FileOwnership;
import dev.kiban.os.HostRoot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The numbered generations under {@code <root>/var/lib/kiban/generations/}: each holds a manifest and
 * a copy of every file as it was before that apply, so any generation can be undone byte for byte.
 *
 * <p>Every path is reached without following links ({@link HostRoot}); a manifest is checked before it
 * is trusted (a recorded path must be a plain absolute host path), so a crafted one cannot steer a
 * rollback outside the root. Reading ({@link #list}) creates nothing. Changing the host is serialised
 * by {@link #lock}: a kernel lock on {@code <root>/var/lib/kiban/lock}, released when the process ends.
 */
public final class GenerationStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String OWNER = "[A-Za-z0-9_.][A-Za-z0-9_.-]*(:[A-Za-z0-9_.][A-Za-z0-9_.-]*)?";
    private static final String MODE = "([r-][w-][x-]){3}";
    private final Path root;

    public GenerationStore(Path root) {
        this.root = root;
    }

    /** The lock file's path (it exists only once an apply or rollback ran). */
    public Path lockPath() {
        return HostRoot.resolve(root, DirectoryLayout.STATE + "/lock");
    }

    public List<Generation> list() throws IOException {
        Optional<Path> dir = directory(DirectoryLayout.GENERATIONS, false);
        if (dir.isEmpty()) return List.of();
        List<Generation> out = new ArrayList<>();
        for (int n : numbers(dir.get())) {
            Path g = dir.get().resolve(String.valueOf(n));
            Path manifest = g.resolve("manifest.json");
            Optional<BasicFileAttributes> m = HostRoot.lstat(manifest);
            if (m.isEmpty()) continue; // begun but killed before its manifest: nothing of it reached the host
            if (!m.get().isRegularFile()) throw corrupt(n, manifest, "it is not a regular file");
            Generation gen;
            try {
                gen = JSON.readValue(ObservedFile.readNoFollow(manifest), Generation.class);
            } catch (JsonProcessingException e) {
                throw corrupt(n, manifest, "it is not a manifest kiban wrote (not valid JSON of a generation)");
            }
            validate(gen, n, manifest);
            out.add(gen);
        }
        out.sort(Comparator.comparingInt(Generation::number));
        return out;
    }

    public Optional<Generation> get(int number) throws IOException {
        return list().stream().filter(g -> g.number() == number).findFirst();
    }

    /** The generation numbers present, each checked to be a real directory (a planted link is refused). */
    private List<Integer> numbers(Path dir) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> gens = Files.list(dir)) {
            for (Path g : gens.toList()) {
                String name = g.getFileName().toString();
                if (!name.matches("\\d{1,9}")) continue;
                BasicFileAttributes a = HostRoot.lstat(g)
                        .orElseThrow(() -> new IOException(g + " vanished while listing"));
                if (!a.isDirectory() || a.isSymbolicLink()) {
                    throw new HostRoot.Refusal(g + " is " + (a.isSymbolicLink() ? "a symbolic link" : "not a directory")
                            + ", not a generation kiban recorded; move it away");
                }
                out.add(Integer.parseInt(name));
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static HostRoot.Refusal corrupt(int n, Path manifest, String why) {
        return new HostRoot.Refusal("generation " + n + ": " + manifest + ": " + why
                + "; kiban trusts no generation it cannot read: move that generation away, then run again");
    }

    /** A manifest is input: every field is checked before a rollback acts on it. */
    private static void validate(Generation g, int n, Path manifest) throws IOException {
        if (g == null || g.number() != n) throw corrupt(n, manifest, "its number does not match its directory");
        if (g.status() == null || g.entries() == null) throw corrupt(n, manifest, "it has no status or no entries");
        for (Generation.Entry e : g.entries()) {
            if (e == null) throw corrupt(n, manifest, "it has an empty entry");
            Optional<String> why = HostRoot.problem(e.path());
            if (why.isPresent()) throw corrupt(n, manifest, "recorded " + why.get());
            if (e.mode() == null || !(e.mode().isEmpty() || e.mode().matches(MODE))) {
                throw corrupt(n, manifest, "the mode recorded for " + e.path() + " is not like rw-r--r--");
            }
            // a path that existed is put back with its mode: kiban always records one (a created path has none)
            if (e.existed() && !e.wasLink() && e.mode().isEmpty()) {
                throw corrupt(n, manifest, "no mode is recorded for " + e.path()
                        + ", which existed before; expected one like rw-r--r--");
            }
            if (e.owner() == null || !(e.owner().isEmpty() || e.owner().matches(OWNER))) {
                throw corrupt(n, manifest, "the owner recorded for " + e.path() + " is not like user:group");
            }
            if (e.link().indexOf('\0') >= 0 || (e.wasLink() && (e.directory() || !e.existed()))) {
                throw corrupt(n, manifest, "the link recorded for " + e.path() + " is not one kiban records");
            }
        }
    }

    /**
     * A directory of kiban's state, checked (every component a real directory, no link); with
     * {@code create} made 0700 when missing. Empty when absent and not created.
     */
    private Optional<Path> directory(String hostDir, boolean create) throws IOException {
        Path p = HostRoot.parents(root, hostDir, create);
        Optional<BasicFileAttributes> a = HostRoot.lstat(p);
        if (a.isEmpty()) {
            if (!create) return Optional.empty();
            Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
            a = HostRoot.lstat(p);
        }
        if (a.orElseThrow().isSymbolicLink()) {
            throw new HostRoot.Refusal("refusing " + HostRoot.where(root, hostDir) + ": it is a symbolic link (to "
                    + Files.readSymbolicLink(p) + "); kiban keeps its generations and lock only in a real directory");
        }
        if (!a.get().isDirectory()) {
            throw new HostRoot.Refusal("refusing " + HostRoot.where(root, hostDir)
                    + ": it is not a directory; expected a directory");
        }
        return Optional.of(p);
    }

    /** Why kiban could not keep its state under this root, read-only (empty: it can). */
    Optional<String> unsafe() {
        try {
            directory(DirectoryLayout.GENERATIONS, false);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(Failures.describe(e));
        }
    }

    /** An exclusive lock on this root, held until closed or until the process ends (the kernel drops it). */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;

        private Lock(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() throws IOException {
            channel.close(); // releases the lock
        }
    }

    /**
     * Takes the exclusive lock of this root, or refuses naming the holder. The lock file is never
     * removed (removing it would let two processes lock two different files); it holds the holder's pid.
     */
    public Lock lock() throws IOException {
        Path state = directory(DirectoryLayout.STATE, true).orElseThrow();
        Path path = state.resolve("lock");
        Optional<BasicFileAttributes> a = HostRoot.lstat(path);
        if (a.isPresent() && !a.get().isRegularFile()) {
            throw new HostRoot.Refusal("refusing " + path + ": it is "
                    + (a.get().isSymbolicLink() ? "a symbolic link" : "not a regular file")
                    + "; expected kiban's lock file: move it away");
        }
        FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock held;
        try {
            held = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null; // this JVM holds it already
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (held == null) {
            String pid = holder(ch);
            ch.close();
            throw new HostRoot.Refusal("another kiban apply or rollback holds " + path + " (" + pid
                    + "); wait for it to finish");
        }
        try {
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(PosixFilePermissions.fromString("rw-------"));
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new Lock(ch);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(24);
            ch.read(buf, 0);
            String s = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
            return s.matches("\\d{1,10}") ? "pid " + s : "pid unknown";
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    /** Records the before-state of {@code paths} as generation N+1, status APPLYING, before anything changes. */
    public Generation begin(List<String> filePaths, List<String> dirPaths, String note) throws IOException {
        Path dir = directory(DirectoryLayout.GENERATIONS, true).orElseThrow();
        Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setPermissions(PosixFilePermissions.fromString("rwx------"));
        list(); // a store kiban cannot read is refused before anything is written
        int number = numbers(dir).stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        Path g = dir.resolve(String.valueOf(number));
        try {
            Files.createDirectory(g); // never into anything planted there
        } catch (FileAlreadyExistsException e) {
            throw new HostRoot.Refusal("refusing " + g + ": it already exists; expected to create generation "
                    + number + " there");
        }
        Path before = Files.createDirectory(g.resolve("before"));
        List<Generation.Entry> entries = new ArrayList<>();
        // Directories this apply will create on the way (parents of files and layout directories), so
        // that undoing it leaves no empty directory behind.
        Set<String> missingParents = new TreeSet<>();
        for (String p : concat(filePaths, dirPaths)) {
            for (String parent = parentOf(p); !parent.equals("/"); parent = parentOf(parent)) {
                boolean absent = HostRoot.lstat(HostRoot.under(root, parent)).isEmpty();
                if (absent && !dirPaths.contains(parent)) missingParents.add(parent);
            }
        }
        for (String p : missingParents) entries.add(new Generation.Entry(p, true, false, "", ""));
        for (String p : dirPaths) entries.add(entry(p, true));
        for (String p : filePaths) {
            Generation.Entry e = entry(p, false);
            entries.add(e);
            if (e.existed() && !e.wasLink()) {
                Path from = HostRoot.parents(root, p, false);
                byte[] content = HostRoot.lstat(from).map(BasicFileAttributes::isRegularFile).orElse(false)
                        ? ObservedFile.readNoFollow(from) : new byte[0];
                AtomicFile.write(HostRoot.parents(before, p, true), content, "rw-------", false);
            }
        }
        Generation gen = new Generation(number, java.time.Instant.now().toString(), Generation.Status.APPLYING,
                entries, note);
        save(gen);
        return gen;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String parentOf(String hostPath) {
        int slash = hostPath.lastIndexOf('/');
        return slash <= 0 ? "/" : hostPath.substring(0, slash);
    }

    private Generation.Entry entry(String hostPath, boolean directory) throws IOException {
        HostRoot.parents(root, hostPath, false);
        Optional<ObservedFile> now = ObservedFile.read(HostRoot.resolve(root, hostPath));
        return new Generation.Entry(hostPath, directory, now.isPresent(), now.map(ObservedFile::mode).orElse(""),
                now.map(ObservedFile::owner).orElse(""), now.map(ObservedFile::link).orElse(""));
    }

    public void save(Generation gen) throws IOException {
        Path dir = directory(DirectoryLayout.GENERATIONS, false)
                .orElseThrow(() -> new IOException("the generations directory vanished"));
        Path g = dir.resolve(String.valueOf(gen.number()));
        AtomicFile.requireRealDirectory(g);
        byte[] json = JSON.writeValueAsString(gen).getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(g.resolve("manifest.json"), json, "rw-------", false);
    }

    /**
     * Puts every path of {@code gen} back as it was before it: restores copies (a link as a link), removes
     * the files it created, and removes the directories it created when they are empty again (one that
     * holds anything now is left: never delete data).
     */
    public void undo(Generation gen) throws IOException {
        Path dir = directory(DirectoryLayout.GENERATIONS, false)
                .orElseThrow(() -> new IOException("no generations under " + root));
        validate(gen, gen.number(), dir.resolve(gen.number() + "/manifest.json"));
        Path before = dir.resolve(gen.number() + "/before");
        // what can be known before the first path changes is checked first: never stop half-way through
        for (Generation.Entry e : gen.entries()) {
            if (e.existed() && !FileOwnership.resolvable(root, e.owner())) {
                throw new HostRoot.Refusal("generation " + gen.number() + ": the owner recorded for " + e.path()
                        + " (" + e.owner() + ") is not a user and group on this machine; nothing was put back: "
                        + "create them, or move that generation away");
            }
        }
        List<Generation.Entry> files = gen.entries().stream().filter(e -> !e.directory()).toList();
        List<String> problems = new ArrayList<>();
        for (Generation.Entry e : files) {
            try {
                restore(gen, before, e);
            } catch (HostRoot.Refusal r) {
                // A path now behind a link was never written through it: nothing of this apply is there.
                // One that existed cannot be put back that way: say so, and put back all the others.
                if (e.existed()) problems.add(r.getMessage());
            }
        }
        List<Generation.Entry> dirs = new ArrayList<>(gen.entries().stream().filter(Generation.Entry::directory)
                .toList());
        dirs.sort(Comparator.comparing(Generation.Entry::path).reversed());
        for (Generation.Entry e : dirs) {
            if (HostRoot.unsafe(root, e.path()).isPresent()) continue; // behind a link now: not touched through it
            Path target = HostRoot.parents(root, e.path(), false);
            Optional<BasicFileAttributes> a = HostRoot.lstat(target);
            if (a.isEmpty() || !a.get().isDirectory() || a.get().isSymbolicLink()) continue;
            if (!e.existed()) {
                try (Stream<Path> s = Files.list(target)) {
                    if (s.findAny().isEmpty()) Files.delete(target); // only if still empty: never delete data
                }
            } else if (!e.mode().isEmpty()) {
                Files.getFileAttributeView(target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(PosixFilePermissions.fromString(e.mode()));
                FileOwnership.set(target, e.owner());
            }
        }
        if (!problems.isEmpty()) throw new HostRoot.Refusal(String.join("; ", problems));
    }

    private void restore(Generation gen, Path before, Generation.Entry e) throws IOException {
        if (!e.existed()) {
            Path target = HostRoot.parents(root, e.path(), false);
            Optional<BasicFileAttributes> a = HostRoot.lstat(target);
            if (a.isPresent() && !a.get().isDirectory()) Files.delete(target); // unlink: removes a link, never follows
            return;
        }
        Path target = HostRoot.parents(root, e.path(), true);
        if (e.wasLink()) {
            AtomicFile.symlink(target, e.link());
            FileOwnership.set(target, e.owner());
            return;
        }
        AtomicFile.requireRealDirectory(before);
        Path copy = HostRoot.parents(before, e.path(), false);
        if (!HostRoot.lstat(copy).map(BasicFileAttributes::isRegularFile).orElse(false)) {
            throw new HostRoot.Refusal("generation " + gen.number() + ": the copy of " + e.path() + " at " + copy
                    + " is missing or not a regular file; cannot put it back");
        }
        AtomicFile.write(target, ObservedFile.readNoFollow(copy), e.mode(), e.owner(), false);
    }
}
