package dev.kiban.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.os.HostPrograms;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakePrograms;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The unit checks that ask host programs, over fake ones: what each verdict rests on. */
class UnitChecksTest {
    /** Each installed program answers with its own result. */
    static FakePrograms programs(Map<String, HostPrograms.Result> answers) {
        return new FakePrograms(answers.keySet(),
                (argv, t) -> answers.get(Path.of(argv.get(0)).getFileName().toString()));
    }

    static CheckContext context(HostPrograms programs, String yaml) {
        var spec = SpecDocument.parse("kiban.yaml", "admin: {email: ops@example.org}\n" + yaml, false).require();
        return new CheckContext(spec, Path.of("/nonexistent-root"), Optional::empty, programs, "web", 80, "tool", 1);
    }

    static Check.Outcome run(Check check, HostPrograms programs, String yaml) throws Exception {
        return check.run(context(programs, yaml));
    }

    static HostPrograms.Result ok(String output) {
        return new HostPrograms.Result(0, output);
    }

    @Test
    void composeV2PassesOnThePluginAndNamesAnOldComposeOtherwise() throws Exception {
        var plugin = programs(Map.of("docker", ok("Docker Compose version v2.29.1\n")));
        assertThat(run(UnitChecks.composeV2(), plugin, ""))
                .isEqualTo(Check.Outcome.pass("Docker Compose version v2.29.1"));
        var v1 = programs(Map.of("docker", new HostPrograms.Result(1, "docker: 'compose' is not a docker command."),
                "docker-compose", ok("1.29.2\n")));
        assertThat(run(UnitChecks.composeV2(), v1, "").evidence()).contains("docker-compose 1.29.2 is installed");
        assertThat(run(UnitChecks.composeV2(), FakePrograms.none(), "").verdict()).isEqualTo(CheckResult.Verdict.FAIL);
    }

    @Test
    void fail2banPassesOnTheSshdJailAndFailsWithWhatTheClientSaid() throws Exception {
        var jail = programs(Map.of("fail2ban-client", ok("""
                Status for the jail: sshd
                |- Filter
                |  |- Currently failed: 0
                |  `- Total failed: 3
                `- Actions
                   |- Currently banned: 1
                """)));
        assertThat(run(UnitChecks.fail2banSshd(), jail, "")).isEqualTo(
                Check.Outcome.pass("|  `- Total failed: 3; |- Currently banned: 1"));
        var down = programs(Map.of("fail2ban-client", new HostPrograms.Result(255,
                "Failed to access socket path: /var/run/fail2ban/fail2ban.sock. Is fail2ban running?")));
        assertThat(run(UnitChecks.fail2banSshd(), down, "").evidence()).contains("Is fail2ban running?");
        assertThat(run(UnitChecks.fail2banSshd(), FakePrograms.none(), "").evidence()).contains("not installed");
    }

    @Test
    void selinuxIsAskedOnlyOnRhel() throws Exception {
        assertThat(run(UnitChecks.selinuxEnforcing(), FakePrograms.none(), "host: {family: debian}\n").verdict())
                .isEqualTo(CheckResult.Verdict.SKIP);
        var permissive = programs(Map.of("getenforce", ok("Permissive\n")));
        assertThat(run(UnitChecks.selinuxEnforcing(), permissive, "host: {family: rhel}\n"))
                .isEqualTo(Check.Outcome.fail("getenforce: Permissive"));
        var enforcing = programs(Map.of("getenforce", ok("Enforcing\n")));
        assertThat(run(UnitChecks.selinuxEnforcing(), enforcing, "host: {family: rhel}\n").verdict())
                .isEqualTo(CheckResult.Verdict.PASS);
    }

    @Test
    void logwatchFailsOnItsExitAndCountsTheReport() throws Exception {
        var broken = programs(Map.of("logwatch", new HostPrograms.Result(2, "Can't locate Date/Manip.pm in @INC")));
        assertThat(run(UnitChecks.logwatchReport(), broken, "").evidence())
                .isEqualTo("logwatch exited 2: Can't locate Date/Manip.pm in @INC");
        var report = programs(Map.of("logwatch", ok("### Logwatch ###\nsshd: 3 logins\n### End ###\n")));
        assertThat(run(UnitChecks.logwatchReport(), report, "").evidence()).endsWith("report of 3 lines");
    }
}
