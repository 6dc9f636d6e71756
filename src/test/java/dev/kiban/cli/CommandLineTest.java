package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.testing.FakeEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them, in-process: exit codes, what goes to stdout and stderr. */
class CommandLineTest {
    static final String FILLED = """
            admin: {email: ops@example.org}
            monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
            security: {ssh: {allowUsers: [deploy]}}
            """;

    record Run(int exit, String out, String err) {}

    static Run run(Function<EngineAddress, Engine> engines, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine(new KibanContext(Map.of(), engines));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return run(a -> {
            throw new AssertionError("this command must not touch the engine");
        }, args);
    }

    @Nested
    class Help {
        @Test
        void everyCommandListsTheExitCodes() {
            for (String[] cmd : new String[][] {{"--help"}, {"spec", "--help"}, {"spec", "init", "--help"},
                    {"spec", "validate", "--help"},
                    {"spec", "show", "--help"}, {"status", "--help"}, {"plan", "--help"}, {"apply", "--help"},
                    {"rollback", "--help"},
                    {"generations", "--help"}, {"engine", "install", "--help"}, {"swarm", "init", "--help"},
                    {"swarm", "status", "--help"}, {"swarm", "join-token", "--help"}}) {
                Run r = run(cmd);
                assertThat(r.exit()).as(String.join(" ", cmd)).isZero();
                assertThat(r.out()).as(String.join(" ", cmd))
                        .contains("Exit codes:", "0   OK", "1   findings or failed checks",
                        "2   usage or spec error", "3   environment unavailable");
            }
        }

        @Test
        void noSubcommandIsAUsageError() {
            Run r = run();
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("Missing subcommand: one of spec, status, plan, apply, rollback, generations, "
                    + "engine, swarm, node, stack, images, backup, restore-all, routine, monitor, alert, report, "
                    + "verify, audit, migrate, doctor, docs")
                    .contains("See 'kiban --help'");
            assertThat(run("spec").err()).contains("Missing subcommand: one of init, validate, show");
        }

        @Test
        void aMistypedCommandGetsASuggestion() {
            Run r = run("statsu");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("Unmatched argument").contains("status");
        }
    }

    @Nested
    class Spec {
        @Test
        void initWritesTheDesignPrivatelyAndNeverOverwritesUnasked(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("kiban.yaml");
            Run first = run("spec", "init", file.toString());
            assertThat(first.exit()).isZero();
            assertThat(Files.readString(file)).contains("apiVersion: kiban.dev/v1", "liveRestore: auto",
                    "<admin e-mail address>");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

            Files.writeString(file, "# mine\n" + FILLED);
            Run again = run("spec", "init", file.toString());
            assertThat(again.exit()).isEqualTo(2);
            assertThat(again.err()).contains("exists; not replacing it without --force");
            assertThat(Files.readString(file)).startsWith("# mine");

            assertThat(run("spec", "init", "--force", file.toString()).exit()).isZero();
            assertThat(Files.readString(dir.resolve("kiban.yaml.previous"))).startsWith("# mine");
        }

        @Test
        void validateReportsAndExitsByTheRules(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("kiban.yaml");
            run("spec", "init", file.toString());
            Run defaults = run("spec", "validate", file.toString());
            assertThat(defaults.exit()).isZero();
            assertThat(defaults.out()).contains(file + ": valid, 3 warnings");

            Run strict = run("-c", file.toString(), "spec", "validate", "--strict");
            assertThat(strict.exit()).isEqualTo(2);
            assertThat(strict.out()).contains("3 errors");

            Files.writeString(file, FILLED + "engine: {liveRestore: true}\n");
            Run bad = run("spec", "validate", "-c", file.toString());
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.out()).contains(file + ":4:10 engine.liveRestore: error: live-restore cannot be combined "
                    + "with Swarm mode");
        }

