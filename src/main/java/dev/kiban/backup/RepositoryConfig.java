package dev.kiban.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.os.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A repository's {@code config.json} (format, encryption, key check) and its layout: creating a new
 * repository with its key, and checking an existing one before anything reads it. The format is
 * {@link BackupRepository#FORMAT}; an earlier format is refused with what to do.
 */
final class RepositoryConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RepositoryConfig() {}

    static boolean hasConfig(Path dir) {
        Path config = dir.resolve(CONFIG);
        return Files.exists(config, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(config);
    }

    /**
     * The operator's repository path resolved once, links included (the operator's own path): an existing
     * directory's real path, or a new one's name in its parent's real path. Everything after works on it,
     * so a link in the operator's path is followed once here and never again inside the repository. A
     * path whose parent is missing, or that is a dangling link, is left as given for {@link #create} to refuse.
     */
    static Path realRepository(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return dir.toRealPath();
        Path abs = dir.toAbsolutePath();
        Path parent = abs.getParent();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) || parent == null || !Files.isDirectory(parent)) return dir;
        return parent.toRealPath().resolve(abs.getFileName());
    }


    static final String CONFIG = "config.json";

    /**
     * Creates the repository's directory (only its last one) and then, under the writer's lock, its key and
     * configuration: two first runs at once create one key, not two (the second finds the configuration).
     */
    static void create(Path dir, Optional<Path> keyFile) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            refuseForeign(dir, true);
        } else if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
                // asked again: another first run may have created the directory since the first question
                && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new RepositoryUsageException("not a kiban backup repository: " + dir
                    + " (not a directory); check -r / backup.repository");
        } else {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                // only the repository's own directory is created: a missing parent is most often an unmounted disk
                throw new IOException("the directory " + parent + " that holds the repository " + dir
                        + " does not exist: is the backup disk "
                        + "mounted? (create the directory to start a new repository there)");
            }
            try {
                Files.createDirectory(dir, PRIVATE_DIR);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new RepositoryUsageException("not a kiban backup repository: " + dir
                            + " (not a directory); check -r / backup.repository");
                }
            }
        }
        try (RepositoryLock lock = RepositoryLock.writer(dir, false)) {
            if (hasConfig(dir)) return; // another first run created it meanwhile
            refuseForeign(dir, false);
            RepositoryKey key = null;
            if (keyFile.isPresent()) key = Files.exists(keyFile.get(), LinkOption.NOFOLLOW_LINKS)
                    || Files.isSymbolicLink(keyFile.get())
                    ? RepositoryKey.read(keyFile.get())
                    : RepositoryKey.generate(keyFile.get());
            Path snapshots = dir.resolve("snapshots");
            if (!Files.isDirectory(snapshots, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(snapshots, PRIVATE_DIR);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("format", BackupRepository.FORMAT);
            conf.put("encryption", key == null ? "none" : "aes-256-gcm");
            if (key != null) conf.put("keyCheck", key.check());
            AtomicFile.write(dir.resolve(CONFIG),
                    (JSON.writeValueAsString(conf) + "\n").getBytes(StandardCharsets.UTF_8), "rw-------", false);
        }
    }

    /**
     * Refuses a directory that holds more than a first run leaves (its lock file and snapshots directory);
     * before the lock ({@code creating}) also what another first run may be writing at that moment.
     */
    private static void refuseForeign(Path dir, boolean creating) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            if (s.map(p -> p.getFileName().toString()).anyMatch(n -> !n.equals(RepositoryLock.FILE)
                    && !(n.equals("snapshots") && Files.isDirectory(dir.resolve(n), LinkOption.NOFOLLOW_LINKS))
                    && !(creating && (n.equals(CONFIG) || (n.startsWith("." + CONFIG + ".") && n.endsWith(".tmp")))))) {
                throw new RepositoryUsageException("not a kiban backup repository: " + dir + " (it has no "
                        + CONFIG + " and is not empty); "
                        + "check -r / backup.repository, or give an empty or new directory");
            }
        }
    }

    private static final java.nio.file.attribute.FileAttribute<?> PRIVATE_DIR =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

    /**
     * Checks the repository's configuration and layout and opens its key: null for an unencrypted
     * repository. Nothing is created.
     */
    static RepositoryKey load(Path dir, Optional<Path> keyFile) throws IOException {
        Path config = dir.resolve(CONFIG);
        for (String part : List.of(CONFIG, "snapshots", "index", "packs", DamagedArea.DIR)) {
            if (Files.isSymbolicLink(dir.resolve(part))) {
                throw new IOException("the repository " + dir + " is damaged: its " + part
                        + " is a symbolic link, and kiban never follows a "
                        + "link inside a repository");
            }
        }
        Map<?, ?> conf;
        try {
            conf = JSON.readValue(RepositoryKey.readFile(null, config, "the configuration"), Map.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("the repository " + dir + " is damaged: its " + CONFIG + " is not valid JSON; "
                    + "put back a copy of it (it holds only the format, the encryption and the key check) or restore "
                    + "the repository from elsewhere");
        }
        if (conf == null) throw new IOException("the repository " + dir + " is damaged: its " + CONFIG + " is empty");
        if ("kiban-backup/1".equals(conf.get("format"))) {
            throw new RepositoryUsageException(dir + " is a kiban-backup/1 repository (one file per chunk); this kiban "
                    + "writes " + BackupRepository.FORMAT + " (pack files): back up into a new repository and remove "
                    + "the old one "
                    + "when the new holds what you need");
        }
        if (!BackupRepository.FORMAT.equals(conf.get("format"))) {
            throw new RepositoryUsageException("not a kiban backup repository: " + dir + " (its " + CONFIG
                    + " has another format); check -r / "
                    + "backup.repository");
        }
        boolean encrypted = !"none".equals(conf.get("encryption"));
        if (encrypted && keyFile.isEmpty()) {
            throw new RepositoryUsageException("the repository " + dir
                    + " is encrypted: give its key file (backup.encryptionKey: file:PATH, or "
                    + "--key-file)");
        }
        if (!encrypted && keyFile.isPresent()) {
            throw new RepositoryUsageException("the repository " + dir
                    + " is not encrypted, but a key file is given; an existing repository is "
                    + "not encrypted after the fact: point backup.repository at a new directory");
        }
        RepositoryKey key = null;
        if (encrypted) {
            key = RepositoryKey.read(keyFile.get());
            if (!key.opens(String.valueOf(conf.get("keyCheck")))) throw new IOException("the key file " + keyFile.get()
                    + " does not open the repository " + dir);
        }
        if (!Files.isDirectory(dir.resolve("snapshots"), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the repository " + dir + " is damaged: it has no snapshots directory");
        }
        return key;
    }
}
