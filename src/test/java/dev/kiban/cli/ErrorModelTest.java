package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.cli.CommandLineTest.Run;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.failure.DeclinedException;
import dev.kiban.failure.KibanException;
import dev.kiban.failure.RefusedException;
import dev.kiban.failure.SpecProblem;
import dev.kiban.failure.UnavailableException;
import dev.kiban.failure.UsageException;
import dev.kiban.spec.SpecException;
import dev.kiban.testing.TestRoots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one error model: each outcome's exit code by its type, bad option values as usage errors. */
class ErrorModelTest {
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

    /** kiban on the temporary root with the spec, answering {@code input} to a prompt (null: no terminal). */
    Run onRoot(String input, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "-c";
        all[1] = spec.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        all[args.length + 2] = "--root";
        all[args.length + 3] = root.toString();
        return HostCommandsTest.run(input, all);
    }

    /** No Java class name and no stack trace: what an operator must never have to read. */
    static void noJava(Run r) {
        assertThat(r.out() + r.err())
                .doesNotContainPattern("(java|javax|picocli)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest
    @CsvSource({
        "--timeout, 'stack deploy web --timeout soon'",
        "--timeout, 'stack deploy web --timeout 10'",
        "--for, 'alert silence cpu-high --for forever'",
        "--interval, 'monitor --interval 1x'",
        "--family, 'plan --family arch'",
        "--format, 'verify --format yaml'",
        "--only, 'verify --only smoke'",
        "--source, 'backup run --source volumes,etc'",
    })
    void aBadOptionValueIsAUsageErrorNamingTheOption(String option, String line) {
        Run r = CommandLineTest.run(line.split(" "));
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("Invalid value for option '" + option + "'").contains("See 'kiban ");
        noJava(r);
    }

    @Test
    void aGoodDurationIsTaken() {
        assertThat(new DurationConverter().convert("10m").toMinutes()).isEqualTo(10);
        assertThat(new DurationConverter().convert("1h30m").toMinutes()).isEqualTo(90);
    }

    @Test
    void theChoicesAreNamedInTheMessage() {
        Run r = CommandLineTest.run("plan", "--family", "arch");
        assertThat(r.err()).contains("expected rhel or debian, not");
        Run f = CommandLineTest.run("verify", "--format", "yaml");
        assertThat(f.err()).contains("expected text, json or junit, not");
    }

    @Test
    void aDeclinedPromptChangesNothingAndHasItsOwnCode() {
        Run r = onRoot("n\n", "apply");
        assertThat(r.exit()).isEqualTo(ExitCode.DECLINED).isNotEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("kiban: not applied; nothing changed");
        assertThat(root.resolve("etc/docker/daemon.json")).doesNotExist();
    }

    @Test
    void rollbackOnAnyRootAsksAsApplyDoes() {
        assertThat(onRoot(null, "apply", "--yes").exit()).isZero();
        Run r = onRoot("n\n", "rollback");
        assertThat(r.out()).contains("Roll back this generation? [y/N]");
        assertThat(r.exit()).isEqualTo(ExitCode.DECLINED);
        assertThat(r.err()).contains("nothing changed");
        assertThat(root.resolve("etc/docker/daemon.json")).exists();
    }

    static Function<EngineAddress, Engine> brokenEngine() {
        return a -> {
            throw new IllegalStateException("broken at " + a + " with password hunter2");
        };
    }

    @Test
    void anUnexpectedErrorIsOneLineWithItsOwnCode() {
        Run r = CommandLineTest.run(brokenEngine(), "doctor", "web");
        assertThat(r.exit()).isEqualTo(ExitCode.INTERNAL).isEqualTo(70);
        assertThat(r.err().lines())
                .containsExactly("kiban: kiban doctor failed: an internal error (run again with --verbose)");
        assertThat(r.err()).doesNotContain("hunter2").doesNotContain("IllegalState");
        noJava(r);
    }

    @Test
    void verboseShowsTheTrace() {
        Run r = CommandLineTest.run(brokenEngine(), "--verbose", "doctor", "web");
        assertThat(r.exit()).isEqualTo(ExitCode.INTERNAL);
        assertThat(r.err()).contains("java.lang.IllegalStateException").contains("\tat ");
    }

    @Test
    void noEngineIsEnvironmentUnavailable() {
        Run r = CommandLineTest.run(a -> {
            throw new EngineUnavailableException("no engine at " + a.uri() + "; start docker");
        }, "doctor", "web");
        assertThat(r.exit()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(r.err()).startsWith("kiban: no engine at ");
        noJava(r);
    }

    @Test
    void eachOutcomeCarriesItsExitCode() {
        assertThat(new UsageException("u").exitCode()).isEqualTo(2);
        assertThat(new SpecProblem("s").exitCode()).isEqualTo(2);
        assertThat(new SpecException("s").exitCode()).isEqualTo(2);
        assertThat(new RefusedException("r").exitCode()).isEqualTo(1);
        assertThat(new DeclinedException("d").exitCode()).isEqualTo(1);
        assertThat(new UnavailableException("n").exitCode()).isEqualTo(3);
        assertThat(new EngineUnavailableException("n")).isInstanceOf(UnavailableException.class);
        assertThat((KibanException) new dev.kiban.backup.RepositoryUsageException("x")).isInstanceOf(SpecProblem.class);
    }

    @Test
    void planRefusedExitsOne() throws Exception {
        Files.writeString(spec, CommandLineTest.FILLED + "engine: {seccompProfile: /etc/docker/seccomp.json}\n");
        Run r = onRoot(null, "plan");
        assertThat(r.out()).contains("REFUSED: ");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(onRoot(null, "plan", "--detailed-exitcode").exit()).isEqualTo(1);
    }

    @Test
    void planDetailedExitCodeTellsPendingFromInStep() {
        Run plain = onRoot(null, "plan");
        assertThat(plain.exit()).as(plain.err()).isZero();
        Run pending = onRoot(null, "plan", "--detailed-exitcode");
        assertThat(pending.exit()).as(pending.err()).isEqualTo(ExitCode.CHANGES_PENDING).isEqualTo(4);

        assertThat(onRoot(null, "apply", "--yes").exit()).isZero();
        Run inStep = onRoot(null, "plan", "--detailed-exitcode");
        assertThat(inStep.exit()).as(inStep.out()).isZero();
    }

    @Test
    void helpListsTheInternalErrorCodeAndPlanItsPendingCode() {
        assertThat(CommandLineTest.run("status", "--help").out())
                .contains("70   internal error").doesNotContain("changes pending");
        Run plan = CommandLineTest.run("plan", "--help");
        assertThat(plan.out()).contains("4   changes pending", "70   internal error", "--detailed-exitcode");
    }
}
