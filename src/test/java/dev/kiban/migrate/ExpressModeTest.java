package dev.kiban.migrate;

import static dev.kiban.migrate.EcsRulesTest.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ExpressModeTest {
    @Test
    void oneHttpPortWithoutVolumesOrExtraSettingsQualifies() {
        StackMigration m = service("ports: [\"8080:8080\"]\ncommand: [serve]\nenvironment: {A: \"1\", API_TOKEN: x}");
        assertThat(ExpressMode.whyNot(m.services().get(0))).isEmpty();
    }

    @Test
    void everyReasonAServiceDoesNotQualifyIsSaid() {
        assertThat(ExpressMode.whyNot(service("expose: [\"80\"]").services().get(0)))
                .hasValueSatisfying(w -> assertThat(w).contains("exactly one HTTP port"));
        assertThat(ExpressMode.whyNot(service("ports: [\"80:80\"]\nread_only: true\nuser: \"1\"\nvolumes: [/tmp/x]")
                .services().get(0))).hasValueSatisfying(w -> assertThat(w).contains("mounts volumes")
                        .contains("Express has no user, read_only"));
        assertThat(ExpressMode.whyNot(service("ports: [\"80:80\"]\ndeploy: {resources: {limits: {cpus: \"8\"}}}")
                .services().get(0))).hasValueSatisfying(w -> assertThat(w).contains("beyond Express"));
    }

    @Test
    void aQualifyingServiceIsWrittenAsAnExpressServiceInsteadOfTheFullSet() throws Exception {
        StackMigration m = EcsMappingTest.map("""
                services:
                  web:
                    image: nginx:1.27
                    ports: ["80:80"]
                    environment: {DB_PASSWORD: not-this, MODE: "$${literal}"}
                    deploy: {replicas: 2}
                  worker:
                    image: busybox:1.37
                """);
        JsonNode tf = TaskDefinitionJson.JSON.readTree(TerraformJson.stack(m, true)).get("resource");
        JsonNode web = tf.get("aws_ecs_express_gateway_service").get("shop_web");
        assertThat(web.get("primary_container").get(0).get("container_port").asInt()).isEqualTo(80);
        assertThat(web.get("scaling_target").get(0).get("min_task_count").asInt()).isEqualTo(2);
        assertThat(web.get("primary_container").get(0).get("secret").get(0).get("value_from").asText())
                .isEqualTo("${aws_secretsmanager_secret.shop_web_DB_PASSWORD.arn}");
        assertThat(web.get("primary_container").get(0).get("environment").get(0).get("value").asText())
                .as("compose text escaped as a template").isEqualTo("$${literal}");
        assertThat(tf.get("aws_ecs_service").fieldNames()).toIterable().containsExactly("shop_worker");
        assertThat(tf.has("aws_lb")).isFalse();
        assertThat(TerraformJson.stack(m, true)).doesNotContain("not-this");
        assertThat(TerraformJson.main("kiban", "us-east-1", true)).contains(ExpressMode.INFRASTRUCTURE_POLICY);
        assertThat(TerraformJson.main("kiban", "us-east-1", false)).doesNotContain("express");
        MigrationReport r = MigrationReport.of(java.util.List.of(m), "us-east-1", "kiban", FargatePrices.shipped(),
                true);
        assertThat(r.markdown()).contains("yes (written as an Express service, outside Service Connect")
                .contains("no: it does not publish");
    }
}
