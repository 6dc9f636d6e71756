package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.backup.RepositoryFixtures;
import dev.kiban.cli.CommandLineTest.Run;
import dev.kiban.engine.ContainerState;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.engine.EngineUnavailableException;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.SwarmSettings;
import dev.kiban.engine.TaskSummary;
import dev.kiban.host.ArtifactCheck;
import dev.kiban.stack.StackRollout;
import dev.kiban.testing.TestRoots;
import dev.kiban.testing.TestSwarm;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --json on the commands that report: stdout holds one JSON document with the report's fields and nothing
 * else, the exit code is that of the text run; progress shows on stderr only on a terminal and without --json.
 */
class JsonOutputTest {
    private static final ObjectMapper STRICT =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    Path dir;

    static Run run(KibanContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine(context, args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    static KibanContext context(Function<EngineAddress, Engine> engines, String input, boolean terminal) {
        ArtifactCheck accept = (a, r) -> Optional.empty();
        return new KibanContext(Map.of(), engines, accept,
                input == null ? null : new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), terminal);
    }

    static KibanContext noEngine() {
        return context(a -> {
            throw new EngineUnavailableException("no engine in this test");
        }, null, false);
    }

    /** stdout as the one JSON document it must be: no text before or after, no Java class names. */
    static JsonNode json(Run r) throws Exception {
        assertThat(r.out()).as("stdout; stderr: %s", r.err()).startsWith("{").doesNotContain("dev.kiban.")
                .doesNotContainPattern("java\\.[a-z]+\\.");
        return STRICT.readTree(r.out());
    }

    @Nested
    class Host {
        Path root;
        Path spec;

        @org.junit.jupiter.api.BeforeEach
        void hostAndSpec() throws Exception {
            root = TestRoots.withOperator(dir.resolve("root"), "ID=rocky\nID_LIKE=\"rhel centos fedora\"\n");
            spec = dir.resolve("kiban.yaml");
            Files.writeString(spec, CommandLineTest.FILLED);
        }

        @Test
        void planJsonListsTheStepsAndKeepsItsExitCode() throws Exception {
            Run r = run(noEngine(), "-c", spec.toString(), "plan", "--root", root.toString(), "--json",
                    "--detailed-exitcode");
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.CHANGES_PENDING);
            JsonNode plan = json(r);
            assertThat(plan.get("changesPending").asBoolean()).isTrue();
            assertThat(plan.get("refused").asBoolean()).isFalse();
            assertThat(plan.get("runsCommands").asBoolean()).isFalse();
            assertThat(plan.get("files").findValuesAsText("path")).contains("/etc/firewalld/zones/public.xml");
            assertThat(plan.get("files").get(0).get("change").asText()).isIn("create", "update", "unchanged");
            assertThat(plan.get("commands").get(0).get("argv").isArray()).isTrue();
            assertThat(plan.get("notes").toString()).contains("live-restore is off");
            assertThat(plan.get("summary").get("create").asInt()).isPositive();
            assertThat(plan.get("files").get(0).has("content")).as("rendered content is left out").isFalse();
        }

        @Test
        void applyAndRollbackJson() throws Exception {
            Run declined = run(context(a -> null, "n\n", false), "-c", spec.toString(), "apply",
                    "--root", root.toString(), "--json");
            assertThat(declined.exit()).isEqualTo(ExitCode.DECLINED);
            assertThat(declined.out()).as("the question and its plan go to stderr with --json").isEmpty();
            assertThat(declined.err()).contains("Apply these changes? [y/N]",
                    "create file /etc/firewalld/zones/public.xml");

            Run applied = run(noEngine(), "-c", spec.toString(), "apply", "--root", root.toString(), "--yes", "--json");
            assertThat(applied.exit()).as(applied.err()).isZero();
            JsonNode report = json(applied);
            assertThat(report.get("applied").asBoolean()).isTrue();
            assertThat(report.get("generation").asInt()).isEqualTo(1);
            assertThat(report.get("plan").get("changesPending").asBoolean()).isTrue();

            Run again = run(noEngine(), "-c", spec.toString(), "apply", "--root", root.toString(), "--yes", "--json");
            JsonNode unchanged = json(again);
            assertThat(unchanged.get("applied").asBoolean()).isFalse();
            assertThat(unchanged.get("generation").isNull()).isTrue();

            Run rolledBack = run(noEngine(), "-c", spec.toString(), "rollback", "--root", root.toString(), "--yes",
                    "--json");
            assertThat(rolledBack.exit()).as(rolledBack.err()).isZero();
            assertThat(json(rolledBack).get("rolledBack").get(0).get("generation").asInt()).isEqualTo(1);
            Run nothing = run(noEngine(), "-c", spec.toString(), "rollback", "--root", root.toString(), "--yes",
                    "--json");
            assertThat(json(nothing).get("rolledBack")).isEmpty();
        }
    }

