package dev.kiban.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Writes repository parts directly, for the hostile and damage cases: a small repository with real
 * snapshots, then an index deleted or cut, a snapshot of garbage or invalid JSON, a broken config, a
 * pack turned into the format of the previous release (no pack magic, no blob headers), a killed
 * run's pack. Used by the backup unit tests and by the CLI's hostile corpus.
 */
public final class RepositoryFixtures {
    private RepositoryFixtures() {}

    /** Small chunks, so a few kilobytes make several: tests see more than one chunk per file. */
    public static Chunker smallChunks() {
        return new Chunker(16 * 1024, 64 * 1024, 256 * 1024);
    }

    /** A directory with a text file, a random (incompressible) file and a subdirectory. */
    public static Path tree(Path dir, long seed) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("notes.txt"), ("seed " + seed + " kiban\n").repeat(5000));
        byte[] random = new byte[300 * 1024];
        new Random(seed).nextBytes(random);
        Files.write(dir.resolve("sub/blob.bin"), random);
        return dir;
    }

    /**
     * A repository at {@code repo} with one snapshot of {@code data} (a new repository, or one more snapshot); its id.
     */
    public static String snapshot(Path repo, Path data, Optional<Path> key) throws IOException {
        try (BackupRepository r = BackupRepository.open(repo, key, smallChunks(), 2)) {
            return r.backup(List.of(new BackupRepository.Source("path:data", data))).id();
        }
    }

    public static List<Path> packs(Path repo) throws IOException {
        if (!Files.isDirectory(repo.resolve("packs"))) return List.of();
        try (Stream<Path> s = Files.walk(repo.resolve("packs"))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    public static List<Path> indexes(Path repo) throws IOException {
        if (!Files.isDirectory(repo.resolve("index"))) return List.of();
        try (Stream<Path> s = Files.list(repo.resolve("index"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    public static Path snapshotFile(Path repo, String id) {
        return repo.resolve("snapshots").resolve(id + ".json");
    }

    public static void deleteIndexes(Path repo) throws IOException {
        for (Path p : indexes(repo)) Files.delete(p);
    }

    /** Cuts every index to half its length: no longer a whole number of entries, or no longer decrypting. */
    public static void truncateIndexes(Path repo) throws IOException {
        for (Path p : indexes(repo)) {
            byte[] b = Files.readAllBytes(p);
            Files.write(p, java.util.Arrays.copyOf(b, b.length / 2 + 1));
        }
    }

    public static void garbage(Path file, long seed) throws IOException {
        byte[] b = new byte[700];
        new Random(seed).nextBytes(b);
        Files.write(file, b);
    }

    public static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** A key file of 32 random bytes with {@code mode} (e.g. rw-r--r--). */
    public static Path keyFile(Path file, String mode) throws IOException {
        byte[] b = new byte[32];
        new Random(11).nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, java.util.Base64.getEncoder().encode(b));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    /**
     * Rewrites every pack of an unencrypted repository as the previous release wrote it (blobs one after
     * another, no pack magic, no headers) with an index pointing at the moved blobs.
     */
    public static void toOldFormat(Path repo) throws IOException {
        try (ChunkStore store = new ChunkStore(repo)) {
            for (var pack : store.packs().entrySet()) {
                Path file = store.packPath(pack.getKey());
                byte[] bytes = Files.readAllBytes(file);
                ByteBuffer out = ByteBuffer.allocate(bytes.length);
                ByteBuffer index = ByteBuffer.allocate(8 + pack.getValue().size() * 48);
                index.put(new byte[] {'k', 'i', 'd', 'x', 0, 0, 0, 1});
                for (String id : pack.getValue()) {
                    ChunkStore.Location at = store.locate(id).orElseThrow();
                    long offset = out.position();
                    out.put(bytes, (int) at.offset(), at.length());
                    index.put(HexFormat.of().parseHex(id)).putLong(offset).putInt(at.length()).putInt(at.size());
                }
                Files.write(file, java.util.Arrays.copyOf(out.array(), out.position()));
                Files.write(store.indexPath(pack.getKey()), index.array());
            }
        }
    }

    /** What a killed run leaves: a pack of new chunks that was never indexed (and never flushed). Its path. */
    public static Path killedRunPack(Path repo, Optional<RepositoryKey> key, String content) throws IOException {
        List<Path> before = new ArrayList<>(packs(repo));
        ChunkStore killed = new ChunkStore(repo, key.orElse(null)); // never flushed nor closed: the process died
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        killed.put(data, data.length);
        List<Path> after = new ArrayList<>(packs(repo));
        after.removeAll(before);
        return after.get(0);
    }

    /**
     * Makes the repository's reads of some files fail as the disk or the permissions would ({@code fault} gives
     * the error for a file, or null); null clears it.
     */
    public static void failReads(java.util.function.Function<Path, IOException> fault) {
        RepositoryKey.readFault = fault;
    }

    /**
     * What is wrong with a repository (a copy, say), each snapshot verified with every chunk read back: its damage,
     * every snapshot's problems and the packs no index names. Empty: sound.
     */
    public static List<String> problemsReadingEverything(Path repo, Optional<Path> key) throws IOException {
        try (BackupRepository r = BackupRepository.openExisting(repo, key).readLocked()) {
            List<String> problems = new ArrayList<>(r.damage());
            for (Snapshot s : r.snapshots()) problems.addAll(r.verify(s, true));
            if (r.unindexedPacks() > 0) problems.add(r.unindexedPacks() + " unindexed packs");
            return problems;
        }
    }

    public static int snapshotCount(Path repo, Path key) throws IOException {
        try (BackupRepository r = BackupRepository.openExisting(repo, Optional.of(key))) {
            return r.snapshots().size();
        }
    }
}
