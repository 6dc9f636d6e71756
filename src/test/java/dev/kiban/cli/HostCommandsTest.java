package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.cli.CommandLineTest.Run;
import dev.kiban.host.ArtifactCheck;
import dev.kiban.testing.TestRoots;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan, apply, rollback, generations and engine install on a temporary root, in-process. */
class HostCommandsTest {
    @TempDir
    Path dir;
    Path root;
    Path spec;

    @BeforeEach
    void hostAndSpec() throws Exception {
        root = TestRoots.withOperator(dir.resolve("root"), "ID=rocky\nID_LIKE=\"rhel centos fedora\"\n");
        spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, CommandLineTest.FILLED);
    }

    /** Checks that accept everything: these tests are about the commands; the real checks have their own ITs. */
    static Run run(String input, String... args) {
        ArtifactCheck accept = (a, r) -> Optional.empty();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine(new KibanContext(Map.of(), a -> {
            throw new AssertionError("no engine here");
        }, accept, input == null ? null : new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void planReadsTheFamilyFromTheRootAndSaysWhy() {
        Run r = run(null, "-c", spec.toString(), "plan", "--root", root.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("create file /etc/firewalld/zones/public.xml",
                "create file /etc/dnf/automatic.conf",
                "restorecon -R /data/docker/volumes", "note: live-restore is off: Swarm mode refuses it (D1)")
                .doesNotContain("nftables").doesNotContain("--add-repo");
        assertThat(r.out().lines().reduce((a, b) -> b).orElseThrow())
                .matches("\\d+ to create, 0 to change, 0 unchanged, \\d+ commands");
    }

    @Test
    void familyCanBeGivenAndMustBeKnown() {
        assertThat(run(null, "-c", spec.toString(), "plan", "--root", root.toString(), "--family", "debian").out())
                .contains("/etc/nftables.d/kiban.nft").doesNotContain("firewalld");
        Run bad = run(null, "-c", spec.toString(), "plan", "--root", root.toString(), "--family", "arch");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("Invalid value for option '--family': expected rhel or debian, not \"arch\"");
    }

    @Test
    void applyAsksAndDoesNothingWithoutYes() throws Exception {
        Run noAnswer = run(null, "-c", spec.toString(), "apply", "--root", root.toString());
        assertThat(noAnswer.exit()).isEqualTo(ExitCode.DECLINED);
        assertThat(noAnswer.err()).contains("not applied; nothing changed (confirm with y, or pass --yes)");
        assertThat(root.resolve("etc/docker/daemon.json")).doesNotExist();

        Run no = run("n\n", "-c", spec.toString(), "apply", "--root", root.toString());
        assertThat(no.exit()).isEqualTo(ExitCode.DECLINED);
        assertThat(no.out()).contains("Apply these changes? [y/N]");
        assertThat(root.resolve("etc/docker/daemon.json")).doesNotExist();

        Run yes = run("y\n", "-c", spec.toString(), "apply", "--root", root.toString());
        assertThat(yes.exit()).as(yes.err()).isZero();
        assertThat(yes.out()).contains("applied as generation 1");
        assertThat(root.resolve("etc/docker/daemon.json")).exists();
    }

    @Test
    void applyTwiceThenGenerationsThenRollback() throws Exception {
        assertThat(run(null, "-c", spec.toString(), "apply", "--root", root.toString(), "--yes").exit()).isZero();
        Run again = run(null, "-c", spec.toString(), "apply", "--root", root.toString(), "--yes");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("nothing to change");

        Run gens = run(null, "generations", "--root", root.toString());
        assertThat(gens.out()).containsPattern("\\s+1\\s+\\S+\\s+applied\\s+");
        Run rollback = run(null, "rollback", "--root", root.toString(), "--yes");
        assertThat(rollback.out()).contains("rolled back generation 1");
        assertThat(root.resolve("etc/docker/daemon.json")).doesNotExist();
        assertThat(run(null, "rollback", "--root", root.toString()).out()).contains("nothing to roll back");
        assertThat(run(null, "rollback", "--root", root.toString(), "--to", "7").err()).contains("no generation 7");
    }

    @Test
    void aLockOutIsRefusedWithExitOne() throws Exception {
        Files.delete(root.resolve("home/deploy/.ssh/authorized_keys"));
        Run r = run(null, "-c", spec.toString(), "apply", "--root", root.toString(), "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("not applying: security.ssh.allowUsers: user deploy has no authorized key");
        assertThat(root.resolve("etc/ssh/sshd_config.d/10-kiban.conf")).doesNotExist();
    }

    @Test
    void aMissingSeccompProfileIsRefusedD12() throws Exception {
        Files.writeString(spec, CommandLineTest.FILLED + "engine: {seccompProfile: /etc/docker/seccomp.json}\n");
        Run r = run(null, "-c", spec.toString(), "plan", "--root", root.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("REFUSED: engine.seccompProfile: /etc/docker/seccomp.json does not exist; dockerd "
                + "would not start (D12)");
    }

    @Test
    void placeholdersStopThePlanNamingTheKey() {
        Run r = run(null, "-c", "builtin", "plan", "--root", root.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is still the placeholder");
    }

    @Test
    void engineInstallListsTheFamilysStepsAndSkipsAnInstalledEngine() throws Exception {
        Run rhel = run(null, "-c", spec.toString(), "engine", "install", "--root", root.toString());
        assertThat(rhel.out()).contains(
                "note: /etc/yum.repos.d/docker-ce.repo is not there yet: 'kiban apply' writes it",
                "docker-ce docker-ce-cli containerd.io", "systemctl enable --now docker", "(not run: --root is not /)")
                .doesNotContain("--add-repo");
        Run debian = run(null, "-c", spec.toString(), "engine", "install", "--root", root.toString(), "--family",
                "debian");
        assertThat(debian.out()).contains("apt-get install -y docker.io").contains("Compose v2");

        Files.createDirectories(root.resolve("usr/bin"));
        Path dockerd = Files.writeString(root.resolve("usr/bin/dockerd"), "#!/bin/sh\n");
        dockerd.toFile().setExecutable(true);
        assertThat(run(null, "-c", spec.toString(), "engine", "install", "--root", root.toString()).out())
                .contains("nothing to do");
    }
}