    @Nested
    class TurnedOff {
        @Test
        void aDashboardTurnedOffIsPlannedAsARemovalItsStopFirstAndTheTreeLosesItsUnit() throws Exception {
            Path root = TestRoots.withOperator(dir.resolve("root"), "ID=rocky\nID_LIKE=\"rhel centos fedora\"\n");
            Path spec = dir.resolve("kiban.yaml");
            Files.writeString(spec, CommandLineTest.FILLED + "dashboard: {enabled: true}\n");
            Run on = run(noEngine(), "-c", spec.toString(), "apply", "--root", root.toString(), "--yes", "--json");
            assertThat(on.exit()).as(on.err()).isZero();
            Path unit = root.resolve("etc/systemd/system/kiban-dashboard.service");
            assertThat(unit).exists();

            Files.writeString(spec, CommandLineTest.FILLED);
            Run off = run(noEngine(), "-c", spec.toString(), "apply", "--root", root.toString(), "--yes", "--json");
            assertThat(off.exit()).as(off.err()).isZero();
            JsonNode plan = json(off).get("plan");
            assertThat(plan.get("summary").get("remove").asInt()).isEqualTo(1);
            JsonNode removed = null;
            for (JsonNode f : plan.get("files")) if (f.get("change").asText().equals("remove")) removed = f;
            assertThat(removed).isNotNull();
            assertThat(removed.get("path").asText()).isEqualTo("/etc/systemd/system/kiban-dashboard.service");
            assertThat(removed.get("why").asText()).startsWith("dashboard.enabled is false");
            assertThat(plan.get("commands").get(0).get("argv").toString())
                    .isEqualTo("[\"systemctl\",\"disable\",\"--now\",\"kiban-dashboard.service\"]");
            assertThat(unit).doesNotExist();

            Run back = run(noEngine(), "-c", spec.toString(), "rollback", "--root", root.toString(), "--yes");
            assertThat(back.exit()).as(back.err()).isZero();
            assertThat(unit).exists();
        }
    }

    @Nested
    class Backup {
        Path repo;
        Path data;
        Path spec;

        @org.junit.jupiter.api.BeforeEach
        void specAndData() throws Exception {
            repo = dir.resolve("repo");
            data = RepositoryFixtures.tree(dir.resolve("data"), 5);
            spec = TestSwarm.spec(dir, "backup: {repository: " + repo + ", log: " + dir.resolve("log/backup.log")
                    + ", retention: {keepLast: 1}}\nstorage: {volumes: " + dir.resolve("no-volumes") + ", compose: "
                    + dir.resolve("no-compose") + "}\n");
        }

        Run backup(KibanContext context, String... args) {
            List<String> all = new java.util.ArrayList<>(List.of("-c", spec.toString(), "backup"));
            all.addAll(List.of(args));
            // a repository in a temporary directory, on whatever filesystem the machine has
            if (args[0].equals("run")) all.add(4, "--allow-root-filesystem");
            return run(context, all.toArray(String[]::new));
        }

