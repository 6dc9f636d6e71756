package dev.kiban.os;

import dev.kiban.failure.UnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory of files kiban generates whole (the book of {@code kiban docs}, the output of {@code kiban migrate
 * ecs}): what stands at its place now, and the writing of a new set into a fresh directory beside it, moved into
 * place, so a reader sees the old set or the new, never a part. Links are never followed.
 */
public final class GeneratedDirectory {
    /** What stands at the output's place: each command decides which it replaces. */
    public enum State { ABSENT, NO_PARENT, LINK, NOT_A_DIRECTORY, EMPTY, EARLIER_OUTPUT, FOREIGN }

    private GeneratedDirectory() {}

    /** What is at {@code out}; an earlier output holds the regular file {@code marker} (no link). */
    public static State state(Path out, String marker) throws IOException {
        Optional<BasicFileAttributes> at = lstat(out);
        if (at.isEmpty()) {
            Path parent = out.toAbsolutePath().normalize().getParent();
            return parent == null || !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS) ? State.NO_PARENT
                    : State.ABSENT;
        }
        if (at.get().isSymbolicLink()) return State.LINK;
        if (!at.get().isDirectory()) return State.NOT_A_DIRECTORY;
        if (lstat(out.resolve(marker)).map(BasicFileAttributes::isRegularFile).orElse(false)) {
            return State.EARLIER_OUTPUT;
        }
        try (Stream<Path> s = Files.list(out)) {
            return s.findAny().isEmpty() ? State.EMPTY : State.FOREIGN;
        }
    }

    /**
     * Writes {@code files} (relative path → text) into a new directory beside {@code out}, then moves it into place;
     * what stood there (the caller decided it may go) is moved aside first and removed after.
     */
    public static void write(Path out, Map<String, String> files) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        String name = target.getFileName().toString();
        Path fresh;
        try {
            fresh = Files.createTempDirectory(parent, "." + name + ".new-");
        } catch (IOException e) {
            throw new UnavailableException("cannot write beside --out " + out + ": " + e.getClass().getSimpleName());
        }
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = fresh.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
            Path old = null;
            if (lstat(target).isPresent()) {
                old = Files.createTempDirectory(parent, "." + name + ".old-");
                Files.delete(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            fresh = null;
            if (old != null) removeTree(old);
        } catch (IOException e) {
            throw new UnavailableException("cannot write --out " + out + ": " + e.getClass().getSimpleName());
        } finally {
            if (fresh != null) removeTree(fresh);
        }
    }

    /** Removes a tree kiban made itself; links inside are removed, never followed. */
    private static void removeTree(Path dir) throws IOException {
        if (lstat(dir).isEmpty()) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static Optional<BasicFileAttributes> lstat(Path p) throws IOException {
        try {
            return Optional.of(Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
