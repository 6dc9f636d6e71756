package dev.kiban.cli;

import dev.kiban.backup.BackupRepository;
import dev.kiban.backup.CopyAddress;
import dev.kiban.backup.CopyDiskFullException;
import dev.kiban.backup.CopyTarget;
import dev.kiban.backup.LocalCopyTarget;
import dev.kiban.backup.RepositoryCopy;
import dev.kiban.backup.S3CopyTarget;
import dev.kiban.backup.SftpCopyTarget;
import dev.kiban.failure.UnavailableException;
import dev.kiban.failure.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "copy", mixinStandardHelpOptions = true,
        header = "Copy the repository's new packs, indexes and snapshots to a second repository (off-site).",
        description = {"Sends what the copy at --to lacks: the configuration the first time (so the copy opens with "
                + "the same key file, which is not copied: keep it apart from the copy), then the packs, each read "
                + "back and compared by SHA-256, then the indexes, then the snapshots. An interrupted copy is sound "
                + "and older; run again to send the rest. Deletes nothing here. A destination that is a symbolic link, "
                + "holds one, is a file or another repository is refused with nothing written.", "",
                "Targets (--to):",
                "  /mnt/offsite/repo: a directory (a second disk, a mounted share).",
                "  sftp://user@host[:port]/path: an SFTP server. Log in with --identity KEY",
                "    (a private key without a passphrase, chmod 600). The host key is checked",
                "    against --known-hosts (default ~/.ssh/known_hosts): an unknown or changed",
                "    key is refused; compare its fingerprint, then add it with ssh-keyscan.",
                "    No link on the server is followed.",
                "  s3://bucket[/prefix]: an S3 bucket; --endpoint URL for an S3-compatible store",
                "    (path-style); --region; credentials from --credentials-file (an AWS",
                "    credentials file, chmod 600; --profile) or the SDK's default chain",
                "    (environment, ~/.aws). S3 locks are advisory.",
                "",
                "Exit codes: 0 copied; 1 the copy did not read back as sent; 2 a malformed target or options; "
                        + "3 the target unreachable, full, locked, a refused login or host key.", ""})
final class BackupCopyCommand extends RepositoryCommand {
    @Option(names = "--to", required = true, paramLabel = "TARGET",
            description = "The copy: a directory, sftp://user@host[:port]/path or s3://bucket[/prefix]; an existing "
                    + "repository made by an earlier copy, or an empty or new one.")
    String to;

