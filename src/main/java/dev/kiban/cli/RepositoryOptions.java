package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SecretRef;
import dev.kiban.spec.SpecException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which backup repository, and its key: --repository and --key-file, else the spec's backup.repository and backup.encryptionKey. */
final class RepositoryOptions {
    @Option(names = {"-r", "--repository"}, paramLabel = "DIR", description = "Backup repository. Default: the spec's backup.repository.")
    Path repository;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Key file of an encrypted repository (created 0600 with a new repository "
            + "when missing). Default: the spec's backup.encryptionKey (file:PATH).")
    Path keyFile;

    BackupRepository open(PlatformSpec spec) throws IOException {
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
            throw new SpecException("backup.encryptionKey: give the key as file:/path of a key file (kiban writes a new one there when the "
                    + "repository is created), not " + ref.get());
        }
        return Optional.of(Path.of(ref.get().value()));
    }
}
