package dev.kiban.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code kiban backup copy}: the one executor of a {@link CopyPlan}. Under the source's reader lock and the
 * target's writer lock it sends each planned file in the plan's order and reads it back from the target,
 * comparing its SHA-256 with what was sent, before anything that refers to it is sent. Reads the source
 * only; never deletes there. A target that is another repository (another configuration: another key) is
 * refused before anything is written.
 */
public final class RepositoryCopy {
    /** For tests: runs after each file is stored and read back (a test stops the copy there). */
    static volatile Consumer<String> afterEach = name -> {};

    private RepositoryCopy() {}

    /** What a copy did (or, dry, would do); seconds and throughput of the files sent. */
    public record Result(String target, boolean dryRun, boolean configCopied, int packsCopied, int packsSkipped,
            int indexesCopied, int indexesSkipped, int snapshotsCopied, int snapshotsSkipped,
            List<String> orphanIndexes, long bytes, double seconds) {
        public double megabytesPerSecond() {
            return seconds <= 0 ? 0 : bytes / 1e6 / seconds;
        }
    }

    /** Copies what {@code target} lacks of {@code source}; a dry run only plans (and locks nothing at the target). */
    public static Result copy(BackupRepository source, CopyTarget target, boolean dryRun) throws IOException {
        source.readLocked();
        Path from = source.dir();
        Map<String, Long> here = listing(from);
        if (!here.containsKey(CopyPlan.CONFIG)) throw new IOException("the repository " + from + " has no "
                + CopyPlan.CONFIG);
        refuseForeign(from, target, target.list());
        if (dryRun) {
            return result(target, CopyPlan.of(here, target.list()), true, 0);
        }
        target.lock();
        Map<String, Long> there = target.list();
        refuseForeign(from, target, there);
        CopyPlan plan = CopyPlan.of(here, there);
        if (!plan.conflicts().isEmpty()) {
            throw new IOException("the copy at " + target.describe()
                    + " holds files of the same name but another size ("
                    + String.join("; ", plan.conflicts().stream().limit(5).toList()) + "); nothing was copied: "
                    + "check the destination with kiban backup verify -r " + target.describe());
        }
        long start = System.nanoTime();
        for (String name : plan.steps()) {
            send(from, target, name);
            afterEach.accept(name);
        }
        return result(target, plan, false, (System.nanoTime() - start) / 1e9);
    }

    private static void send(Path from, CopyTarget target, String name) throws IOException {
        byte[] content;
        try (InputStream in = Files.newInputStream(from.resolve(name), StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            content = in.readAllBytes();
        }
        String sent = sha256(content);
        try {
            if (!target.putIfAbsent(name, content)) return;
        } catch (CopyDiskFullException e) {
            throw e;
        } catch (IOException e) {
            if (diskFull(e)) throw new CopyDiskFullException(target.describe(), e);
            throw e;
        }
        String back;
        try (InputStream in = target.read(name)) {
            back = sha256(in.readAllBytes());
        }
        if (!back.equals(sent)) {
            target.discard(name);
            throw new IOException("the copy of " + name + " at " + target.describe() + " does not read back as sent "
                    + "(SHA-256 " + back + ", sent " + sent + "): it was removed and nothing that refers to it was "
                    + "written; the destination's disk may be failing");
        }
    }

    /**
     * Refuses a target that holds another repository's configuration, or that has none but holds files (other
     * than a lock and temporaries): nothing of this repository may be mixed into it.
     */
    private static void refuseForeign(Path from, CopyTarget target, Map<String, Long> there) throws IOException {
        if (there.containsKey(CopyPlan.CONFIG)) {
            byte[] mine = Files.readAllBytes(from.resolve(CopyPlan.CONFIG));
            byte[] theirs;
            try (InputStream in = target.read(CopyPlan.CONFIG)) {
                theirs = in.readNBytes(64 * 1024);
            }
            if (!Arrays.equals(mine, theirs)) {
                throw new RepositoryUsageException("refusing to copy to " + target.describe() + ": it is another "
                        + "repository (its " + CopyPlan.CONFIG + " differs: another format or key); give an empty or "
                        + "new directory, or this repository's earlier copy");
            }
            return;
        }
        List<String> strangers = there.keySet().stream()
                .filter(n -> !n.equals(RepositoryLock.FILE)
                        && !Path.of(n).getFileName().toString().matches("\\..+\\.tmp"))
                .toList();
        if (!strangers.isEmpty()) {
            throw new RepositoryUsageException("refusing to copy to " + target.describe() + ": it is not a kiban "
                    + "backup repository (it has no " + CopyPlan.CONFIG + " and holds " + strangers.get(0)
                    + (strangers.size() > 1 ? " and " + (strangers.size() - 1) + " more" : "")
                    + "); give an empty or new directory");
        }
    }

    private static Result result(CopyTarget target, CopyPlan plan, boolean dryRun, double seconds) {
        return new Result(target.describe(), dryRun, !plan.config().isEmpty(), plan.packs().size(), plan.packsSkipped(),
                plan.indexes().size(), plan.indexesSkipped(), plan.snapshots().size(), plan.snapshotsSkipped(),
                plan.orphanIndexes(), plan.bytes(), seconds);
    }

    /** The source's files a copy may carry, by repository name, with their sizes; no link is followed. */
    static Map<String, Long> listing(Path repository) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(repository)) {
            for (Path p : all.toList()) {
                String name = repository.relativize(p).toString();
                if (!CopyPlan.isRepositoryFile(name)) continue;
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile()) out.put(name, a.size());
            }
        }
        return out;
    }

    private static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) return true;
        }
        return false;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
