package dev.kiban.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every rule of {@code kiban spec validate}, each with a spec that breaks it and the text the operator
 * reads. Specs here are partial: what they leave out comes from the built-in defaults, as in use.
 */
class SpecValidationTest {
    static final String FILLED = """
            admin: {email: ops@example.org}
            monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
            security: {ssh: {allowUsers: [deploy]}}
            """;

    static SpecDocument check(String yaml) {
        return SpecDocument.parse("kiban.yaml", yaml, false);
    }

    static List<String> errors(String yaml) {
        return check(yaml).problems().stream().filter(Problem::isError).map(Problem::toString).toList();
    }

    @Nested
    class DefaultSpec {
        @Test
        void validatesWithOnlyTheDocumentedPlaceholdersAsWarnings() {
            SpecDocument doc = SpecDocument.builtin();
            assertThat(doc.hasErrors()).isFalse();
            assertThat(doc.problems()).extracting(Problem::path)
                    .containsExactly("admin.email", "monitor.channels.discord.webhook", "security.ssh.allowUsers[0]");
            assertThat(doc.problems()).allMatch(p -> p.severity() == Problem.Severity.WARNING);
            assertThat(doc.problems().get(0).toString()).isEqualTo(
                    "builtin:15:3 admin.email: warning: <admin e-mail address> is a placeholder the design leaves "
                            + "open; set it before using the commands that need it");
        }

        @Test
        void strictTurnsPlaceholdersIntoErrors() {
            assertThat(SpecDocument.builtin().strictProblems()).hasSize(3).allMatch(Problem::isError);
        }

        @Test
        void withThePlaceholdersFilledItValidatesClean() {
            SpecDocument doc = check(FILLED);
            assertThat(doc.problems()).isEmpty();
            assertThat(doc.require().admin().email()).isEqualTo("ops@example.org");
            assertThat(doc.require().host().memory()).isEqualTo(ByteSize.parse("32G"));
        }

        @Test
        void carriesTheDesignsValues() {
            PlatformSpec s = SpecDocument.builtin().require();
            assertThat(s.budget().dockerVcpus()).isEqualTo(8);
            assertThat(s.engine().logging().maxSize()).isEqualTo(ByteSize.parse("10m"));
            assertThat(s.engine().sysctl()).containsEntry("fs.inotify.max_user_watches", "524288");
            assertThat(s.networks().docker().ingress()).hasToString("10.0.255.0/24");
            assertThat(s.backup().schedule().onCalendar()).isEqualTo("Sun *-*-* 02:00:00");
            assertThat(s.monitor().threshold(PlatformSpec.Metric.MEMORY)).contains(new Percent(70));
            assertThat(s.security().fail2ban().bantime().seconds()).isEqualTo(600);
            assertThat(s.mailRecipients()).containsExactly("<admin e-mail address>");
        }
    }

    @Nested
    class Syntax {
        @Test
        void yamlErrorsGiveLineAndColumn() {
            List<String> e = errors("host:\n  memory: 32G\n bad: [\n");
            assertThat(e).hasSize(1);
            assertThat(e.get(0)).startsWith("kiban.yaml:3:").contains("YAML syntax:");
        }

        @Test
        void duplicateKeysPointAtTheSecond() {
            assertThat(errors("host:\n  memory: 32G\n  memory: 64G\n")).containsExactly(
                    "kiban.yaml:3:3 memory: error: duplicate key; first given at line 2");
        }

        @Test
        void aListIsNotASpec() {
            assertThat(errors("- a\n- b\n")).singleElement().asString().contains("a spec is a mapping of keys");
        }
    }

    @Nested
    class KeysAndTypes {
        @Test
        void unknownKeysSuggestTheNearestKnownOne() {
            assertThat(errors("host:\n  cpuCore: 6\n")).containsExactly(
                    "kiban.yaml:2:3 host.cpuCore: error: unknown key; did you mean 'cpuCores'?");
        }

        @Test
        void unknownKeysWithNothingCloseListWhatIsKnown() {
            assertThat(errors("swarm:\n  zzzz: 1\n")).singleElement().asString()
                    .contains("swarm.zzzz: error: unknown key (known here: enabled, advertiseAddress");
        }

