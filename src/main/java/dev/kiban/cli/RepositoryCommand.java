package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A backup command that reads the repository and needs no engine: list, show, diff, verify. It opens an
 * existing repository only (creating nothing) under a reader's shared lock.
 */
abstract class RepositoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepositoryOptions repositoryOptions;

    /** What the command does with the opened repository; it is closed after. */
    abstract int call(BackupRepository repo) throws IOException;

    @Override
    public Integer call() throws IOException {
        try (BackupRepository repo = repositoryOptions.open(SpecLoading.spec(spec).require())) {
            return call(repo);
        }
    }
}
