package dev.kiban.migrate;

import static dev.kiban.migrate.EcsMappingTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.migrate.EcsTask.Container;
import dev.kiban.migrate.KeyOutcome.Outcome;
import dev.kiban.spec.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One test per mapping rule and per refusal of {@link EcsMapping}. */
class EcsRulesTest {
    static final String HEAD = "services:\n  web:\n    image: nginx:1.27\n";

    static StackMigration service(String lines) {
        return map(HEAD + lines.stripTrailing().indent(4));
    }

    static StackSource source(String yaml) {
        List<dev.kiban.spec.Problem> problems = new java.util.ArrayList<>();
        return new StackSource("shop", "compose.yml", dev.kiban.spec.SpecReader.read("compose.yml", yaml, problems),
                Map.of());
    }

    static Container container(StackMigration m) {
        assertThat(m.refusals()).isEmpty();
        return m.services().get(0).task().container();
    }

    static KeyOutcome outcome(StackMigration m, String key) {
        return m.outcomes().stream().filter(o -> o.key().equals(key)).findFirst().orElseThrow(
                () -> new AssertionError("no outcome for " + key + " in " + m.outcomes()));
    }

    static Problem refusal(StackMigration m) {
        assertThat(m.refusals()).as("refusals").hasSize(1);
        assertThat(m.services()).isEmpty();
        return m.refusals().get(0);
    }

    @Nested
    class Refusals {
        @Test
        void aBindMountOfAHostPathIsRefusedAtItsLine() {
            Problem p = refusal(service("volumes:\n  - ./conf:/etc/nginx/conf.d:ro"));
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).contains("binds the host path \"./conf\"").contains("EFS").contains("image");
            assertThat(refusal(service("volumes:\n  - {type: bind, source: /srv, target: /srv}")).line()).isEqualTo(5);
            assertThat(refusal(service("volumes: [\"/data/x:/x\"]")).message()).contains("/data/x");
        }

        @Test
        void buildWithoutImageIsRefusedAndWithAnImageApproximated() {
            Problem p = refusal(map("services:\n  web:\n    build: .\n"));
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("build: without image");
            assertThat(outcome(service("build: ."), "build").outcome()).isEqualTo(Outcome.APPROXIMATED);
        }

        @Test
        void privilegedHostNetworkHostPidAndDevicesAreRefused() {
            assertThat(refusal(service("privileged: true")).message()).contains("privileged");
            assertThat(refusal(service("network_mode: host")).message()).contains("network_mode: host");
            assertThat(refusal(service("pid: host")).message()).contains("pid: host");
            assertThat(refusal(service("devices: [/dev/fuse]")).message()).contains("devices");
            assertThat(refusal(service("devices: [/dev/fuse]")).path()).isEqualTo("services.web.devices");
            assertThat(service("privileged: false").refusals()).isEmpty();
        }

