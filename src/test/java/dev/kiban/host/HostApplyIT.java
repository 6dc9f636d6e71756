package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.os.HostPrograms;
import dev.kiban.os.ThisHost;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.HostTools;
import dev.kiban.testing.TestRoots;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apply, rollback and generations on a temporary root, with the real programs checking each file.
 * "Byte for byte" is checked by snapshotting every file under the root (content and mode).
 */
class HostApplyIT {
    static final String FILLED = HostConfigurationTest.FILLED;

    @TempDir
    Path root;

    @BeforeEach
    void aDebianHostWithAnOperatorWhoCanLogIn() throws IOException {
        HostTools.require("sshd");
        HostTools.require("fail2ban-client");
        TestRoots.withOperator(root, "ID=debian\nVERSION_ID=\"12\"\n");
        Files.createDirectories(root.resolve("etc/ssh/sshd_config.d"));
        // Files the operator already had, which apply replaces and rollback must give back exactly.
        Files.createDirectories(root.resolve("etc/fail2ban"));
        Files.writeString(root.resolve("etc/fail2ban/jail.local"), "[sshd]\nenabled = false\n# hand-written\n");
        Files.createDirectories(root.resolve("etc/docker"));
        Path daemon = root.resolve("etc/docker/daemon.json");
        Files.writeString(daemon, "{ \"debug\": true }\n");
        Files.setPosixFilePermissions(daemon, PosixFilePermissions.fromString("rw-------"));
    }

    PlatformSpec spec(String extra) throws IOException {
        return ThisHost.under(root).resolveForHost(SpecDocument.parse("kiban.yaml", FILLED + extra, false).require(),
                Optional.empty());
    }

    HostApply applier(ArtifactCheck checks, StringWriter out) {
        return new HostApply(root, checks, new PrintWriter(out, true), HostPrograms.system(), System.getenv());
    }

    /** Every file under the root except kiban's own generation records (and their parents): path -> mode + content. */
    TreeMap<String, String> snapshot() throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                // kiban's own records
                if (rel.startsWith("var/lib/kiban") || rel.equals("var") || rel.equals("var/lib")) continue;
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                out.put(rel, Files.isDirectory(p) ? "dir " + mode : mode + " "
                        + Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    @Test
    void applyWritesCheckedFilesAndASecondApplyChangesNothing() throws Exception {
        PlatformSpec spec = spec("");
        HostApply.Outcome outcome = applier(new ReaderChecks(HostPrograms.system()), new StringWriter())
                .apply(HostPlanner.plan(spec, root));
        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.generation().orElseThrow().status()).isEqualTo(Generation.Status.APPLIED);
        assertThat(Files.readString(root.resolve("etc/fail2ban/jail.local"))).contains("[docker-api]");
        assertThat(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("etc/ssh/sshd_config.d/10-kiban.conf"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("mnt/backup/docker"))))
                .isEqualTo("rwx------");

        Plan again = HostPlanner.plan(spec, root);
        assertThat(again.changesNothing()).isTrue();
        assertThat(again.commands()).isEmpty();
    }

    @Test
    void aRejectedFilePutsEveryFileBackByteForByte() throws Exception {
        TreeMap<String, String> before = snapshot();
        ReaderChecks real = new ReaderChecks(HostPrograms.system());
        ArtifactCheck sshdRejects = (a, r) -> a.path().equals(SshdHardening.PATH)
                ? Optional.of("sshd -t: forced failure for the test") : real.check(a, r);
        StringWriter out = new StringWriter();
        HostApply.Outcome outcome = applier(sshdRejects, out).apply(HostPlanner.plan(spec(""), root));

        assertThat(out.toString()).contains("created /etc/ssh/sshd_config.d/10-kiban.conf",
                "changed /etc/fail2ban/jail.local");
        assertThat(outcome.failures())
                .containsExactly("/etc/ssh/sshd_config.d/10-kiban.conf: sshd -t: forced failure for the test");
        assertThat(outcome.generation().orElseThrow().status()).isEqualTo(Generation.Status.FAILED);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void rollbackToAGenerationRestoresItAndRollbackToZeroRestoresTheHost() throws Exception {
        TreeMap<String, String> original = snapshot();
        HostApply apply = applier(new ReaderChecks(HostPrograms.system()), new StringWriter());
        assertThat(apply.apply(HostPlanner.plan(spec(""), root)).ok()).isTrue();
        TreeMap<String, String> first = snapshot();
        String edited = FILLED.replace("security: {ssh: {allowUsers: [deploy]}}",
                "security: {ssh: {allowUsers: [deploy]}, fail2ban: {maxretry: 3}}");
        PlatformSpec second = ThisHost.under(root).resolveForHost(SpecDocument.parse("kiban.yaml", edited, false)
                .require(), Optional.empty());
        assertThat(apply.apply(HostPlanner.plan(second, root)).ok()).isTrue();
        assertThat(Files.readString(root.resolve("etc/fail2ban/jail.local"))).contains("maxretry = 3");

        assertThat(apply.rollback(Optional.of(1))).extracting(Generation::number).containsExactly(2);
        assertThat(snapshot()).isEqualTo(first);
        assertThat(apply.rollback(Optional.of(0))).extracting(Generation::number).containsExactly(1);
        assertThat(snapshot()).isEqualTo(original);
        assertThat(apply.generations().list()).extracting(Generation::status)
                .containsExactly(Generation.Status.ROLLED_BACK, Generation.Status.ROLLED_BACK);
    }

    @Test
    void anApplyKilledBetweenTwoFilesIsRecoveredByRollback() throws Exception {
        Path spec = root.getParent().resolve(root.getFileName() + "-kiban.yaml");
        Files.writeString(spec, FILLED);
        TreeMap<String, String> before = snapshot();
        List<String> cmd = new ArrayList<>(List.of("bin/kiban", "-c", spec.toString(), "apply", "--root",
                root.toString(), "--yes"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(HostApply.PAUSE_ENV, "600000");
        Path log = Files.createTempFile("kiban-apply", ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("changed /etc/docker/daemon.json") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(log)).as("apply wrote its first file, then paused")
                    .contains("changed /etc/docker/daemon.json")
                    .doesNotContain("created /etc/sysctl.d/99-docker.conf");
        } finally {
            p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no cleanup
        }
        assertThat(snapshot()).as("the kill left a half-applied host").isNotEqualTo(before);
        GenerationStore store = new GenerationStore(root);
        assertThat(store.list()).singleElement().extracting(Generation::status).isEqualTo(Generation.Status.APPLYING);

        List<Generation> undone = applier(new ReaderChecks(HostPrograms.system()), new StringWriter())
                .rollback(Optional.empty());
        assertThat(undone).extracting(Generation::number).containsExactly(1);
        assertThat(snapshot()).isEqualTo(before);
        Files.delete(log);
        Files.delete(spec);
    }

    @Test
    void aPlanThatWouldLockTheOperatorOutIsRefused() throws Exception {
        Files.writeString(root.resolve("home/deploy/.ssh/authorized_keys"), "", StandardCharsets.UTF_8);
        Plan plan = HostPlanner.plan(spec(""), root);
        assertThat(plan.refusals()).singleElement().asString().contains("user deploy has no authorized key");
    }
}