        @Test
        void validateJsonIsMachineReadable(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("k.yaml");
            Files.writeString(file, FILLED + "host: {memory: lots}\n");
            Run r = run("spec", "validate", "--json", file.toString());
            assertThat(r.exit()).isEqualTo(2);
            JsonNode report = new ObjectMapper().readTree(r.out());
            assertThat(report.get("valid").asBoolean()).isFalse();
            assertThat(report.get("problems").get(0).get("path").asText()).isEqualTo("host.memory");
            assertThat(report.get("problems").get(0).get("line").asInt()).isEqualTo(4);
        }

        @Test
        void aMissingSpecSaysWhereItLooked(@TempDir Path dir) {
            Run r = run("spec", "validate", dir.resolve("absent.yaml").toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("absent.yaml: no such file; 'kiban spec init").doesNotContain("Exception");
        }

        @Test
        void showMasksSecretsAndEffectiveFillsDefaults(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("k.yaml");
            Files.writeString(file, FILLED.replace("env:DISCORD_WEBHOOK", "https://discord.com/api/webhooks/9/S3CR3T"));
            Run shown = run("-c", file.toString(), "spec", "show");
            assertThat(shown.exit()).isZero();
            assertThat(shown.out()).contains("webhook: <secret>").doesNotContain("S3CR3T").doesNotContain("cpuCores");

            Run effective = run("-c", file.toString(), "spec", "show", "--effective", "--json");
            assertThat(effective.exit()).isZero();
            JsonNode tree = new ObjectMapper().readTree(effective.out());
            assertThat(tree.at("/host/cpuCores").asInt()).isEqualTo(6);
            assertThat(tree.at("/engine/liveRestore").asText()).isEqualTo("false");
            assertThat(tree.at("/swarm/advertiseAddress").asText()).isNotEqualTo("auto");
            assertThat(effective.out()).doesNotContain("S3CR3T");
        }
    }

    @Nested
    class Status {
        @Test
        void printsTheEngineAndContainersAndFlagsUnhealthyOnes() {
            FakeEngine engine = FakeEngine.withContainers(
                    FakeEngine.container("web", "running", "Up 2 minutes (healthy)"),
                    FakeEngine.container("db", "running", "Up 2 minutes (unhealthy)"),
                    FakeEngine.container("job", "exited", "Exited (0) 1 minute ago"),
                    FakeEngine.container("loop", "restarting", "Restarting (1) 3 seconds ago"));
            Run r = run(a -> engine, "-c", "builtin", "status");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).contains("Engine       24.0.9 (API 1.43) at unix:///fake.sock",
                    "Storage      overlay2, data root /var/lib/docker",
                    "Cgroups      v2 (systemd driver)", "Swarm        manager, 1 node (1 manager), 2 services",
                    "Containers   2 running, 1 stopped, 1 unhealthy, 1 restarting", "Volumes      3",
                    "- container db is unhealthy", "- container loop is restarting");
        }

        @Test
        void aHealthyEngineExitsZeroAndJsonCarriesTheCounts() throws Exception {
            FakeEngine engine = FakeEngine.withContainers(FakeEngine.container("web", "running", "Up 1 second"));
            Run r = run(a -> engine, "-c", "builtin", "status", "--json");
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertThat(json.at("/containers/running").asInt()).isEqualTo(1);
            assertThat(json.at("/engine/swarm/state").asText()).isEqualTo("active");
            assertThat(json.at("/findings").size()).isEqualTo(0);
            assertThat(r.exit()).isZero();
        }

        @Test
        void noEngineIsExitThreeWithOneLineAndNoStackTrace() {
            Run r = run(a -> {
                throw new EngineUnavailableException("no Docker engine answers at " + a + ": no socket");
            }, "-c", "builtin", "status", "-H", "unix:///nowhere.sock");
            assertThat(r.exit()).isEqualTo(3);
            assertThat(r.err().strip()).isEqualTo("kiban: no Docker engine answers at unix:///nowhere.sock: no socket");
            assertThat(r.out()).isEmpty();
        }

        @Test
        void anInvalidSpecIsExitTwo(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("k.yaml");
            Files.writeString(file, "host: {memory: 1}\n");
            Run r = run(a -> FakeEngine.withContainers(), "-c", file.toString(), "status");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("the spec has 1 error", "host.memory: error: expected a size with a unit");
        }
    }
}