        @Test
        void everyProblemIsReportedAtOnce() {
            String yaml = """
                    host:
                      memory: 32
                      cpuCores: six
                    engine:
                      logging: {maxSize: ten}
                      userlandProxy: "no"
                    budget:
                      docker: {cpus: lots}
                    monitor:
                      interval: 30
                    networks:
                      docker: {bridge: 172.17.0.0}
                    ports:
                      public: [{port: "80x", class: web}]
                    backup:
                      schedule: "0 26 * * 0"
                    """;
            assertThat(errors(yaml)).containsExactly(
                    "kiban.yaml:2:3 host.memory: error: expected a size with a unit, like 512M, 16G or 3.6T, got "
                            + "\"32\"",
                    "kiban.yaml:3:3 host.cpuCores: error: expected a whole number, got \"six\"",
                    "kiban.yaml:5:13 engine.logging.maxSize: error: expected a size with a unit, like 512M, 16G or "
                            + "3.6T, got \"ten\"",
                    "kiban.yaml:6:3 engine.userlandProxy: error: expected true or false, got \"no\"",
                    "kiban.yaml:8:12 budget.docker.cpus: error: expected a number like 4 or 1.5, got \"lots\"",
                    "kiban.yaml:10:3 monitor.interval: error: expected a duration like 30s, 10m, 2h or 30d, got \"30\"",
                    "kiban.yaml:12:12 networks.docker.bridge: error: expected a CIDR like 172.19.0.0/16, got "
                            + "\"172.17.0.0\"",
                    "kiban.yaml:14:13 ports.public[0].port: error: expected a port like 443 or a range like 8000-8999, "
                            + "got \"80x\"",
                    "kiban.yaml:16:3 backup.schedule: error: bad cron hour field \"26\": 26 is outside 0-23");
        }

        @Test
        void calendarEventsAndEnumsAreChecked() {
            assertThat(errors("backup:\n  schedule: \"Sun *-*-* 02:61\"\n")).containsExactly(
                    "kiban.yaml:2:3 backup.schedule: error: bad calendar event \"Sun *-*-* 02:61\": minute 61 is "
                            + "outside 0-59");
            assertThat(errors("host:\n  family: rhell\n")).containsExactly(
                    "kiban.yaml:2:3 host.family: error: expected one of auto, rhel, debian, got \"rhell\"; did you "
                            + "mean 'rhel'?");
        }

        @Test
        void aMappingWhereAValueBelongsIsNamed() {
            assertThat(errors("host:\n  memory: {size: 32G}\n")).containsExactly(
                    "kiban.yaml:2:3 host.memory: error: expected a single value, got a mapping");
        }

        @Test
        void listItemsNeedTheirKeys() {
            assertThat(errors("networks:\n  libvirt:\n    - {name: mgmt}\n")).containsExactly(
                    "kiban.yaml:3:7 networks.libvirt[0].cidr: error: missing key");
        }
    }

    @Nested
    class Budget {
        @Test
        void cpuSharesMustFitTheCores() {
            assertThat(errors(FILLED + "budget: {docker: {cpus: 5}}\n")).containsExactly(
                    "kiban.yaml:4:1 budget: error: CPU budget hostReserve + docker + spare = 7 cores exceeds "
                            + "host.cpuCores 6 (R1.2)");
        }

        @Test
        void memorySharesMustFitTheHost() {
            assertThat(errors(FILLED + "host: {memory: 24G}\n")).containsExactly(
                    "kiban.yaml:4:8 host.memory: error: memory budget hostReserve + docker + spare = 32G exceeds "
                            + "host.memory 24G (R1.2)");
        }

        @Test
        void diskSharesMustFitEachDiskAndNameOne() {
            assertThat(errors(FILLED + "budget:\n  docker: {disks: {ssd: 50G, hdd: 3.5T}}\n")).containsExactly(
                    "kiban.yaml:4:1 budget: error: disk \"hdd\": hostReserve + docker + spare = 4.1T exceeds its size "
                            + "3.6T (R1.2)");
            assertThat(errors(FILLED + "budget:\n  spare: {disks: {hhd: 0.6T}}\n")).containsExactly(
                    "kiban.yaml:5:19 budget.spare.disks.hhd: error: no disk \"hhd\" in host.disks; "
                            + "did you mean 'hdd'?");
        }

        @Test
        void overcommitBelowOneIsRefused() {
            assertThat(errors(FILLED + "budget: {overcommit: 0.5}\n")).containsExactly(
                    "kiban.yaml:4:10 budget.overcommit: error: must be at least 1 (1 = no overcommit, 2 = the design's "
                            + "1:2)");
        }

        @Test
        void theDesignsBudgetAddsUpExactly() {
            assertThat(check(FILLED).problems()).isEmpty();
        }
    }

