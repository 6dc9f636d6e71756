package dev.kiban.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiban.spec.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every resource type, attribute and nested block kiban's Terraform names is one the AWS provider has:
 * {@code terraform validate} needs the provider, which cannot be downloaded here, so the names are checked
 * against the provider's published schema as {@code scripts/aws-provider-schema} extracted it from the npm
 * package {@code @cdktf/provider-aws} (its provenance is in the file). Checked: the golden outputs and the
 * same stacks with {@code --express} and with {@code --secrets ssm}. Not checked: values, types, which
 * arguments are required or conflict, references between resources: what only {@code terraform validate}
 * and {@code plan} can tell.
 */
class TerraformSchemaTest {
    static final Path SCHEMA = Path.of("src/test/resources/migrate/aws-provider-schema.json");
    /** Terraform's own arguments of every resource, which no provider schema lists. */
    static final Set<String> META = Set.of("count", "for_each", "depends_on", "lifecycle", "provider");
    /**
     * Resource types kiban writes that the extracted schema lacks, each with why it is kiban's: none today
     * (aws_ecs_express_gateway_service, the newest, is in the provider the bindings were made from).
     */
    static final Map<String, String> ABSENT = Map.of();

    static JsonNode schema() throws Exception {
        return TaskDefinitionJson.JSON.readTree(Files.readString(SCHEMA)).get("resources");
    }

    /** Every *.tf.json kiban writes for the example stacks: plain, --express, --secrets ssm. */
    static Map<String, String> outputs() throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        MigrationGoldenTest.files().forEach((k, v) -> {
            if (k.endsWith(".tf.json")) all.put(k, v);
        });
        List<Problem> problems = new ArrayList<>();
        List<StackSource> sources = StackFiles.find(List.of(), MigrationGoldenTest.EXAMPLES, problems);
        for (SecretStore store : SecretStore.values()) {
            List<StackMigration> stacks = sources.stream().map(s -> EcsMapping.map(s,
                    new EcsMapping.Options("ap-northeast-1", 0.25, 512L << 20, store))).toList();
            MigrationReport report = MigrationReport.of(stacks, "ap-northeast-1", "kiban", FargatePrices.shipped(),
                    true, store);
            MigrationOutput.files(stacks, report).forEach((k, v) -> {
                if (k.endsWith(".tf.json")) all.put(store.word() + " --express " + k, v);
            });
        }
        StackMigration express = EcsMappingTest.map("services:\n  web:\n    image: nginx:1.27\n"
                + "    ports: [\"8080:8080\"]\n    environment: {API_TOKEN: x, MODE: y}\n");
        assertThat(ExpressMode.qualifies(express.services().get(0))).isTrue();
        all.put("express.tf.json", TerraformJson.stack(express, true, SecretStore.SSM));
        return all;
    }

    @Test
    void everyResourceAttributeAndBlockKibanWritesIsInTheProvidersSchema() throws Exception {
        JsonNode schema = schema();
        List<String> unknown = new ArrayList<>();
        Set<String> types = new TreeSet<>();
        for (Map.Entry<String, String> f : outputs().entrySet()) {
            JsonNode resources = TaskDefinitionJson.JSON.readTree(f.getValue()).path("resource");
            resources.fields().forEachRemaining(type -> {
                types.add(type.getKey());
                if (ABSENT.containsKey(type.getKey())) return;
                JsonNode shape = schema.get(type.getKey());
                if (shape == null) {
                    unknown.add(f.getKey() + ": resource type " + type.getKey());
                    return;
                }
                type.getValue().fields().forEachRemaining(r -> r.getValue().fields().forEachRemaining(arg -> {
                    if (!META.contains(arg.getKey())) {
                        check(shape, arg.getKey(), arg.getValue(), f.getKey() + ": " + type.getKey() + "."
                                + r.getKey(), unknown);
                    }
                }));
            });
        }
        assertThat(unknown).as("names the AWS provider does not have").isEmpty();
        assertThat(types).as("the check saw what kiban writes").contains("aws_ecs_service", "aws_ssm_parameter",
                "aws_secretsmanager_secret", "aws_ecs_express_gateway_service", "aws_efs_file_system_policy");
    }

    /** One argument of a resource or block: an attribute (its value not looked into) or a block. */
    static void check(JsonNode shape, String name, JsonNode value, String where, List<String> unknown) {
        if (contains(shape.get("attributes"), name)) return;
        JsonNode block = shape.get("blocks").get(name);
        if (block == null) {
            unknown.add(where + "." + name);
            return;
        }
        for (JsonNode one : value.isArray() ? value : List.of(value)) {
            if (!one.isObject()) {
                unknown.add(where + "." + name + " is a block, written as " + one.getNodeType());
                continue;
            }
            one.fields().forEachRemaining(a -> check(block, a.getKey(), a.getValue(), where + "." + name, unknown));
        }
    }

    static boolean contains(JsonNode array, String name) {
        for (JsonNode n : array) if (n.asText().equals(name)) return true;
        return false;
    }

    /** Terraform reads the --express and --secrets ssm modules too (MigrationGoldenTest reads the plain one). */
    @Test
    void terraformReadsEveryVariant(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path terraform = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(d -> Path.of(d, "terraform")).filter(Files::isExecutable).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(terraform != null, "no terraform on PATH");
        for (Map.Entry<String, String> f : outputs().entrySet()) {
            String[] words = f.getKey().split(" ");
            if (words.length == 1 && !f.getKey().equals("express.tf.json")) continue;
            Path p = f.getKey().equals("express.tf.json") ? tmp.resolve("ssm/terraform/express.tf.json")
                    : tmp.resolve(words[0]).resolve(words[2]);
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        for (String variant : List.of("secretsmanager", "ssm")) {
            Process proc = new ProcessBuilder(terraform.toString(), "providers", "-no-color")
                    .directory(tmp.resolve(variant).resolve("terraform").toFile()).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(proc.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(proc.exitValue()).as(variant + ": " + out).isZero();
            assertThat(out).contains("hashicorp/aws").doesNotContain("Error");
        }
    }

    @Test
    void theCheckCatchesANameTheProviderDoesNotHave() throws Exception {
        JsonNode service = schema().get("aws_ecs_service");
        List<String> unknown = new ArrayList<>();
        check(service, "service_connect_configuration", TaskDefinitionJson.JSON.readTree(
                "{\"enabled\":true,\"service\":[{\"port_name\":\"a\",\"client_alias\":{\"dns\":\"a\"}}]}"), "x",
                unknown);
        check(service, "service_registry", TaskDefinitionJson.JSON.readTree("{}"), "x", unknown);
        check(service, "desired_count", TaskDefinitionJson.JSON.readTree("1"), "x", unknown);
        assertThat(unknown).containsExactly("x.service_connect_configuration.service.client_alias.dns",
                "x.service_registry");
    }

    @Test
    void theSchemaSaysWhereItCameFrom() throws Exception {
        JsonNode p = TaskDefinitionJson.JSON.readTree(Files.readString(SCHEMA)).get("provenance");
        assertThat(p.get("package").asText()).startsWith("@cdktf/provider-aws@");
        assertThat(p.get("provider").asText()).startsWith("hashicorp/aws ");
        assertThat(p.get("extracted").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    }
}
