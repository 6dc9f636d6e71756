package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.testing.FileTreeState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * backup copy to s3rver on 127.0.0.1 (an S3-compatible server that checks signatures): a copy interrupted half-way
 * and resumed, downloaded and verified with its data read; wrong access keys and secrets refused with no secret
 * in the message; a missing bucket; the advisory lock of another host refused and this host's stale one removed;
 * an endpoint where nothing answers. s3rver does not check a signature made with a wrong secret, and
 * cannot fill: SignatureDoesNotMatch and a full store are tested on a fake (S3CopyTargetTest). What s3rver
 * does with {@code If-None-Match: *} is printed (3.7.1 ignores it,
 * which the HEAD before each PUT covers).
 */
class S3CopyIT {
    @TempDir
    Path dir;
    Path repo;
    Path key;
    Map<String, String> sourceBefore;
    LoopbackS3rver s3rver;
    Path credentials;

    @BeforeEach
    void aRepositoryOfThreeSnapshotsAndAnS3rver() throws Exception {
        repo = dir.resolve("repo");
        key = RepositoryFixtures.keyFile(dir.resolve("keys/key"), "rw-------");
        for (int i = 1; i <= 3; i++) {
            RepositoryFixtures.snapshot(repo, RepositoryFixtures.tree(dir.resolve("data" + i), i), Optional.of(key));
        }
        sourceBefore = FileTreeState.of(repo);
        s3rver = new LoopbackS3rver(dir.resolve("s3rver"));
        credentials = LoopbackS3rver.credentials(dir.resolve("aws/credentials"), "S3RVER", "S3RVER");
    }

    @AfterEach
    void sourceUnchanged() throws Exception {
        RepositoryCopy.afterEach = name -> {};
        if (s3rver != null) s3rver.close();
        assertThat(FileTreeState.of(repo)).as("the source repository").isEqualTo(sourceBefore);
    }

    private S3CopyTarget open(String to, Path creds) throws IOException {
        return S3CopyTarget.open(CopyAddress.parse(to), Optional.of(s3rver.endpoint()), Optional.empty(),
                Optional.of(creds), Optional.empty());
    }

    private RepositoryCopy.Result copy(String to) throws IOException {
        try (BackupRepository source = BackupRepository.openExisting(repo, Optional.of(key));
                S3CopyTarget target = open(to, credentials)) {
            return RepositoryCopy.copy(source, target, false);
        }
    }

    /** The copy downloaded into a directory and verified there with every chunk read. */
    private List<String> downloadAndVerify(String to) throws IOException {
        Path local = dir.resolve("downloaded");
        try (S3CopyTarget target = open(to, credentials)) {
            for (String name : target.list().keySet()) {
                Path file = local.resolve(name);
                Files.createDirectories(file.getParent());
                try (InputStream in = target.read(name)) {
                    Files.write(file, in.readAllBytes());
                }
            }
        }
        assertThat(RepositoryFixtures.snapshotCount(local, key)).isEqualTo(3);
        return RepositoryFixtures.problemsReadingEverything(local, Optional.of(key));
    }

    @Test
    void anInterruptedCopyResumesAndVerifiesWithItsDataRead() throws Exception {
        String to = "s3://" + LoopbackS3rver.BUCKET + "/host-a/repo";
        AtomicInteger sent = new AtomicInteger();
        RepositoryCopy.afterEach = name -> {
            if (sent.incrementAndGet() == 3) throw new IllegalStateException("interrupted after 3 files");
        };
        assertThatThrownBy(() -> copy(to)).hasMessageContaining("interrupted");
        RepositoryCopy.afterEach = name -> {};
        try (S3CopyTarget target = open(to, credentials)) {
            assertThat(target.list()).hasSize(3).containsKey(CopyPlan.CONFIG)
                    .allSatisfy((name, size) -> assertThat(name).doesNotStartWith("snapshots/"));
        }
        RepositoryCopy.Result r = copy(to);
        assertThat(r.configCopied()).isFalse();
        assertThat(r.packsSkipped()).isEqualTo(2);
        assertThat(r.snapshotsCopied()).isEqualTo(3);
        System.out.printf(java.util.Locale.ROOT, "s3 copy (resumed): %d bytes in %.3f s, %.1f MB/s%n", r.bytes(),
                r.seconds(), r.megabytesPerSecond());
        assertThat(downloadAndVerify(to)).isEmpty();
        try (S3CopyTarget target = open(to, credentials)) {
            assertThat(target.list()).as("no lock left").noneSatisfy((name, size) ->
                    assertThat(name).startsWith(S3CopyTarget.LOCKS));
        }
        RepositoryCopy.Result again = copy(to);
        assertThat(again.packsCopied() + again.indexesCopied() + again.snapshotsCopied()).isZero();
    }

