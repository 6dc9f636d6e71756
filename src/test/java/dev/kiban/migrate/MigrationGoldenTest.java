package dev.kiban.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiban.spec.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/**
 * The design's stacks (examples/stacks: hello, webmail, blog, monitoring, and common/.env) migrated, against
 * golden files reviewed by hand (src/test/resources/migrate/golden). To accept a deliberate change:
 * mvn test -Dtest=MigrationGoldenTest -Dkiban.golden.update=true, then review the diff.
 */
class MigrationGoldenTest {
    static final Path EXAMPLES = Path.of("examples/stacks");
    static final Path GOLDEN = Path.of("src/test/resources/migrate/golden");

    @TempDir
    Path tmp;

    static Map<String, String> files() throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<StackSource> sources = StackFiles.find(List.of(), EXAMPLES, problems);
        assertThat(problems).isEmpty();
        assertThat(sources).extracting(StackSource::stack).containsExactly("blog", "hello", "monitoring", "webmail");
        List<StackMigration> stacks = sources.stream()
                .map(s -> EcsMapping.map(s, new EcsMapping.Options("ap-northeast-1"))).toList();
        stacks.forEach(s -> assertThat(s.refusals()).as(s.stack()).isEmpty());
        MigrationReport report = MigrationReport.of(stacks, "ap-northeast-1", "kiban", FargatePrices.shipped());
        return MigrationOutput.files(stacks, report);
    }

    @Test
    void theDesignsStacksMigrateToTheGoldenFiles() throws IOException {
        Map<String, String> files = files();
        boolean update = Boolean.getBoolean("kiban.golden.update");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path golden = GOLDEN.resolve(f.getKey());
            if (update) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, f.getValue(), StandardCharsets.UTF_8);
            }
            assertThat(f.getValue()).as(f.getKey()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        }
        try (Stream<Path> walk = Files.walk(GOLDEN)) {
            assertThat(walk.filter(Files::isRegularFile).map(p -> GOLDEN.relativize(p).toString()).sorted())
                    .containsExactlyInAnyOrderElementsOf(files.keySet());
        }
    }

    /**
     * Every task definition reads back through the AWS SDK's ECS model unchanged, and keeps kiban's own
     * rules: a Fargate size, awsvpc with host port = container port, a container within its task.
     */
    @Test
    void everyTaskDefinitionRoundTripsThroughTheSdkAndKeepsTheFargateRules() throws Exception {
        int checked = 0;
        for (Map.Entry<String, String> f : files().entrySet()) {
            if (!f.getKey().startsWith("task-definitions/")) continue;
            JsonNode json = TaskDefinitionJson.JSON.readTree(f.getValue());
            RegisterTaskDefinitionRequest r = EcsModelRoundTrip.read(json);
            assertThat(EcsModelRoundTrip.plain(r)).as(f.getKey())
                    .isEqualTo(TaskDefinitionJson.JSON.convertValue(json, Object.class));
            assertThat(r.networkMode()).isEqualTo(NetworkMode.AWSVPC);
            assertThat(r.requiresCompatibilities()).containsExactly(Compatibility.FARGATE);
            int cpu = Integer.parseInt(r.cpu());
            int memory = Integer.parseInt(r.memory());
            assertThat(FargateSize.isValid(cpu, memory)).as(f.getKey() + " " + cpu + "/" + memory).isTrue();
            for (ContainerDefinition c : r.containerDefinitions()) {
                for (PortMapping p : c.portMappings()) assertThat(p.hostPort()).isEqualTo(p.containerPort());
                if (c.memory() != null) assertThat(c.memory()).isLessThanOrEqualTo(memory);
                if (c.cpu() != null) assertThat(c.cpu()).isLessThanOrEqualTo(cpu);
                assertThat(c.logConfiguration().logDriverAsString()).isEqualTo("awslogs");
            }
            checked++;
        }
        assertThat(checked).isEqualTo(8);
    }

    @Test
    void noValueNamedLikeASecretReachesAnyFile() throws IOException {
        String all = String.join("\n", files().values());
        assertThat(all).doesNotContain("change-me").doesNotContain("example-not-a-real-token");
    }

    /** terraform fmt formats only HCL; for the JSON syntax the check is that Terraform reads the module. */
    @Test
    void terraformReadsTheModule() throws Exception {
        Path terraform = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(d -> Path.of(d, "terraform")).filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(terraform != null, "no terraform on PATH: the module is checked where there is one");
        for (Map.Entry<String, String> f : files().entrySet()) {
            if (!f.getKey().startsWith("terraform/")) continue;
            Path p = tmp.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        Process proc = new ProcessBuilder(terraform.toString(), "providers", "-no-color")
                .directory(tmp.resolve("terraform").toFile()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as(out).isZero();
        assertThat(out).contains("hashicorp/aws").doesNotContain("Error");
    }
}
