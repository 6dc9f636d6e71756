package dev.kiban.migrate;

import static dev.kiban.migrate.EcsMappingTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link TerraformJson} declares beside the task definitions: Service Connect, HTTPS, IAM. */
class TerraformRulesTest {
    static JsonNode resources(StackMigration m) throws Exception {
        assertThat(m.refusals()).isEmpty();
        return TaskDefinitionJson.JSON.readTree(TerraformJson.stack(m)).get("resource");
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.at(field).asText()));
        return out;
    }

    @Test
    void servicesFindEachOtherByTheirComposeNamesThroughServiceConnect() throws Exception {
        StackMigration m = map("""
                services:
                  db:
                    image: postgres:16
                    expose: ["5432", "53/udp"]
                    networks: {back: {aliases: [database]}}
                  api:
                    image: api:1
                    ports: ["8080:8080"]
                    expose: ["8080", "9090"]
                    networks: [back]
                  worker:
                    image: worker:1
                    networks: [back]
                networks: {back: {}}
                """);
        JsonNode res = resources(m);
        assertThat(res.get("aws_service_discovery_http_namespace").get("shop").get("name").asText())
                .isEqualTo("shop");
        assertThat(res.has("aws_service_discovery_service")).as("no DNS records of its own").isFalse();
        JsonNode db = res.get("aws_ecs_service").get("shop_db").get("service_connect_configuration");
        assertThat(db.get("enabled").asBoolean()).isTrue();
        assertThat(db.get("namespace").asText()).isEqualTo("${aws_service_discovery_http_namespace.shop.arn}");
        assertThat(texts(db.get("service"), "/client_alias/dns_name")).as("its name and its alias, TCP only")
                .containsExactly("db", "database");
        assertThat(texts(db.get("service"), "/port_name")).containsExactly("db-5432-tcp", "db-5432-tcp");
        assertThat(texts(db.get("service"), "/discovery_name")).containsExactly("db-5432-tcp", "database-5432-tcp");
        assertThat(texts(db.get("service"), "/client_alias/port")).containsOnly("5432");
        JsonNode api = res.get("aws_ecs_service").get("shop_api").get("service_connect_configuration");
        assertThat(texts(api.get("service"), "/port_name")).as("a port in ports and expose once")
                .containsExactly("api-8080-tcp", "api-9090-tcp");
        JsonNode worker = res.get("aws_ecs_service").get("shop_worker").get("service_connect_configuration");
        assertThat(worker.get("enabled").asBoolean()).as("a client only").isTrue();
        assertThat(worker.has("service")).isFalse();
        assertThat(res.get("aws_ecs_service").get("shop_db").has("service_registries")).isFalse();

        JsonNode task = TaskDefinitionJson.request(m.services().get(1).task(),
                TaskDefinitionJson.placeholders("us-east-1", "kiban", "shop"));
        assertThat(texts(task.at("/containerDefinitions/0/portMappings"), "/name"))
                .containsExactly("api-8080-tcp", "api-9090-tcp");
        String containers = res.get("aws_ecs_task_definition").get("shop_db").get("container_definitions").asText();
        assertThat(containers).contains("\"name\" : \"db-5432-tcp\"", "\"name\" : \"db-53-udp\"");
        assertThat(EcsRulesTest.outcome(m, "services").note()).contains("compose name").doesNotContain("DHCP");
    }

    @Test
    void serviceConnectNamesAreLowercaseAndAnAliasItCannotTakeIsReportedNotDropped() throws Exception {
        StackMigration m = map("""
                services:
                  Api:
                    image: api:1
                    expose: ["80"]
                    networks: {default: {aliases: [API, Gateway, "-bad"]}}
                """);
        JsonNode sc = resources(m).get("aws_ecs_service").get("shop_Api").get("service_connect_configuration");
        assertThat(texts(sc.get("service"), "/client_alias/dns_name")).containsExactly("api", "gateway");
        assertThat(m.outcomes()).anyMatch(o -> o.key().equals("networks.aliases")
                && o.outcome() == KeyOutcome.Outcome.UNSUPPORTED && o.note().contains("-bad"));
    }

    @Test
    void aPortNameIsLowercaseAtMost64AndNeverStartsWithAHyphen() {
        EcsTask.PortMapping p = new EcsTask.PortMapping(8080, "tcp", false);
        assertThat(p.name("Web.App")).isEqualTo("web-app-8080-tcp");
        assertThat(p.name("-x")).isEqualTo("x-8080-tcp");
        assertThat(p.name("a".repeat(80))).hasSize(64).endsWith("-8080-tcp");
    }

    @Test
    void anAlbIsHttpUntilACertificateIsGivenThenHttpsWithPort80RedirectedTo443() throws Exception {
        StackMigration m = map("""
                services:
                  web: {image: nginx:1.27, ports: ["80:80"]}
                  app: {image: app:1, ports: ["8002:8002"]}
                """);
        JsonNode res = resources(m);
        JsonNode listeners = res.get("aws_lb_listener");
        String plain = "${var.certificate_arn == \"\" ? 1 : 0}";
        String tls = "${var.certificate_arn == \"\" ? 0 : 1}";
        assertThat(listeners.get("shop_web").get("count").asText()).isEqualTo(plain);
        assertThat(listeners.get("shop_web").get("protocol").asText()).isEqualTo("HTTP");
        JsonNode https = listeners.get("shop_web_https");
        assertThat(https.get("count").asText()).isEqualTo(tls);
        assertThat(https.get("port").asInt()).isEqualTo(443);
        assertThat(https.get("protocol").asText()).isEqualTo("HTTPS");
        assertThat(https.get("ssl_policy").asText()).isEqualTo("ELBSecurityPolicy-TLS13-1-2-2021-06");
        assertThat(https.get("certificate_arn").asText()).isEqualTo("${var.certificate_arn}");
        assertThat(https.at("/default_action/target_group_arn").asText())
                .isEqualTo("${aws_lb_target_group.shop_web.arn}");
        JsonNode redirect = listeners.get("shop_web_redirect");
        assertThat(redirect.get("count").asText()).isEqualTo(tls);
        assertThat(redirect.get("port").asInt()).isEqualTo(80);
        assertThat(redirect.at("/default_action/type").asText()).isEqualTo("redirect");
        assertThat(redirect.at("/default_action/redirect/port").asText()).isEqualTo("443");
        assertThat(redirect.at("/default_action/redirect/protocol").asText()).isEqualTo("HTTPS");
        assertThat(listeners.get("shop_app_https").get("port").asInt()).as("another port: HTTPS on itself")
                .isEqualTo(8002);
        assertThat(listeners.has("shop_app_redirect")).isFalse();
        assertThat(texts(res.get("aws_security_group").get("shop_alb").get("ingress"), "/from_port"))
                .containsExactly("80", "8002", "443");
        assertThat(texts(res.get("aws_ecs_service").get("shop_web").get("depends_on"), ""))
                .containsExactly("aws_lb_listener.shop_web", "aws_lb_listener.shop_web_https",
                        "aws_lb_listener.shop_web_redirect");

        JsonNode variables = TaskDefinitionJson.JSON.readTree(TerraformJson.main("kiban", "us-east-1", false))
                .get("variable");
        assertThat(variables.get("certificate_arn").get("default").asText()).isEmpty();
        MigrationReport report = MigrationReport.of(List.of(m), "us-east-1", "kiban", FargatePrices.shipped());
        assertThat(report.markdown()).contains("plain HTTP while the variable `certificate_arn` is empty");
        MigrationReport none = MigrationReport.of(List.of(map("services: {db: {image: postgres:16}}\n")),
                "us-east-1", "kiban", FargatePrices.shipped());
        assertThat(none.markdown()).as("no ALB, nothing to say").doesNotContain("certificate_arn");
    }

    @Test
    void efsIsMountedWithIamAndTlsByTheStacksTaskRoleOnly() throws Exception {
        StackMigration m = map("""
                services:
                  db:
                    image: postgres:16
                    user: "999:999"
                    volumes: ["data:/var/lib/postgresql/data", "conf:/etc/conf:ro"]
                  app:
                    image: app:1
                    volumes: ["conf:/etc/conf:ro"]
                volumes: {data: {}, conf: {}}
                """);
        JsonNode res = resources(m);
        JsonNode td = res.get("aws_ecs_task_definition").get("shop_db");
        assertThat(td.get("task_role_arn").asText()).isEqualTo("${aws_iam_role.shop_task.arn}");
        JsonNode efs = td.get("volume").get(0).get("efs_volume_configuration");
        assertThat(efs.get("transit_encryption").asText()).isEqualTo("ENABLED");
        assertThat(efs.at("/authorization_config/iam").asText()).isEqualTo("ENABLED");
        assertThat(res.get("aws_iam_role").get("shop_task").get("name").asText())
                .isEqualTo("${aws_ecs_cluster.cluster.name}-shop-task");
        JsonNode policy = TaskDefinitionJson.JSON.readTree(res.get("aws_iam_role_policy").get("shop_efs")
                .get("policy").asText()).at("/Statement/0");
        assertThat(texts(policy.get("Action"), "")).as("a numeric user writes: no root access")
                .containsExactly("elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite");
        assertThat(policy.get("Resource").asText()).isEqualTo("${aws_efs_file_system.shop.arn}");
        assertThat(texts(policy.at("/Condition/StringEquals/elasticfilesystem:AccessPointArn"), ""))
                .containsExactly("${aws_efs_access_point.shop_data.arn}", "${aws_efs_access_point.shop_conf.arn}");
        JsonNode fsPolicy = TaskDefinitionJson.JSON.readTree(res.get("aws_efs_file_system_policy").get("shop")
                .get("policy").asText()).at("/Statement/0");
        assertThat(fsPolicy.get("Effect").asText()).isEqualTo("Deny");
        assertThat(fsPolicy.at("/Condition/Bool/aws:SecureTransport").asText()).isEqualTo("false");
        assertThat(TerraformJson.rootWriters(m)).as("app only reads").isEmpty();

        StackMigration asRoot = map("services: {db: {image: postgres:16, volumes: [\"data:/d\"]}}\n"
                + "volumes: {data: {}}\n");
        assertThat(TerraformJson.rootWriters(asRoot)).containsExactly("db");
        assertThat(TerraformJson.efsActions(asRoot)).contains("elasticfilesystem:ClientRootAccess");
        assertThat(TerraformJson.rootWriters(map("services: {db: {image: p:1, user: \"0\", volumes: [\"d:/d\"]}}\n"
                + "volumes: {d: {}}\n"))).as("user 0 is root").containsExactly("db");
        StackMigration readOnly = map("services: {db: {image: p:1, volumes: [\"d:/d:ro\"]}}\nvolumes: {d: {}}\n");
        assertThat(TerraformJson.efsActions(readOnly)).containsExactly("elasticfilesystem:ClientMount");
        MigrationReport report = MigrationReport.of(List.of(asRoot), "us-east-1", "kiban", FargatePrices.shipped());
        assertThat(report.markdown()).contains("ClientRootAccess because db writes as root");

        JsonNode request = TaskDefinitionJson.request(m.services().get(0).task(),
                TaskDefinitionJson.placeholders("us-east-1", "kiban", "shop"));
        assertThat(request.get("taskRoleArn").asText()).isEqualTo("arn:aws:iam::ACCOUNT_ID:role/kiban-shop-task");
        assertThat(EcsModelRoundTrip.read(request).taskRoleArn()).isEqualTo(request.get("taskRoleArn").asText());
        assertThat(EcsModelRoundTrip.read(request).volumes().get(0).efsVolumeConfiguration().authorizationConfig()
                .iamAsString()).isEqualTo("ENABLED");
        assertThat(resources(map("services: {a: {image: a:1}}\n")).get("aws_iam_role").has("shop_task"))
                .as("every stack has its task role").isTrue();
    }

    @Test
    void parameterStoreParametersAreDeclaredWithAWriteOnlyPlaceholderAndReadByTheExecutionRole() throws Exception {
        StackMigration m = EcsMapping.map(EcsRulesTest.source("""
                services:
                  web:
                    image: app:1
                    environment: {API_TOKEN: never-written}
                    secrets: [db_password]
                secrets: {db_password: {file: ./db_password.txt}}
                """), new EcsMapping.Options("us-east-1", 0.25, 512L << 20, SecretStore.SSM));
        assertThat(m.refusals()).isEmpty();
        String text = TerraformJson.stack(m, false, SecretStore.SSM);
        assertThat(text).doesNotContain("never-written").doesNotContain("aws_secretsmanager_secret");
        JsonNode res = TaskDefinitionJson.JSON.readTree(text).get("resource");
        JsonNode params = res.get("aws_ssm_parameter");
        assertThat(params).hasSize(2);
        params.forEach(p -> {
            assertThat(p.get("type").asText()).isEqualTo("SecureString");
            assertThat(p.get("value_wo").asText()).isEqualTo("CHANGE_ME");
            assertThat(p.get("value_wo_version").asInt()).isEqualTo(1);
            assertThat(p.has("value")).as("nothing Terraform would keep in its state").isFalse();
            assertThat(p.get("name").asText()).startsWith("/shop/");
        });
        JsonNode policy = TaskDefinitionJson.JSON.readTree(res.get("aws_iam_role_policy").get("shop_secrets")
                .get("policy").asText()).at("/Statement/0");
        assertThat(policy.get("Action").asText()).isEqualTo("ssm:GetParameters");
        assertThat(texts(policy.get("Resource"), "")).allMatch(r -> r.startsWith("${aws_ssm_parameter.shop_"));
        String containers = res.get("aws_ecs_task_definition").get("shop_web").get("container_definitions").asText();
        assertThat(containers).contains("${aws_ssm_parameter.shop_");
        assertThat(m.outcomes().stream().filter(o -> o.key().equals("environment")).findFirst().orElseThrow()
                .note()).contains("Parameter Store");
        JsonNode main = TaskDefinitionJson.JSON.readTree(TerraformJson.main("kiban", "us-east-1", false,
                SecretStore.SSM)).get("terraform");
        assertThat(main.get("required_version").asText()).as("write-only arguments").isEqualTo(">= 1.11");
        JsonNode request = TaskDefinitionJson.request(m.services().get(0).task(),
                TaskDefinitionJson.placeholders("us-east-1", "kiban", "shop", SecretStore.SSM));
        assertThat(texts(request.at("/containerDefinitions/0/secrets"), "/valueFrom"))
                .allMatch(a -> a.startsWith("arn:aws:ssm:us-east-1:ACCOUNT_ID:parameter/shop/"));
        assertThat(EcsModelRoundTrip.read(request).containerDefinitions().get(0).secrets()).hasSize(2);
        MigrationReport report = MigrationReport.of(List.of(m), "us-east-1", "kiban", FargatePrices.shipped(), false,
                SecretStore.SSM);
        assertThat(report.markdown()).contains("aws ssm put-parameter --overwrite").contains("`/shop/");
        assertThat(report.json().get("secrets")).isEqualTo("ssm");
    }
}