    @Nested
    class Networks {
        @Test
        void dockerNetworksMayNotOverlapLibvirt() {
            assertThat(errors(FILLED + "networks: {docker: {bridge: 10.0.2.0/24}}\n")).containsExactly(
                    "kiban.yaml:4:21 networks.docker.bridge: error: docker0 10.0.2.0/24 overlaps libvirt network "
                            + "private 10.0.2.0/24 (R3.3)");
        }

        @Test
        void theEnginesDefaultSwarmPoolCollidesWithLibvirtD2() {
            List<String> e = errors(FILLED + "swarm: {defaultAddrPool: [10.0.0.0/8]}\n");
            assertThat(e).contains(
                    "kiban.yaml:4:27 swarm.defaultAddrPool[0]: error: the Swarm address pool 10.0.0.0/8 overlaps "
                            + "libvirt network management 10.0.0.0/24 (R3.3, D2)",
                    "kiban.yaml:4:27 swarm.defaultAddrPool[0]: error: the Swarm address pool 10.0.0.0/8 overlaps the "
                            + "Swarm ingress network 10.0.255.0/24 (R3.3, D2)");
        }

        @Test
        void anEmptySwarmPoolMeansTheEngineDefaultD2() {
            assertThat(errors(FILLED + "swarm: {defaultAddrPool: []}\n")).containsExactly(
                    "kiban.yaml:4:9 swarm.defaultAddrPool: error: empty means the engine's default pool 10.0.0.0/8, "
                            + "which covers the libvirt networks; give a pool such as 10.20.0.0/16 (D2)");
        }

        @Test
        void ingressMustStayOffLibvirt() {
            assertThat(errors(FILLED + "networks: {docker: {ingress: 10.0.1.0/24}}\n")).containsExactly(
                    "kiban.yaml:4:21 networks.docker.ingress: error: the Swarm ingress network 10.0.1.0/24 overlaps "
                            + "libvirt network public 10.0.1.0/24 (R3.3)");
        }

        @Test
        void serviceNetworksMayNotCoverTheBridge() {
            assertThat(errors(FILLED + "networks: {docker: {services: {from: 172.17.0.0/16, to: 172.30.0.0/16}}}\n"))
                    .containsExactly(
                    "kiban.yaml:4:21 networks.docker.services: error: the service networks 172.17.0.0/16 to "
                            + "172.30.0.0/16 overlaps docker0 172.17.0.0/16 (R3.3)",
                    "kiban.yaml:4:21 networks.docker.services: error: the service networks 172.17.0.0/16 to "
                            + "172.30.0.0/16 overlaps docker_gwbridge 172.18.0.0/16 (R3.3)");
        }

        @Test
        void withoutSwarmItsPoolIsNotChecked() {
            assertThat(errors(FILLED + "swarm: {enabled: false, defaultAddrPool: [10.0.0.0/8]}\n")).isEmpty();
        }
    }

    @Nested
    class Ports {
        @Test
        void aPublicPortMustLieInItsClass() {
            assertThat(errors(FILLED + "ports:\n  public: [{port: \"9090\", class: app}]\n")).containsExactly(
                    "kiban.yaml:5:13 ports.public[0].port: error: port 9090 is outside its class app [8000-8999] "
                            + "(R3.4)");
        }

        @Test
        void anUnknownClassSuggestsOne() {
            assertThat(errors(FILLED + "ports:\n  public: [{port: \"80\", class: webb}]\n")).containsExactly(
                    "kiban.yaml:5:25 ports.public[0].class: error: no port class \"webb\"; did you mean 'web'?");
        }

        @Test
        void theDockerApiIsNeverPublished() {
            assertThat(errors(FILLED + "ports:\n  public: [{port: \"2375\", class: app}]\n")).containsExactly(
                    "kiban.yaml:5:13 ports.public[0].port: error: port 2375 publishes the Docker API (2375), which "
                            + "must never be reachable (R3.4, R7.6)");
            assertThat(errors(FILLED + "ports:\n  classes: {app: [\"2000-2999\"]}\n")).containsExactly(
                    "kiban.yaml:5:19 ports.classes.app[0]: error: port class app includes 2375, the Docker API, which "
                            + "must never be reachable (R3.4)");
        }

        @Test
        void theEngineNeverListensOnANetworkAddress() {
            assertThat(errors(FILLED + "engine: {hosts: [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2375\"]}\n"))
                    .containsExactly(
                    "kiban.yaml:4:49 engine.hosts[1]: error: the Docker API must never be reachable from outside: "
                            + "tcp://0.0.0.0:2375 listens on a network address (R3.4, R7.6)");
            assertThat(check(FILLED + "engine: {hosts: [\"tcp://127.0.0.1:2375\"]}\n").problems()).singleElement()
                    .matches(p -> p.severity() == Problem.Severity.WARNING
                            && p.message().contains("prefer the unix socket"));
        }
    }

