package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SecretRef;
import dev.kiban.spec.SpecException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which backup repository, and its key: --repository and --key-file, else the spec's backup.repository and
 * backup.encryptionKey.
 */
final class RepositoryOptions {
    @Option(names = {"-r", "--repository"}, paramLabel = "DIR",
            description = "Backup repository. Default: the spec's backup.repository.")
    Path repository;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Key file of an encrypted repository "
            + "(created 0600 with a new repository when missing). It must be a regular file, not a symbolic link, "
            + "and neither readable nor writable by group or others (chmod 600): anything else is refused. "
            + "Default: the spec's backup.encryptionKey (file:PATH).")
    Path keyFile;

    /**
     * The existing repository for a reader (list, show, diff, verify, restore), under a shared lock held
     * until it is closed. Nothing is created: a path that is not a repository is a usage error (exit 2).
     */
    BackupRepository open(PlatformSpec spec) throws IOException {
        BackupRepository repo = BackupRepository.openExisting(path(spec), key(spec));
        try {
            return repo.readLocked();
        } catch (IOException | RuntimeException e) {
            repo.close();
            throw e;
        }
    }

    /** The existing repository for prune and repair, which take the writer's lock themselves. */
    BackupRepository openForWrite(PlatformSpec spec) throws IOException {
        return BackupRepository.openExisting(path(spec), key(spec));
    }

    /** The repository for a backup run, created (with its key) when it does not exist: only a run creates one. */
    BackupRepository openOrCreate(PlatformSpec spec) throws IOException {
        return BackupRepository.open(path(spec), key(spec));
    }

    Path path(PlatformSpec spec) {
        return repository != null ? repository : Path.of(spec.backup().repository().value());
    }

    private Optional<Path> key(PlatformSpec spec) {
        if (keyFile != null) return Optional.of(keyFile);
        Optional<SecretRef> ref = spec.backup().encryptionKey();
        if (ref.isEmpty()) return Optional.empty();
        if (ref.get().kind() != SecretRef.Kind.FILE) {
            throw new SpecException("backup.encryptionKey: give the key as file:/path of a key file (kiban writes a "
                    + "new one there when the repository is created), not " + ref.get());
        }
        return Optional.of(Path.of(ref.get().value()));
    }
}
