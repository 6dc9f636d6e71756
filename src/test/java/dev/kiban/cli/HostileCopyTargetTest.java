package dev.kiban.cli;

import static dev.kiban.cli.HostileCorpus.expect;
import static dev.kiban.cli.HostileCorpus.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.backup.RepositoryFixtures;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.testing.FileTreeState;
import dev.kiban.testing.TestSwarm;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile copy targets on the command line: malformed --to (exit 2 with the forms expected, a password never
 * echoed), options of another kind of target, keys and credential files others can read or that are links,
 * servers and stores where nothing answers (exit 3, no secret printed). The source repository never changes.
 */
class HostileCopyTargetTest {
    @TempDir
    Path dir;
    Path repo;
    Path spec;
    Map<String, String> before;

    @BeforeEach
    void aRepositoryWithASnapshot() throws Exception {
        repo = dir.resolve("repo");
        RepositoryFixtures.snapshot(repo, RepositoryFixtures.tree(dir.resolve("data"), 3), Optional.empty());
        spec = TestSwarm.spec(dir, "backup: {repository: " + repo + ", log: " + dir.resolve("log/backup.log")
                + ", retention: {keepLast: 10}}\nstorage: {volumes: " + dir.resolve("no-volumes") + ", compose: "
                + dir.resolve("no-compose") + "}\n");
        before = FileTreeState.of(repo);
    }

    @AfterEach
    void sourceUnchanged() throws Exception {
        assertThat(FileTreeState.of(repo)).as("the source repository").isEqualTo(before);
    }

    private HostileCorpus.Outcome copy(String... args) {
        List<String> all = new ArrayList<>(List.of("-c", spec.toString(), "backup", "copy"));
        all.addAll(List.of(args));
        return run(Map.of(), a -> {
            throw new EngineUnavailableException("no engine in this test");
        }, "", all.toArray(String[]::new));
    }

    private Path key(String mode) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        Path file = dir.resolve("id_rsa");
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "test",
                    (org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext) null, out);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aTargetOfAnotherSchemeIsAUsageError() {
        expect(copy("--to", "ftp://host/copy"), 2, "expected a directory (/mnt/offsite/repo), sftp://");
    }

    @Test
    void anSftpTargetWithoutAUserOrPathIsAUsageError() {
        expect(copy("--to", "sftp://host/copy"), 2, "sftp://user@host[:port]/path");
        expect(copy("--to", "sftp://u@host"), 2, "the server's root is never a copy");
    }

    @Test
    void anOptionInjectedAsTheUserOrHostIsRefused() {
        expect(copy("--to", "sftp://-oProxyCommand=touch@host/x"), 2, "the user must be");
        expect(copy("--to", "sftp://u@-oProxyCommand=touch/x"), 2, "the host must be");
    }

    @Test
    void aPathThatClimbsOutIsRefused() {
        expect(copy("--to", "sftp://u@host/srv/../../etc"), 2, "'..' segment");
        expect(copy("--to", "s3://bucket/a/../b"), 2, "'..' segment");
    }

    @Test
    void aPasswordInTheTargetIsNeverEchoed() {
        expect(copy("--to", "sftp://u:hunter2@host/x"), 2, "no password in the target", "hunter2");
    }

    @Test
    void aBucketNameS3WouldRefuseIsAUsageError() {
        expect(copy("--to", "s3://Not_A_Bucket/x"), 2, "the bucket must be");
    }

    @Test
    void anSftpTargetWithoutAKeyIsAUsageError() {
        expect(copy("--to", "sftp://u@127.0.0.1/srv/copy"), 2, "give --identity FILE");
    }

    @Test
    void anOptionOfAnotherKindOfTargetIsAUsageError() throws Exception {
        expect(copy("--to", dir.resolve("offsite").toString(), "--identity", dir.resolve("k").toString()), 2,
                "--identity: not an option of a local target");
        expect(copy("--to", "sftp://u@host/x", "--identity", dir.resolve("k").toString(), "--endpoint",
                "http://x"), 2, "--endpoint: not an option of a sftp target");
        assertThat(dir.resolve("offsite")).doesNotExist();
    }

    @Test
    void aKeyOthersCanReadOrALinkIsRefused() throws Exception {
        Path key = key("rw-r--r--");
        expect(copy("--to", "sftp://u@127.0.0.1/srv/copy", "--identity", key.toString()), 2, "chmod 600");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), key);
        expect(copy("--to", "sftp://u@127.0.0.1/srv/copy", "--identity", link.toString()), 2, "not a regular file");
    }

    @Test
    void anSftpServerWhereNothingAnswersIsExitThreeWithNoKeyPrinted() throws Exception {
        Path key = key("rw-------");
        String secret = Files.readString(key).lines().skip(1).findFirst().orElseThrow();
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        expect(copy("--to", "sftp://root@127.0.0.1:" + closedPort() + "/srv/copy", "--identity", key.toString(),
                "--known-hosts", knownHosts.toString()), 3, "cannot reach the SFTP server 127.0.0.1", secret);
    }

    @Test
    void aMissingKnownHostsFileIsExitThreeWithHowToAddTheKey() throws Exception {
        Path key = key("rw-------");
        expect(copy("--to", "sftp://root@127.0.0.1:2222/srv/copy", "--identity", key.toString(),
                "--known-hosts", dir.resolve("none").toString()), 3, "ssh-keyscan -p 2222 127.0.0.1 >>");
    }

    @Test
    void anS3StoreWhereNothingAnswersIsExitThreeWithNoSecretPrinted() throws Exception {
        Path creds = Files.writeString(dir.resolve("credentials"),
                "[default]\naws_access_key_id = AKIAHOSTILE\naws_secret_access_key = s3cr3tHostileValue\n");
        Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
        expect(copy("--to", "s3://kiban-offsite/a", "--endpoint", "http://127.0.0.1:" + closedPort(),
                "--credentials-file", creds.toString()), 3, "cannot reach", "s3cr3tHostileValue");
    }

    @Test
    void aCredentialsFileOthersCanReadOrAnEndpointWithASecretIsRefused() throws Exception {
        Path creds = Files.writeString(dir.resolve("credentials"),
                "[default]\naws_access_key_id = AKIAHOSTILE\naws_secret_access_key = s3cr3tHostileValue\n");
        Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-r--r--"));
        expect(copy("--to", "s3://kiban-offsite/a", "--endpoint", "http://127.0.0.1:9",
                "--credentials-file", creds.toString()), 2, "chmod 600", "s3cr3tHostileValue");
        expect(copy("--to", "s3://kiban-offsite/a", "--endpoint", "http://AKIA:s3cr3tHostileValue@127.0.0.1:9"),
                2, "no user", "s3cr3tHostileValue");
    }
}