    @Nested
    class DesignDefects {
        @Test
        void liveRestoreWithSwarmIsRefusedD1() {
            assertThat(errors(FILLED + "engine:\n  liveRestore: true\n")).containsExactly(
                    "kiban.yaml:5:3 engine.liveRestore: error: live-restore cannot be combined with Swarm mode: the "
                            + "engine refuses 'swarm init'; use auto (off with Swarm) or disable swarm (D1)");
            assertThat(errors(FILLED + "engine: {liveRestore: true}\nswarm: {enabled: false}\n")).isEmpty();
        }

        @Test
        void dataRootOverTheVolumeTreeIsRefusedD6() {
            assertThat(errors(FILLED + "engine:\n  dataRoot: /data/docker\n")).containsExactly(
                    "kiban.yaml:5:3 engine.dataRoot: error: data-root /data/docker overlaps the bind-mount volume tree "
                            + "/data/docker/volumes: Docker's own volume store /data/docker/volumes would share "
                            + "directories with the volumes kiban binds; keep it at /var/lib/docker on the SSD (D6)");
        }

        @Test
        void usernsRemapWithSwarmIsAWarningD13() {
            SpecDocument doc = check(FILLED + "engine: {usernsRemap: default}\n");
            assertThat(doc.hasErrors()).isFalse();
            assertThat(doc.problems()).singleElement().extracting(Problem::message).asString().contains("(D13)");
        }
    }

    @Nested
    class Secrets {
        @Test
        void aLiteralSecretInAReadableFileIsAWarning() {
            String yaml = FILLED.replace("env:DISCORD_WEBHOOK", "https://discord.com/api/webhooks/1/S3CR3T");
            assertThat(SpecDocument.parse("kiban.yaml", yaml, true).problems()).singleElement().asString()
                    .contains("monitor.channels.discord.webhook: warning: a literal secret in a file other users can "
                            + "read");
            assertThat(SpecDocument.parse("kiban.yaml", yaml, false).problems()).isEmpty();
        }

        @Test
        void secretsNeverAppearInProblemsOrShow() {
            String yaml = FILLED.replace("env:DISCORD_WEBHOOK", "https://discord.com/api/webhooks/1/S3CR3T")
                    + "host: {memory: 1G}\n";
            SpecDocument doc = SpecDocument.parse("kiban.yaml", yaml, true);
            assertThat(doc.problems()).extracting(Problem::toString).noneMatch(p -> p.contains("S3CR3T"));
            SpecDocument ok = check(FILLED.replace("env:DISCORD_WEBHOOK", "https://discord.com/api/webhooks/1/S3CR3T"));
            assertThat(SpecTree.of(ok.require()).toString()).doesNotContain("S3CR3T");
            assertThat(SpecTree.of(ok.written()).toString()).doesNotContain("S3CR3T").contains("<secret>");
        }
    }

    @Test
    void effectiveSpecDecidesEveryAuto() {
        PlatformSpec s = check(FILLED).require().resolved(PlatformSpec.Family.RHEL, "192.0.2.10");
        assertThat(s.host().family()).isEqualTo(PlatformSpec.Family.RHEL);
        assertThat(s.swarm().advertiseAddress()).hasToString("192.0.2.10");
        assertThat(s.swarm().listenAddress()).hasToString("192.0.2.10");
        assertThat(s.engine().liveRestore()).isEqualTo(Tristate.FALSE);
        assertThat(s.engine().selinuxEnabled()).isEqualTo(Tristate.TRUE);
    }

    @Nested
    class NodeRules {
        @Test
        void theDefaultRulesWatchTheSwarmsNodesAtOnce() {
            PlatformSpec.AlertRule rule = SpecDocument.builtin().require().monitor().rules().stream()
                    .filter(r -> r.metric() == PlatformSpec.Metric.NODE_DOWN).findFirst().orElseThrow();
            assertThat(rule.name()).isEqualTo("node-down");
            assertThat(rule.forDuration()).as("no wait: the managers' heartbeats already took their time").isEmpty();
            assertThat(rule.above()).isEmpty();
            assertThat(rule.channels()).containsExactly("discord");
        }

        @Test
        void aNodeDownRuleHasNoThreshold() {
            assertThat(errors("monitor: {rules: [{name: nodes, metric: node-down, above: 50%, channels: [mail]}]}\n"))
                    .singleElement().asString().endsWith("monitor.rules[0].above: error: a node-down rule has no "
                            + "threshold");
        }
    }
}