        String backedUp(KibanContext context, String... extra) throws Exception {
            List<String> args = new java.util.ArrayList<>(List.of("run", "--source", "compose", "--path",
                    data.toString()));
            args.addAll(List.of(extra));
            Run r = backup(context, args.toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isZero();
            return r.out();
        }

        @Test
        void runListVerifyPruneRepairRestoreJson() throws Exception {
            JsonNode first = STRICT.readTree(backedUp(noEngine(), "--json"));
            assertThat(first.get("snapshot").asText()).isNotEmpty();
            assertThat(first.get("repository").asText()).isEqualTo(repo.toString());
            assertThat(first.get("sources").toString()).contains("path:" + data.toAbsolutePath().normalize());
            assertThat(first.get("stats").get("files").asInt()).isEqualTo(2);
            assertThat(first.get("notes").toString()).contains("no engine answers", "compose: no compose tree");
            String second = STRICT.readTree(backedUp(noEngine(), "--json")).get("snapshot").asText();

            JsonNode list = STRICT.readTree(backup(noEngine(), "list", "--json").out());
            assertThat(list.findValuesAsText("id")).containsExactlyInAnyOrder(first.get("snapshot").asText(), second);

            Run verified = backup(noEngine(), "verify", "--json");
            assertThat(verified.exit()).as(verified.err()).isZero();
            JsonNode verify = json(verified);
            assertThat(verify.get("snapshots")).hasSize(2);
            assertThat(verify.get("problems").asInt()).isZero();

            Run dry = backup(noEngine(), "prune", "--dry-run", "--json");
            assertThat(dry.exit()).as(dry.err()).isZero();
            JsonNode wouldPrune = json(dry);
            assertThat(wouldPrune.get("dryRun").asBoolean()).isTrue();
            assertThat(wouldPrune.get("forgotten").toString()).contains(first.get("snapshot").asText());
            JsonNode pruned = json(backup(noEngine(), "prune", "--json"));
            assertThat(pruned.get("dryRun").asBoolean()).isFalse();
            assertThat(pruned.get("forgotten")).hasSize(1);
            assertThat(pruned.get("missing")).isEmpty();

            Run repaired = backup(noEngine(), "repair", "--json");
            assertThat(repaired.exit()).as(repaired.err()).isZero();
            assertThat(json(repaired).get("actions")).isEmpty();
            assertThat(json(repaired).get("unreadable")).as("files left in place, listed for scripts too").isEmpty();

            Path target = dir.resolve("restored");
            Run restored = backup(noEngine(), "restore", "latest", "--target", target.toString(), "--json");
            assertThat(restored.exit()).as(restored.err()).isZero();
            JsonNode restore = json(restored);
            assertThat(restore.get("snapshot").asText()).isEqualTo(second);
            assertThat(restore.get("restored").get(0).get("entries").asInt()).isPositive();
            assertThat(restore.get("restored").get(0).get("bytes").asLong()).isPositive();
        }

        @Test
        void progressOnlyOnATerminalAndNeverWithJson() throws Exception {
            KibanContext pipe = noEngine();
            KibanContext terminal = noEngine().onTerminal(true);
            Run piped = backup(pipe, "run", "--source", "compose", "--path", data.toString());
            assertThat(piped.err()).as("no terminal: no progress").isEmpty();
            assertThat(piped.out()).contains("snapshot ");

            Run watched = backup(terminal, "run", "--source", "compose", "--path", data.toString());
            assertThat(watched.err()).contains("backing up 1 sources to " + repo);
            assertThat(watched.out()).doesNotContain("backing up 1 sources");

            Run json = backup(terminal, "run", "--source", "compose", "--path", data.toString(), "--json");
            assertThat(json.err()).isEmpty();
            json(json);

            Path target = dir.resolve("restored");
            Run restoredPiped = backup(pipe, "restore", "latest", "--target", target.toString());
            assertThat(restoredPiped.err()).isEmpty();
            Run restoredWatched = backup(terminal, "restore", "latest", "--target", dir.resolve("again").toString());
            assertThat(restoredWatched.err()).contains("restoring path:");
            assertThat(restoredWatched.out()).contains("restored path:");
        }
    }