        @Test
        void aPublishedPortOtherThanItsTargetIsRefused() {
            Problem p = refusal(service("ports:\n  - \"8080:80\""));
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).contains("publishes 8080 for container port 80").contains("awsvpc");
            assertThat(refusal(service("ports: [{target: 80, published: 8080}]")).message()).contains("8080");
        }

        @Test
        void aSecretReferencedButNotDeclaredIsAnErrorNamingItsLine() {
            Problem p = refusal(service("secrets:\n  - db_password"));
            assertThat(p.file()).isEqualTo("compose.yml");
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).contains("db_password").contains("not declared");
        }

        @Test
        void aVolumeUsedButNotDeclaredIsRefused() {
            assertThat(refusal(service("volumes: [data:/data]")).message()).contains("volume \"data\" is not declared");
        }

        @Test
        void aServiceLargerThanFargatesLargestIsRefused() {
            Problem p = refusal(service("deploy: {resources: {limits: {cpus: \"32\", memory: 8G}}}"));
            assertThat(p.message()).contains("more than Fargate's largest").contains("16 vCPU / 120 GiB");
        }

        @Test
        void anEnvFileKibanWouldNotReadIsRefusedAndNothingOfTheServiceIsKept() {
            StackMigration m = map(HEAD + "    env_file: ../../etc/shadow\n", Map.of("../../etc/shadow",
                    new StackSource.EnvFile.Refused("resolves outside the compose tree /x")));
            assertThat(refusal(m).message()).contains("\"../../etc/shadow\" resolves outside the compose tree");
        }

        @Test
        void anOptionalEnvFileThatIsMissingIsNoRefusal() {
            StackMigration m = map(HEAD + "    env_file: [{path: ./extra.env, required: false}]\n",
                    Map.of("./extra.env", new StackSource.EnvFile.Refused("no such file")));
            assertThat(m.refusals()).isEmpty();
        }
    }

    @Nested
    class Mapping {
        @Test
        void aHealthCheckIsClampedToEcsRangesWithANote() {
            StackMigration m = service("healthcheck: {test: [\"CMD\", \"true\"], interval: 1s, timeout: 90s,"
                    + " retries: 20, start_period: 10m}");
            EcsTask.HealthCheck h = container(m).healthCheck().orElseThrow();
            assertThat(h).isEqualTo(new EcsTask.HealthCheck(List.of("CMD", "true"), 5, 60, 10, 300));
            KeyOutcome o = outcome(m, "healthcheck");
            assertThat(o.outcome()).isEqualTo(Outcome.APPROXIMATED);
            assertThat(o.note()).contains("interval 1 → 5", "timeout 90 → 60", "retries 20 → 10");
        }

        @Test
        void aHealthCheckAsTextRunsInAShellAndNoneOrDisableMeansNone() {
            assertThat(container(service("healthcheck: {test: curl -f http://localhost/}")).healthCheck()
                    .orElseThrow().command()).containsExactly("CMD-SHELL", "curl -f http://localhost/");
            assertThat(container(service("healthcheck: {test: [NONE]}")).healthCheck()).isEmpty();
            assertThat(container(service("healthcheck: {disable: true}")).healthCheck()).isEmpty();
        }

        @Test
        void stopGracePeriodBecomesStopTimeoutAtMost120Seconds() {
            assertThat(container(service("stop_grace_period: 1m30s")).stopTimeout()).contains(90);
            StackMigration m = service("stop_grace_period: 5m");
            assertThat(container(m).stopTimeout()).contains(120);
            assertThat(outcome(m, "stop_grace_period").note()).contains("300 s → 120 s");
        }

        @Test
        void limitsAreRoundedUpToAFargateSizeAndTheContainerKeepsThem() {
            StackMigration m = service("deploy: {resources: {limits: {cpus: \"0.3\", memory: 700M},"
                    + " reservations: {memory: 100M}}}");
            EcsTask t = m.services().get(0).task();
            assertThat(t.size()).isEqualTo(new FargateSize(512, 1024));
            assertThat(t.container().cpu()).contains(308);
            assertThat(t.container().memory()).contains(700);
            assertThat(t.container().memoryReservation()).contains(100);
            assertThat(outcome(m, "deploy.resources").note()).contains("rounded up").contains("0.5 vCPU / 1 GiB");
            assertThat(outcome(service("deploy: {resources: {limits: {cpus: \"1\", memory: 2G}}}"),
                    "deploy.resources").outcome()).isEqualTo(Outcome.MAPPED);
        }

        @Test
        void aServiceWithoutLimitsGetsTheSmallestSizeWithANote() {
            StackMigration m = map(HEAD);
            assertThat(m.services().get(0).task().size()).isEqualTo(new FargateSize(256, 512));
            assertThat(outcome(m, "deploy.resources").note()).contains("no limits").contains("migrate.defaults")
                    .contains("R1.3");
            StackMigration big = EcsMapping.map(m.services().isEmpty() ? null : source(HEAD),
                    new EcsMapping.Options("us-east-1", 1.5, 3L << 30));
            assertThat(big.services().get(0).task().size()).as("the spec's defaults, rounded up")
                    .isEqualTo(new FargateSize(2048, 4096));
            assertThat(service("deploy: {resources: {reservations: {cpus: \"2\", memory: 1G}}}").services().get(0)
                    .task().size()).as("reservations size it when there are no limits").isEqualTo(
                            new FargateSize(2048, 4096));
        }

        @Test
        void replicasGlobalAndTheRollout() {
            EcsService s = service("deploy: {replicas: 4, update_config: {parallelism: 1, failure_action: rollback}}")
                    .services().get(0);
            assertThat(s.desiredCount()).isEqualTo(4);
            assertThat(s.rollback()).isTrue();
            assertThat(s.minimumHealthyPercent()).isEqualTo(75);
            assertThat(s.maximumPercent()).isEqualTo(100);
            EcsService first = service("deploy: {replicas: 2, update_config: {order: start-first}}").services().get(0);
            assertThat(first.minimumHealthyPercent()).isEqualTo(100);
            assertThat(first.maximumPercent()).isEqualTo(200);
            assertThat(first.rollback()).isFalse();
            StackMigration global = service("deploy: {mode: global}");
            assertThat(global.services().get(0).desiredCount()).isEqualTo(1);
            assertThat(outcome(global, "deploy.mode").note()).contains("no DAEMON");
        }

        @Test
        void variablesNamedLikeSecretsBecomeSecretsManagerSecretsAndTheirValuesGoNowhere() {
            StackMigration m = service("environment:\n  API_TOKEN: s3cr3t-value\n  PLAIN: visible\n"
                    + "  DB_PASSWORD_FILE: /run/secrets/db\n  FROM_SHELL:");
            Container c = container(m);
            assertThat(c.environment()).containsOnlyKeys("PLAIN", "DB_PASSWORD_FILE");
            assertThat(c.secrets()).containsExactly(new EcsTask.SecretFrom("API_TOKEN", "shop/web/API_TOKEN"));
            assertThat(m.secrets()).containsExactly("shop/web/API_TOKEN");
            String everything = m.toString() + TaskDefinitionJson.render(m.services().get(0).task(),
                    TaskDefinitionJson.placeholders("us-east-1", "kiban", "shop")) + TerraformJson.stack(m);
            assertThat(everything).doesNotContain("s3cr3t-value");
            assertThat(outcome(m, "environment").note()).contains("API_TOKEN not copied").contains("FROM_SHELL");
        }

        @Test
        void environmentWinsOverEnvFilesAndTheirSecretsAreMovedToo() {
            StackMigration m = map(HEAD + "    env_file: ../common/.env\n    environment: [TZ=UTC]\n",
                    Map.of("../common/.env", new StackSource.EnvFile.Read(List.of(
                            new StackSource.EnvVar("TZ", "Asia/Tokyo", 1),
                            new StackSource.EnvVar("SMTP_PASSWORD", "pw-in-file", 2),
                            new StackSource.EnvVar("LANG", "C.UTF-8", 3)))));
            Container c = container(m);
            assertThat(c.environment()).containsExactlyInAnyOrderEntriesOf(Map.of("TZ", "UTC", "LANG", "C.UTF-8"));
            assertThat(c.secrets()).extracting(EcsTask.SecretFrom::variable).containsExactly("SMTP_PASSWORD");
            assertThat(m.toString()).doesNotContain("pw-in-file");
        }

        @Test
        void composeSecretsBecomeVariablesReadFromTheSecretKibanDeclares() {
            StackMigration m = map(HEAD + "    secrets: [db-password, {source: api, target: /run/secrets/api.key}]\n"
                    + "secrets:\n  db-password: {file: ./pw}\n  api: {external: true}\n");
            assertThat(container(m).secrets()).containsExactly(
                    new EcsTask.SecretFrom("DB_PASSWORD", "shop/db-password"),
                    new EcsTask.SecretFrom("API_KEY", "shop/api"));
            assertThat(m.secrets()).containsExactly("shop/db-password", "shop/api");
            assertThat(outcome(m, "secrets").outcome()).isEqualTo(Outcome.APPROXIMATED);
        }

        @Test
        void portsOnAwsvpcAreContainerPortsAndOneHttpPortGetsAnAlb() {
            EcsService s = service("ports: [\"80:80\", \"9000\", \"53:53/udp\", \"127.0.0.1:8000-8001:8000-8001\"]")
                    .services().get(0);
            assertThat(s.task().container().ports()).containsExactly(new EcsTask.PortMapping(80, "tcp", true),
                    new EcsTask.PortMapping(9000, "tcp", false), new EcsTask.PortMapping(53, "udp", true),
                    new EcsTask.PortMapping(8000, "tcp", true), new EcsTask.PortMapping(8001, "tcp", true));
            assertThat(s.http()).as("several published ports: no single HTTP service").isFalse();
            assertThat(service("ports: [\"80:80\"]").services().get(0).http()).isTrue();
            assertThat(service("ports: [\"443:443\"]").services().get(0).http()).as("TLS ends in the task").isFalse();
            assertThat(outcome(service("ports: [\"127.0.0.1:80:80\"]"), "ports").outcome())
                    .isEqualTo(Outcome.APPROXIMATED);
        }

        @Test
        void otherPublishedPortsGoBehindTheStacksNlbUpToFiveAService() throws Exception {
            StackMigration m = service("ports: [\"25:25\", \"53:53/udp\"]");
            assertThat(m.services().get(0).nlb()).isTrue();
            var res = TaskDefinitionJson.JSON.readTree(TerraformJson.stack(m)).get("resource");
            assertThat(res.get("aws_lb").get("shop_nlb").get("load_balancer_type").asText()).isEqualTo("network");
            assertThat(res.get("aws_lb_listener").get("shop_web_53_udp").get("protocol").asText()).isEqualTo("UDP");
            assertThat(res.get("aws_ecs_service").get("shop_web").get("load_balancer")).hasSize(2);
            assertThat(outcome(m, "ports").outcome()).isEqualTo(Outcome.MAPPED);
            StackMigration many = service("ports: [\"9000-9005:9000-9005\"]");
            assertThat(many.services().get(0).nlb()).isFalse();
            assertThat(outcome(many, "ports").note()).contains("no NLB");
        }

        @Test
        void ulimitsCapabilitiesAndSysctlsKeepWhatFargateAllows() {
            StackMigration m = service("ulimits: {nofile: {soft: 1024, hard: 4096}, nproc: 512}\n"
                    + "cap_add: [SYS_PTRACE, NET_ADMIN]\ncap_drop: [ALL]\n"
                    + "sysctls: {net.core.somaxconn: \"1024\", kernel.shmmax: \"1\"}");
            Container c = container(m);
            assertThat(c.ulimits()).containsExactly(new EcsTask.Ulimit("nofile", 1024, 4096));
            assertThat(c.capabilitiesAdded()).containsExactly("SYS_PTRACE");
            assertThat(c.capabilitiesDropped()).containsExactly("ALL");
            assertThat(c.systemControls()).containsOnlyKeys("net.core.somaxconn");
            assertThat(outcome(m, "ulimits").note()).contains("nproc dropped");
            assertThat(outcome(m, "cap_add").outcome()).isEqualTo(Outcome.UNSUPPORTED);
            assertThat(outcome(m, "sysctls").note()).contains("kernel.shmmax dropped");
        }

        @Test
        void namedVolumesAreEfsAccessPointsAndAnonymousOnesTaskStorage() {
            StackMigration m = map(HEAD + "    volumes: [data:/srv:ro, /cache]\nvolumes:\n  data:\n    driver_opts:"
                    + " {type: none, o: bind, device: /data/docker/volumes/data}\n");
            EcsTask t = m.services().get(0).task();
            assertThat(t.volumes()).containsExactly(new EcsTask.TaskVolume("data", true, "data"),
                    new EcsTask.TaskVolume("scratch-1", false, ""));
            assertThat(t.container().mounts()).containsExactly(new EcsTask.MountPoint("data", "/srv", true),
                    new EcsTask.MountPoint("scratch-1", "/cache", false));
            assertThat(m.volumes()).containsExactly("data");
            assertThat(outcome(m, "volumes.data").note()).contains("/data/docker/volumes/data").contains("DataSync");
        }

        @Test
        void anEfsDirectoryBelongsToTheNumericUserOfTheServicesThatMountIt() {
            StackMigration m = map("services:\n  a:\n    image: x:1\n    user: \"65534\"\n    volumes: [data:/d]\n"
                    + "  b:\n    image: y:1\n    user: \"1000:1001\"\n    volumes: [own:/o, shared:/s]\n"
                    + "  c:\n    image: z:1\n    volumes: [shared:/s]\n"
                    + "volumes: {data: {}, own: {}, shared: {}}\n");
            assertThat(TerraformJson.owner(m, "data")).containsExactly(65534, 65534);
            assertThat(TerraformJson.owner(m, "own")).containsExactly(1000, 1001);
            assertThat(TerraformJson.owner(m, "shared")).as("services that disagree: root").containsExactly(0, 0);
        }

        @Test
        void anchorsAndMergeKeysAreResolvedBeforeMapping() {
            StackMigration m = map("""
                    x-base: &base
                      image: nginx:1.27
                      read_only: true
                    services:
                      web:
                        <<: *base
                        user: "101"
                    """);
            Container c = container(m);
            assertThat(c.image()).isEqualTo("nginx:1.27");
            assertThat(c.readOnlyRoot()).isTrue();
            assertThat(outcome(m, "image").line()).as("where the key is written").isEqualTo(2);
            assertThat(outcome(m, "x-base").outcome()).isEqualTo(Outcome.UNSUPPORTED);
        }

        @Test
        void unknownKeysAreReportedNeverDropped() {
            StackMigration m = service("imagee: typo\nhostname: web\ntmpfs: [/tmp]\nx-note: hi\nrestart: always");
            assertThat(outcome(m, "imagee").note()).contains("not a compose key kiban knows");
            assertThat(outcome(m, "hostname").outcome()).isEqualTo(Outcome.UNSUPPORTED);
            assertThat(outcome(m, "tmpfs").note()).contains("no tmpfs");
            assertThat(outcome(m, "x-note").outcome()).isEqualTo(Outcome.UNSUPPORTED);
            assertThat(outcome(m, "restart").outcome()).isEqualTo(Outcome.APPROXIMATED);
            assertThat(outcome(map("version: \"3.8\"\n" + HEAD), "version").note()).contains("D10");
            assertThat(outcome(map(HEAD + "frobnicate: {}\n"), "frobnicate").outcome()).isEqualTo(Outcome.UNSUPPORTED);
        }

        @Test
        void everyKeyOfEveryServiceHasAnOutcome() {
            StackMigration m = service("command: run\nuser: \"1\"\nworking_dir: /w\nlabels: {a: b}\ninit: true\n"
                    + "tty: true\nstdin_open: true\nlogging: {driver: syslog}\ndepends_on: [db]\nlinks: [db]");
            for (String key : List.of("image", "command", "user", "working_dir", "labels", "init", "tty", "stdin_open",
                    "logging", "depends_on", "links")) {
                assertThat(m.outcomes()).extracting(KeyOutcome::key).contains(key);
            }
        }

        @Test
        void deployLabelsBecomeTagsOnTheService() throws Exception {
            StackMigration m = service("deploy: {labels: {team: mail, cost.center: \"42\"}}");
            assertThat(m.services().get(0).tags()).containsEntry("team", "mail").containsEntry("cost.center", "42");
            var tags = TaskDefinitionJson.JSON.readTree(TerraformJson.stack(m)).get("resource").get("aws_ecs_service")
                    .get("shop_web").get("tags");
            assertThat(tags.get("team").asText()).isEqualTo("mail");
            assertThat(tags.get("kiban.stack").asText()).isEqualTo("shop");
        }

        @Test
        void aCommandAsTextIsSplitAsComposeSplitsIt() {
            assertThat(container(service("command: sh -c 'echo \"a b\"; sleep 1' ''")).command())
                    .containsExactly("sh", "-c", "echo \"a b\"; sleep 1", "");
            assertThat(container(service("entrypoint: [\"/bin/tini\", \"--\"]")).entryPoint())
                    .containsExactly("/bin/tini", "--");
        }
    }
}
