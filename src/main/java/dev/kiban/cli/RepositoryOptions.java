package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which backup repository: --repository, else the spec's backup.repository. */
final class RepositoryOptions {
    @Option(names = {"-r", "--repository"}, paramLabel = "DIR", description = "Backup repository. Default: the spec's backup.repository.")
    Path repository;

    BackupRepository open(PlatformSpec spec) throws IOException {
        return BackupRepository.open(repository != null ? repository : Path.of(spec.backup().repository().value()));
    }
}