    @Test
    void whatS3rverDoesWithIfNoneMatch() throws Exception {
        try (S3Client raw = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(s3rver.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("S3RVER", "S3RVER")))
                .build()) {
            raw.putObject(p -> p.bucket(LoopbackS3rver.BUCKET).key("probe"), RequestBody.fromString("first"));
            String outcome;
            try {
                raw.putObject(p -> p.bucket(LoopbackS3rver.BUCKET).key("probe").ifNoneMatch("*"),
                        RequestBody.fromString("second"));
                outcome = "ignored (the second PUT replaced the object)";
            } catch (S3Exception e) {
                outcome = "honoured (HTTP " + e.statusCode() + ")";
            }
            System.out.println("s3rver and If-None-Match: * on PUT: " + outcome);
            // either way kiban's put-if-absent does not overwrite: it asks HEAD first
            try (S3CopyTarget target = open("s3://" + LoopbackS3rver.BUCKET + "/probe-repo", credentials)) {
                target.lock();
                assertThat(target.putIfAbsent(CopyPlan.CONFIG, "one".getBytes())).isTrue();
                assertThat(target.putIfAbsent(CopyPlan.CONFIG, "two".getBytes())).isFalse();
                try (InputStream in = target.read(CopyPlan.CONFIG)) {
                    assertThat(new String(in.readAllBytes())).isEqualTo("one");
                }
            }
        }
    }

    @Test
    void wrongCredentialsAreRefusedWithNoSecretInTheMessage() throws Exception {
        String to = "s3://" + LoopbackS3rver.BUCKET + "/repo";
        Path unknownKey = LoopbackS3rver.credentials(dir.resolve("aws/unknown"), "AKIAUNKNOWNKEY123456",
                "wJalrXUtnFEMIsecretsecretEXAMPLEKEY");
        assertThatThrownBy(() -> open(to, unknownKey)).isInstanceOf(CopyTargetUnavailableException.class)
                .hasMessageContaining("refused the credentials").hasMessageContaining("InvalidAccessKeyId")
                .hasMessageNotContaining("wJalrXUtnFEMI");
        // s3rver 3.7.1 refuses an unknown access key but does not check a SigV4 signature made with a wrong
        // secret: SignatureDoesNotMatch is tested on a fake (S3CopyTargetTest)
    }

    @Test
    void aMissingBucketIsNamed() {
        assertThatThrownBy(() -> open("s3://no-such-bucket/repo", credentials))
                .isInstanceOf(CopyTargetUnavailableException.class).hasMessageContaining("does not exist");
    }

    @Test
    void anotherHostsLockIsRefusedAndThisHostsStaleOneRemoved() throws Exception {
        String to = "s3://" + LoopbackS3rver.BUCKET + "/locked";
        try (S3CopyTarget target = open(to, credentials)) {
            target.lock();
            try (S3CopyTarget second = open(to, credentials)) {
                // the same process, the lock held: a second copy backs off
                assertThatThrownBy(second::lock).isInstanceOf(CopyTargetUnavailableException.class)
                        .hasMessageContaining("is locked by");
            }
        }
        try (S3Client raw = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(s3rver.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("S3RVER", "S3RVER")))
                .build()) {
            CopyLockOwner dead = new CopyLockOwner(CopyLockOwner.thisHost(), Integer.MAX_VALUE - 7,
                    java.time.Instant.now());
            raw.putObject(p -> p.bucket(LoopbackS3rver.BUCKET).key("locked/locks/here-dead"),
                    RequestBody.fromBytes(dead.line()));
            try (S3CopyTarget target = open(to, credentials)) {
                target.lock(); // this host's dead pid: stale, removed
            }
            CopyLockOwner other = new CopyLockOwner("other-host", 4242, java.time.Instant.now());
            raw.putObject(p -> p.bucket(LoopbackS3rver.BUCKET).key("locked/locks/other-host-4242"),
                    RequestBody.fromBytes(other.line()));
            try (S3CopyTarget target = open(to, credentials)) {
                assertThatThrownBy(target::lock).isInstanceOf(CopyTargetUnavailableException.class)
                        .hasMessageContaining("other-host (pid 4242)").hasMessageContaining("advisory");
            }
        }
    }

    @Test
    void anEndpointWhereNothingAnswersIsUnreachable() throws Exception {
        s3rver.kill();
        assertThatThrownBy(() -> open("s3://" + LoopbackS3rver.BUCKET + "/repo", credentials))
                .isInstanceOf(CopyTargetUnavailableException.class).hasMessageContaining("cannot reach");
    }
}
