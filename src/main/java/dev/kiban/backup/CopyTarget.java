package dev.kiban.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Where {@code kiban backup copy} sends a repository: the few operations it needs of a place that holds
 * files by name, so that other kinds of target (SFTP, S3) can stand behind it. Names are relative to the
 * repository ({@code config.json}, {@code packs/ab/<pack>}, {@code index/<pack>}, {@code snapshots/<id>.json}).
 * {@link LocalCopyTarget} is the only one so far.
 */
public interface CopyTarget extends AutoCloseable {
    /** The target in words, for messages ({@code /mnt/offsite/repo}). */
    String describe();

    /** Every file the target holds, with its size; empty for a new target. */
    Map<String, Long> list() throws IOException;

    boolean exists(String name) throws IOException;

    /**
     * Stores {@code content} under {@code name} unless something is there already (then false, nothing
     * written). A half-written file never has its final name.
     */
    boolean putIfAbsent(String name, byte[] content) throws IOException;

    /** Removes a file this copy just stored that did not read back as sent (never anything else). */
    void discard(String name) throws IOException;

    /** Reads a stored file back, from the target itself. */
    InputStream read(String name) throws IOException;

    /**
     * Takes the target's writer lock (creating the target, and a directory target's {@code snapshots} directory,
     * when they do not exist yet) and removes what an interrupted copy left under temporary names; held until close.
     */
    void lock() throws IOException;

    @Override
    void close() throws IOException;
}