    @Test
    void reportDailyJsonHoldsTheFacts() throws Exception {
        Path spec = TestSwarm.spec(dir, "");
        Path log = dir.resolve("backup.log");
        Files.writeString(log, "2026-01-01T03:00:00Z OK snapshot a: 1 sources\n");
        Run r = run(noEngine(), "-c", spec.toString(), "report", "daily", "--json",
                "--state", dir.resolve("state").toString(), "--backup-log", log.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode report = json(r);
        assertThat(report.get("host").asText()).isNotEmpty();
        assertThat(report.get("since").asText()).endsWith("Z");
        assertThat(report.get("containers").isNull()).as("no engine answered").isTrue();
        assertThat(report.get("journal").get("status").asText()).isIn("counts", "not-installed", "unreadable");
        assertThat(report.get("backupLog").asText()).isEqualTo(log.toString());
        assertThat(report.get("disks").isArray()).isTrue();
    }

    @Test
    void stackDeployJsonRefusedByTheLintPrintsNoReportAndTheErrorsOnStderr() throws Exception {
        Path spec = TestSwarm.spec(dir, "storage: {compose: " + dir.resolve("compose") + "}\n");
        Path compose = dir.resolve("web.yml");
        Files.writeString(compose, "services:\n  s:\n    image: app:1.0\n"
                + "    environment: {DB_PASSWORD: s3cret-hunter2}\n"
                + "    volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]\n");
        Run text = run(noEngine(), "-c", spec.toString(), "stack", "deploy", "web", compose.toString());
        Run r = run(noEngine(), "-c", spec.toString(), "stack", "deploy", "web", compose.toString(), "--json");
        assertThat(r.exit()).isEqualTo(text.exit()).isEqualTo(ExitCode.FINDINGS);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("not deploying web: the lint found errors",
                "mounting docker.sock is root on the host").doesNotContain("s3cret-hunter2");
    }

    /** An engine answering the few reads these commands make; anything else is a bug in the test. */
    static Engine engine(Map<String, Object> answers) {
        Class<?>[] roles = {Engine.class};
        return (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), roles, (p, m, args) -> {
            if (m.getName().equals("close")) return null;
            if (m.getName().equals("address")) return new EngineAddress("tcp://remote.example:2376", "test");
            if (!answers.containsKey(m.getName())) throw new AssertionError("not used by this test: " + m.getName());
            return answers.get(m.getName());
        });
    }

    @Nested
    class OnTheEngine {
        final Map<String, String> stack = Map.of(StackRollout.NAMESPACE_LABEL, "web");
        final List<ServiceSummary> services = List.of(new ServiceSummary("s1", "web_app", "nginx", false, 2, stack),
                new ServiceSummary("s2", "web_db", "postgres", false, 1, stack));
        final List<TaskSummary> tasks = List.of(new TaskSummary("t1", "s1", 1, "running", "running", "", "", "c1"),
                new TaskSummary("t2", "s1", 2, "running", "failed", "no space left", "", ""));

        @Test
        void stackLsAndPsJson() throws Exception {
            Engine engine = engine(Map.of("services", services, "tasks", tasks));
            Run ls = run(context(a -> engine, null, false), "stack", "ls", "--json");
            assertThat(ls.exit()).as(ls.err()).isZero();
            JsonNode stacks = json(ls).get("stacks");
            assertThat(stacks).hasSize(1);
            assertThat(stacks.get(0).get("name").asText()).isEqualTo("web");
            assertThat(stacks.get(0).get("services").toString()).isEqualTo("[\"web_app\",\"web_db\"]");

            Run ps = run(context(a -> engine, null, false), "stack", "ps", "web", "--json");
            assertThat(ps.exit()).as(ps.err()).isZero();
            JsonNode report = json(ps);
            assertThat(report.get("stack").asText()).isEqualTo("web");
            assertThat(report.get("tasks").findValuesAsText("error")).contains("no space left");
            assertThat(report.get("tasks").get(0).get("desiredState").asText()).isEqualTo("running");
        }

        @Test
        void doctorJsonHoldsTheStepsAndTheFinding() throws Exception {
            ContainerState state = new ContainerState("c1", "web", "nginx", "exited", false, 137, true, 3,
                    Optional.empty(), "", Optional.empty(), "", 0, 0, Map.of("frontend", "10.0.0.2"), "", "");
            Engine engine = engine(Map.of("swarm", new SwarmSettings("inactive", false, "", List.of(), 0, 0),
                    "inspectContainer", state, "logs", "starting\nkilled\n", "events", List.of("die", "oom")));
            Run text = run(context(a -> engine, null, false), "doctor", "web");
            Run r = run(context(a -> engine, null, false), "doctor", "web", "--json");
            assertThat(r.exit()).as(r.err()).isEqualTo(text.exit());
            JsonNode d = json(r);
            assertThat(d.get("target").asText()).isEqualTo("web");
            assertThat(d.get("state").get("oomKilled").asBoolean()).isTrue();
            assertThat(d.get("state").get("exitCode").asInt()).isEqualTo(137);
            assertThat(d.get("logs").toString()).isEqualTo("[\"starting\",\"killed\"]");
            assertThat(d.get("stats").isNull()).isTrue();
            assertThat(d.get("events")).hasSize(2);
            assertThat(d.get("host").has("load1")).isTrue();
            assertThat(d.get("finding").get("cause").asText()).isNotEmpty();
        }
    }
}