    @Option(names = "--identity", paramLabel = "FILE", description = "sftp: the private key to log in with.")
    Path identity;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "sftp: the known_hosts file holding the server's host key. Default: ~/.ssh/known_hosts.")
    Path knownHosts;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "s3: an S3-compatible store (http(s)://host[:port]), addressed path-style. Default: AWS.")
    String endpoint;

    @Option(names = "--region", paramLabel = "REGION",
            description = "s3: the bucket's region. Default: AWS_REGION, or us-east-1 with --endpoint.")
    String region;

    @Option(names = "--credentials-file", paramLabel = "FILE", description = "s3: an AWS credentials file "
            + "(aws_access_key_id, aws_secret_access_key). Default: the SDK's default chain.")
    Path credentialsFile;

    @Option(names = "--profile", paramLabel = "NAME", description = "s3: the profile of --credentials-file. "
            + "Default: default.")
    String profile;

    @Option(names = "--dry-run", description = "Print what would be sent; write nothing.")
    boolean dryRun;

    @Mixin
    OutputOptions output;

    @Override
    int call(BackupRepository repo) throws IOException {
        CopyAddress address = CopyAddress.parse(to);
        refuseOptionsOfOtherKinds(address);
        RepositoryCopy.Result r;
        try (CopyTarget target = open(address, repo.dir())) {
            r = RepositoryCopy.copy(repo, target, dryRun);
        } catch (CopyDiskFullException e) {
            throw new UnavailableException(e.getMessage()); // the environment, not the repository: exit 3
        }
        PrintWriter out = output.text(spec);
        String verb = dryRun ? "would copy" : "copied";
        out.println((dryRun ? "dry run: " : "") + repo.dir() + " -> " + r.target());
        if (r.configCopied()) out.println("  configuration: " + verb + " (a new copy)");
        out.println("  packs:     " + r.packsCopied() + " " + verb + ", " + r.packsSkipped() + " already there");
        out.println("  indexes:   " + r.indexesCopied() + " " + verb + ", " + r.indexesSkipped() + " already there");
        out.println("  snapshots: " + r.snapshotsCopied() + " " + verb + ", " + r.snapshotsSkipped()
                + " already there");
        r.orphanIndexes().forEach(i -> out.println("  not copied: " + i + " (its pack is missing here)"));
        out.println(String.format(Locale.ROOT, "  %d bytes%s", r.bytes(), dryRun ? "" : String.format(Locale.ROOT,
                " in %.1f s (%.1f MB/s), each file read back and compared", r.seconds(), r.megabytesPerSecond())));
        if (output.json) {
            OutputOptions.print(spec, new Report(r.target(), r.dryRun(), r.configCopied(), r.packsCopied(),
                    r.packsSkipped(), r.indexesCopied(), r.indexesSkipped(), r.snapshotsCopied(), r.snapshotsSkipped(),
                    r.orphanIndexes().size(), r.bytes(), r.seconds(), r.megabytesPerSecond()));
        }
        return ExitCode.OK;
    }

    private CopyTarget open(CopyAddress address, Path source) throws IOException {
        return switch (address.kind()) {
            case LOCAL -> LocalCopyTarget.open(address.localPath(), source);
            case SFTP -> {
                if (identity == null) throw new UsageException("--to " + address.describe() + ": give --identity FILE, "
                        + "the private key kiban logs in with (kiban logs in with a key only)");
                yield SftpCopyTarget.open(address, identity, knownHosts != null ? knownHosts
                        : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
            }
            case S3 -> S3CopyTarget.open(address, Optional.ofNullable(endpoint).map(BackupCopyCommand::endpoint),
                    Optional.ofNullable(region), Optional.ofNullable(credentialsFile), Optional.ofNullable(profile));
        };
    }

    private static URI endpoint(String url) {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getHost() == null) throw new URISyntaxException(url, "no scheme or host");
            return u;
        } catch (URISyntaxException e) {
            throw new UsageException("--endpoint: expected http(s)://host[:port] of an S3-compatible store");
        }
    }

    /** An option meant for another kind of target is a mistake in the command (exit 2), not something to ignore. */
    private void refuseOptionsOfOtherKinds(CopyAddress address) {
        List<String> wrong = new ArrayList<>();
        if (address.kind() != CopyAddress.Kind.SFTP) {
            if (identity != null) wrong.add("--identity");
            if (knownHosts != null) wrong.add("--known-hosts");
        }
        if (address.kind() != CopyAddress.Kind.S3) {
            if (endpoint != null) wrong.add("--endpoint");
            if (region != null) wrong.add("--region");
            if (credentialsFile != null) wrong.add("--credentials-file");
            if (profile != null) wrong.add("--profile");
        }
        if (!wrong.isEmpty()) {
            throw new UsageException(String.join(", ", wrong) + ": not an option of a "
                    + address.kind().name().toLowerCase(Locale.ROOT) + " target (" + address.describe() + ")");
        }
    }

    /** copy --json: what was sent (or would be) and skipped, the bytes, seconds and MB/s. */
    record Report(String to, boolean dryRun, boolean configCopied, int packsCopied, int packsSkipped,
            int indexesCopied, int indexesSkipped, int snapshotsCopied, int snapshotsSkipped, int orphanIndexes,
            long bytes, double seconds, double megabytesPerSecond) {}
}
