package dev.kiban.backup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link CopyTarget} in an S3 bucket or an S3-compatible store ({@code --endpoint}, path-style), through the
 * AWS SDK v2. put-if-absent is a HEAD, then a PUT with {@code If-None-Match: *} (AWS S3 refuses it with 412 when
 * the key exists; stores that ignore the header rely on the HEAD under the lock). The lock is an object
 * {@code locks/<host>-<pid>}: S3 has no exclusive create everywhere, so the lock is ADVISORY — two copies
 * started at the same instant from two hosts may both proceed (both then write the same content-addressed
 * files, and each reads back what it sent). Credentials come from {@code --credentials-file} or the SDK's
 * default chain and are never printed; neither is any server message that could quote them.
 */
public final class S3CopyTarget implements CopyTarget {
    static final String LOCKS = "locks/";
    private static final Set<String> REFUSED_CREDENTIALS = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "AccessDenied", "InvalidToken", "ExpiredToken", "TokenRefreshRequired", "AllAccessDisabled");
    private static final Set<String> FULL = Set.of("QuotaExceeded", "XMinioStorageFull", "InsufficientStorage",
            "StorageFull", "TooManyBuckets");

    private final CopyAddress address;
    private final String where;
    private final S3Client s3;
    private String lockKey;

    S3CopyTarget(CopyAddress address, String where, S3Client s3) {
        this.address = address;
        this.where = where;
        this.s3 = s3;
    }

    /**
     * The client for {@code address}: {@code endpoint} (an S3-compatible store, addressed path-style) or AWS;
     * {@code region}, else AWS_REGION, else us-east-1 with an endpoint; credentials from {@code credentialsFile}
     * (profile {@code profile}) or the SDK's default chain. Checks the bucket answers before anything is written.
     */
    public static S3CopyTarget open(CopyAddress address, Optional<URI> endpoint, Optional<String> region,
            Optional<Path> credentialsFile, Optional<String> profile) throws IOException {
        String r = region.or(() -> Optional.ofNullable(System.getenv("AWS_REGION")).filter(s -> !s.isBlank()))
                .orElse(endpoint.isPresent() ? "us-east-1" : null);
        if (r == null) {
            throw new RepositoryUsageException("--to " + address.describe() + ": give --region (the bucket's AWS "
                    + "region, e.g. eu-central-1) or set AWS_REGION");
        }
        if (!r.matches("[a-z0-9-]{1,40}")) throw new RepositoryUsageException("--region " + r + ": not a region name");
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(120)))
                .region(Region.of(r))
                .credentialsProvider(credentials(credentialsFile, profile))
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMinutes(10)));
        if (endpoint.isPresent()) {
            URI e = endpoint.get();
            if (!("http".equals(e.getScheme()) || "https".equals(e.getScheme())) || e.getHost() == null
                    || e.getRawUserInfo() != null || e.getRawQuery() != null) {
                throw new RepositoryUsageException("--endpoint " + e.getScheme() + "://" + e.getHost()
                        + ": expected http(s)://host[:port] of an S3-compatible store (no user, no query)");
            }
            // S3-compatible stores lag behind AWS's newer default checksums (trailing CRC32 in aws-chunked bodies):
            // only what the request requires; kiban reads each object back and compares its SHA-256 anyway
            // and the body signed whole, not in aws-chunked signed chunks over plain http, which some (s3rver 3.7.1)
            // store verbatim, chunk headers and all: kiban's read-back caught that
            b.endpointOverride(e).forcePathStyle(true)
                    .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        String where = address.describe() + endpoint.map(e -> " at " + e.getScheme() + "://" + e.getHost()
                + (e.getPort() < 0 ? "" : ":" + e.getPort())).orElse("");
        S3CopyTarget target = new S3CopyTarget(address, where, b.build());
        try {
            // a listing, not HEAD: a refusal then carries its error code (a HEAD's answer has no body)
            target.s3.listObjectsV2(l -> l.bucket(address.bucket()).maxKeys(1).prefix(target.key("")));
        } catch (SdkException e) {
            target.close();
            throw target.failed("open the bucket", e);
        }
        return target;
    }

    private static AwsCredentialsProvider credentials(Optional<Path> file, Optional<String> profile)
            throws IOException {
        if (file.isEmpty()) return DefaultCredentialsProvider.builder().build();
        Path f = file.get();
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new RepositoryUsageException("--credentials-file " + f + ": not a regular file (a link or missing)");
        }
        if (Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions().stream()
                .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new RepositoryUsageException("--credentials-file " + f + ": readable or writable by group or "
                    + "others; chmod 600 it first");
        }
        ProfileFile profiles = ProfileFile.builder().content(f).type(ProfileFile.Type.CREDENTIALS).build();
        String name = profile.orElse("default");
        if (profiles.profile(name).isEmpty()) {
            throw new RepositoryUsageException("--credentials-file " + f + ": has no profile [" + name + "]");
        }
        return ProfileCredentialsProvider.builder().profileFile(profiles).profileName(name).build();
    }

    private String key(String name) {
        return address.path().isEmpty() ? name : address.path() + "/" + name;
    }

    @Override
    public String describe() {
        return address.describe();
    }

    @Override
    public Map<String, Long> list() throws IOException {
        Map<String, Long> out = new TreeMap<>();
        String prefix = address.path().isEmpty() ? "" : address.path() + "/";
        try {
            for (S3Object o : s3.listObjectsV2Paginator(l -> l.bucket(address.bucket()).prefix(prefix)).contents()) {
                String name = o.key().substring(prefix.length());
                if (!name.startsWith(LOCKS)) out.put(name, o.size());
            }
        } catch (SdkException e) {
            throw failed("list", e);
        }
        return out;
    }

    @Override
    public boolean exists(String name) throws IOException {
        if (!CopyPlan.isRepositoryFile(name)) throw new IllegalArgumentException("not a repository file: " + name);
        try {
            s3.headObject(h -> h.bucket(address.bucket()).key(key(name)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return false;
            throw failed("read " + name, e);
        } catch (SdkException e) {
            throw failed("read " + name, e);
        }
    }

    @Override
    public boolean putIfAbsent(String name, byte[] content) throws IOException {
        if (lockKey == null) throw new IllegalStateException("lock the target first");
        if (exists(name)) return false;
        try {
            s3.putObject(p -> p.bucket(address.bucket()).key(key(name)).ifNoneMatch("*"),
                    RequestBody.fromBytes(content));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) return false; // someone stored it in between: content-addressed, the same
            throw failed("write " + name, e);
        } catch (SdkException e) {
            throw failed("write " + name, e);
        }
    }

    @Override
    public void discard(String name) throws IOException {
        if (!CopyPlan.isRepositoryFile(name)) throw new IllegalArgumentException("not a repository file: " + name);
        try {
            s3.deleteObject(d -> d.bucket(address.bucket()).key(key(name)));
        } catch (SdkException e) {
            throw failed("remove " + name, e);
        }
    }

    @Override
    public InputStream read(String name) throws IOException {
        if (!CopyPlan.isRepositoryFile(name)) throw new IllegalArgumentException("not a repository file: " + name);
        try {
            return new ByteArrayInputStream(s3.getObjectAsBytes(g -> g.bucket(address.bucket()).key(key(name)))
                    .asByteArray());
        } catch (SdkException e) {
            throw failed("read back " + name, e);
        }
    }

    /**
     * Writes {@code locks/<host>-<pid>} after finding no other lock, then looks again (a copy that started at
     * the same time from elsewhere: both back off). A lock of this host whose process is gone is removed.
     */
    @Override
    public void lock() throws IOException {
        CopyLockOwner me = CopyLockOwner.me();
        String mine = key(LOCKS + me.host() + "-" + me.pid());
        refuseOtherLocks(null);
        try {
            s3.putObject(p -> p.bucket(address.bucket()).key(mine), RequestBody.fromBytes(me.line()));
        } catch (SdkException e) {
            throw failed("write the lock", e);
        }
        lockKey = mine;
        CopyLockOwner.held(describe(), true);
        try {
            refuseOtherLocks(mine);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void refuseOtherLocks(String mine) throws IOException {
        String prefix = key(LOCKS);
        List<String> others = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(l -> l.bucket(address.bucket()).prefix(prefix)).contents()) {
                if (o.key().equals(mine)) continue;
                byte[] held = s3.getObjectAsBytes(g -> g.bucket(address.bucket()).key(o.key())).asByteArray();
                Optional<CopyLockOwner> owner = CopyLockOwner.parse(held);
                if (mine == null && owner.isPresent() && owner.get().staleHere(describe())) {
                    s3.deleteObject(d -> d.bucket(address.bucket()).key(o.key())); // this host's killed copy
                    continue;
                }
                others.add(owner.map(CopyLockOwner::describe).orElse("an unreadable lock") + " (" + o.key() + ")");
            }
        } catch (SdkException e) {
            throw failed("read the locks", e);
        }
        if (!others.isEmpty()) {
            throw new CopyTargetUnavailableException(describe() + " is locked by " + String.join(", ", others)
                    + "; if no copy runs there, delete that lock object and run again (S3 locks are advisory)");
        }
    }

    /** The SDK's failure in kiban's words: the S3 error code and status only, never the server's text. */
    IOException failed(String what, SdkException e) {
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() == null ? "" : String.valueOf(s.awsErrorDetails().errorCode());
            if (FULL.contains(code) || s.statusCode() == 507) {
                return new CopyDiskFullException(describe(), "the store " + where + " refused to " + what + " ("
                        + code + ", HTTP " + s.statusCode() + "): it is full or over its quota", e);
            }
            if (REFUSED_CREDENTIALS.contains(code) || s.statusCode() == 403) {
                throw new CopyTargetUnavailableException("S3 refused the credentials for " + where + " (" + code
                        + ", HTTP " + s.statusCode() + ") when trying to " + what
                        + ": check the access key, its secret and that it may read and write the bucket");
            }
            if ("NoSuchBucket".equals(code)) {
                throw new CopyTargetUnavailableException("the bucket " + address.bucket() + " does not exist at "
                        + where + ": create it (kiban does not create buckets)");
            }
            throw new CopyTargetUnavailableException("S3 could not " + what + " at " + where + " (" + code + ", HTTP "
                    + s.statusCode() + "): what was sent stays valid; run kiban backup copy again once it can");
        }
        if (e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("credentials")) {
            throw new CopyTargetUnavailableException("no S3 credentials for " + where + ": give --credentials-file "
                    + "FILE (an AWS credentials file) or set them in the environment");
        }
        throw new CopyTargetUnavailableException("cannot reach " + where + " to " + what + " ("
                + e.getClass().getSimpleName() + "): is the endpoint right and up? what was sent stays valid; run "
                + "kiban backup copy again to send the rest");
    }

    @Override
    public void close() throws IOException {
        try {
            if (lockKey != null) {
                String k = lockKey;
                lockKey = null;
                s3.deleteObject(d -> d.bucket(address.bucket()).key(k));
            }
        } catch (SdkException ignored) {
            // a lock this host left: the next copy from here finds its pid gone and removes it
        } finally {
            CopyLockOwner.held(describe(), false);
            s3.close();
        }
    }
}
