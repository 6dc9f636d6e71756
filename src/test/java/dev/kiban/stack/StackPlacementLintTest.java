package dev.kiban.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecDocument;
import dev.kiban.spec.SpecReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The lint rules that need the cluster: placement constraints against swarm.nodes, the budget per node across the
 * cluster (R1.2), and the rolling-update settings (R8).
 */
class StackPlacementLintTest {
    /** Three nodes of the default budget with overcommit 1: each has 4 vCPU and 16G for services. */
    static final PlatformSpec CLUSTER = SpecDocument.parse("k", """
            budget: {overcommit: 1}
            swarm:
              nodeNetworks: [192.168.10.0/24]
              nodes:
                - {name: ws1, address: 192.168.10.11, role: manager, labels: {storage: hdd}}
                - {name: ws2, address: 192.168.10.12, role: worker, labels: {storage: ssd, zone: a}}
                - {name: ws3, address: 192.168.10.13, role: worker}
            """, false).require();
    /** The default spec: swarm.nodes empty, the cluster is this host. */
    static final PlatformSpec ONE_HOST = SpecDocument.parse("k", "budget: {overcommit: 1}\n", false).require();

    static final String ADVISED_UPDATE = "update_config: {parallelism: 1, delay: 10s, failure_action: rollback}";

    /** A service that passes every other rule, with its cpus limit and {@code deploy} lines added from line 8 on. */
    static String service(String name, String cpus, String deploy) {
        return ("""
                %s:
                  image: app:1.0
                  deploy:
                    restart_policy: {condition: on-failure}
                    %s
                    resources: {limits: {cpus: "%s", memory: 1G}, reservations: {cpus: "0.1", memory: 64M}}
                """.formatted(name, ADVISED_UPDATE, cpus) + deploy.indent(4)).indent(2);
    }

    static List<String> lint(PlatformSpec spec, String... services) {
        String yaml = "services:\n" + String.join("", services);
        List<Problem> problems = new ArrayList<>();
        var tree = SpecReader.read("c.yml", yaml, problems);
        assertThat(problems).isEmpty();
        return StackLint.lint(List.of(new ComposeFile("c", "c.yml", tree)), spec).stream().map(Problem::toString)
                .toList();
    }

    static String constraints(String... constraints) {
        return "placement:\n  constraints: [" + String.join(", ", constraints) + "]";
    }

    @Nested
    class Constraints {
        @Test
        void constraintsSomeNodeSatisfiesPass() {
            assertThat(lint(CLUSTER, service("s", "1", constraints("node.labels.storage==ssd",
                    "node.role == worker", "node.hostname==ws2", "node.platform.os==linux", "node.labels.zone!=b"))))
                    .isEmpty();
            assertThat(lint(CLUSTER, service("s", "1", constraints("node.role==manager", "node.hostname!=ws2"))))
                    .isEmpty();
        }

        @Test
        void aLabelNoNodeHasIsAnErrorNamingTheNodes() {
            assertThat(lint(CLUSTER, service("s", "1", constraints("node.labels.storage==nvme")))).containsExactly(
                    "c.yml:9:23 services.s.deploy.placement.constraints[0]: error: constraint "
                            + "'node.labels.storage==nvme': no node in swarm.nodes has label storage=nvme; its tasks "
                            + "would stay pending; nodes: ws1 (manager, storage=hdd), ws2 (worker, storage=ssd, "
                            + "zone=a), ws3 (worker, no labels)");
        }

        @Test
        void aRoleOrHostnameNoNodeHasIsAnError() {
            assertThat(lint(CLUSTER, service("s", "1", constraints("node.hostname==ws9")))).singleElement()
                    .asString().contains("error: constraint 'node.hostname==ws9': no node in swarm.nodes is named ws9");
            assertThat(lint(CLUSTER, service("s", "1", constraints("node.role!=manager", "node.role==leader"))))
                    .singleElement().asString()
                    .contains("constraints[1]: error: constraint 'node.role==leader': no node in swarm.nodes is a "
                            + "leader");
            // each holds on some node, just not on the same one
            assertThat(lint(CLUSTER, service("s", "1", constraints("node.role!=manager", "node.role!=worker"))))
                    .singleElement().asString().contains("no active node in swarm.nodes satisfies all of these");
        }

        @Test
        void withoutSwarmNodesTheOneHostIsAManagerWithoutLabels() {
            assertThat(lint(ONE_HOST, service("s", "1", constraints("node.labels.storage==ssd")))).containsExactly(
                    "c.yml:9:23 services.s.deploy.placement.constraints[0]: error: constraint "
                            + "'node.labels.storage==ssd': swarm.nodes is empty, so the cluster is this host alone, a "
                            + "manager without labels, and no node has label storage=ssd; list the cluster's nodes, "
                            + "their roles and labels in swarm.nodes");
            assertThat(lint(ONE_HOST, service("s", "1", constraints("node.role==worker")))).singleElement()
                    .asString().contains("no node is a worker; list the cluster's nodes");
            assertThat(lint(ONE_HOST, service("s", "1", constraints("node.role==manager",
                    "node.labels.storage!=ssd")))).isEmpty();
        }

        @Test
        void whatLintCannotJudgeIsAWarningAndTakenAsSatisfied() {
            assertThat(lint(ONE_HOST, service("s", "1", constraints("node.hostname==ws1")))).containsExactly(
                    "c.yml:9:23 services.s.deploy.placement.constraints[0]: warning: lint cannot judge the "
                            + "constraint 'node.hostname==ws1': swarm.nodes is empty, so lint does not know the nodes' "
                            + "hostnames; list them there; it is taken as satisfied");
            assertThat(lint(CLUSTER, service("s", "1", constraints("engine.labels.gpu==true", "node.id=abc",
                    "\"node.labels.storage==${STORAGE}\"")))).containsExactly(
                    "c.yml:9:23 services.s.deploy.placement.constraints[0]: warning: lint cannot judge the "
                            + "constraint 'engine.labels.gpu==true': it judges node.role, node.hostname, "
                            + "node.labels.* and node.platform.os only; it is taken as satisfied",
                    "c.yml:9:48 services.s.deploy.placement.constraints[1]: warning: lint cannot judge the "
                            + "constraint 'node.id=abc': not key==value or key!=value; it is taken as satisfied",
                    "c.yml:9:61 services.s.deploy.placement.constraints[2]: warning: lint cannot judge the "
                            + "constraint 'node.labels.storage==${STORAGE}' (a variable); it is taken as satisfied");
        }

        @Test
        void constraintsThatHoldOnlyApartAreAnError() {
            assertThat(lint(CLUSTER, service("s", "1", constraints("node.role==manager", "node.labels.storage==ssd"))))
                    .containsExactly("c.yml:9:22 services.s.deploy.placement.constraints: error: no active node in "
                            + "swarm.nodes satisfies all of these constraints together; its tasks would stay pending; "
                            + "nodes: ws1 (manager, storage=hdd), ws2 (worker, storage=ssd, zone=a), ws3 (worker, no "
                            + "labels)");
        }

        @Test
        void aDrainedNodeTakesNoTasks() {
            PlatformSpec drained = SpecDocument.parse("k", """
                    budget: {overcommit: 1}
                    swarm:
                      nodeNetworks: [192.168.10.0/24]
                      nodes:
                        - {name: ws1, address: 192.168.10.11, role: manager}
                        - {name: ws2, address: 192.168.10.12, role: worker, labels: {storage: ssd}, availability: drain}
                    """, false).require();
            assertThat(lint(drained, service("s", "1", constraints("node.labels.storage==ssd")))).singleElement()
                    .asString().contains("no active node in swarm.nodes satisfies all of these constraints together")
                    .contains("ws2 (worker, storage=ssd, not active)");
        }

        @Test
        void moreReplicasThanMaxReplicasPerNodeLetsTheNodesHold() {
            assertThat(lint(CLUSTER, service("s", "0.5", "replicas: 3\n" + constraints("node.role==worker")
                    + "\n  max_replicas_per_node: 1"))).containsExactly(
                    "c.yml:11:32 services.s.deploy.placement.max_replicas_per_node: error: 3 replicas at most 1 per "
                            + "node need 3 nodes; it may run on 2 (ws2, ws3), so 1 would stay pending");
            assertThat(lint(CLUSTER, service("s", "0.5", "replicas: 3\nplacement: {max_replicas_per_node: 1}")))
                    .isEmpty();
        }
    }

    @Nested
    class Budget {
        @Test
        void aGlobalServiceCountsOnceOnEveryNodeItMayRunOn() {
            // 3 nodes x 4 vCPU = 12: the global agent 2 cpu on 3 nodes = 6, the app 7 x 1 = 7
            assertThat(lint(CLUSTER, service("agent", "2", "mode: global"), service("app", "1", "replicas: 7")))
                    .containsExactly("c.yml:1:1 deploy.resources.limits.cpus: error: the stacks' CPU limits add up "
                            + "to 13 vCPU, over the cluster's Docker budget of 12 (3 nodes (ws1, ws2, ws3) x 4 vCPU: "
                            + "4 cores x 1 overcommit): c/agent 3x(2 cpu, 1G), c/app 7x(1 cpu, 1G) (R1.2)");
            // on the workers only, the agent runs twice: 4 + 7 = 11 of 12
            assertThat(lint(CLUSTER, service("agent", "2", "mode: global\n" + constraints("node.role==worker")),
                    service("app", "1", "replicas: 7"))).isEmpty();
        }

        @Test
        void onOneHostAGlobalServiceCountsOnce() {
            assertThat(lint(ONE_HOST, service("agent", "2", "mode: global"), service("app", "1", "replicas: 3")))
                    .containsExactly("c.yml:1:1 deploy.resources.limits.cpus: error: the stacks' CPU limits add up "
                            + "to 5 vCPU, over the Docker budget of 4 (4 cores x 1 overcommit): c/agent 1x(2 cpu, 1G), "
                            + "c/app 3x(1 cpu, 1G) (R1.2)");
        }

        @Test
        void servicesConfinedToNodesMustFitThoseNodes() {
            // the whole cluster has 12 vCPU for 5; ws2, the one node with an ssd, has 4
            assertThat(lint(CLUSTER,
                    service("db", "3", constraints("node.labels.storage==ssd")),
                    service("cache", "2", constraints("node.labels.storage==ssd")),
                    service("web", "1", "")))
                    .containsExactly("c.yml:9:9 services.db.deploy.placement: error: the services that can run only "
                            + "on ws2 have CPU limits adding up to 5 vCPU, over their nodes' Docker budget of 4 (1 "
                            + "node x 4 vCPU: 4 cores x 1 overcommit): c/db 1x(3 cpu, 1G), c/cache 1x(2 cpu, 1G) "
                            + "(R1.2)");
        }

        @Test
        void aServiceConfinedToASubsetCountsInTheSubsetsItFitsIn() {
            // db needs 3 on ws2; app runs on the workers ws2 and ws3, so its 2 x 1 fit beside db
            assertThat(lint(CLUSTER,
                    service("db", "3", constraints("node.hostname==ws2")),
                    service("app", "1", "replicas: 2\n" + constraints("node.role==worker")))).isEmpty();
            // at most one app per node on three nodes: one must be on ws2, so 3 + 1 + the agent's 1 = 5 over 4
            assertThat(lint(CLUSTER,
                    service("db", "3", constraints("node.hostname==ws2")),
                    service("app", "1", "replicas: 3\nplacement: {max_replicas_per_node: 1}"),
                    service("agent", "1", "mode: global")))
                    .containsExactly("c.yml:9:9 services.db.deploy.placement: error: the services that "
                            + "can run only on ws2 have CPU limits adding up to 5 vCPU, over their nodes' Docker "
                            + "budget of 4 (1 node x 4 vCPU: 4 cores x 1 overcommit): c/db 1x(3 cpu, 1G), c/app 1x(1 "
                            + "cpu, 1G), c/agent 1x(1 cpu, 1G) (R1.2)");
        }

        @Test
        void memoryIsCheckedPerNodeSetToo() {
            assertThat(lint(CLUSTER,
                    service("a", "1", constraints("node.labels.storage==ssd")).replace("memory: 1G", "memory: 12G"),
                    service("b", "1", constraints("node.labels.storage==ssd")).replace("memory: 1G", "memory: 6G")))
                    .singleElement().asString().isEqualTo("c.yml:9:9 services.a.deploy.placement: error: the "
                            + "services that can run only on ws2 have memory limits adding up to 18G, over their "
                            + "nodes' Docker budget of 16G (1 node x 16G): c/a 1x(1 cpu, 12G), c/b 1x(1 cpu, 6G) "
                            + "(R1.2)");
        }
    }

    @Nested
    class RollingUpdate {
        @Test
        void theAdvisedSettingsPass() {
            assertThat(lint(ONE_HOST, service("s", "1", ""))).isEmpty();
            assertThat(lint(ONE_HOST, service("s", "1", "").replace("delay: 10s", "delay: 1m30s"))).isEmpty();
        }

        @Test
        void eachKeyThatFallsShortIsAWarningSayingWhatToSet() {
            String s = service("s", "1", "").replace(ADVISED_UPDATE,
                    "update_config: {parallelism: 2, delay: 5s, failure_action: pause}");
            assertThat(lint(ONE_HOST, s)).containsExactly(
                    "c.yml:6:36 services.s.deploy.update_config.parallelism: warning: parallelism 2; advised: "
                            + "update_config.parallelism: 1, so an update replaces one task at a time and the others "
                            + "keep serving (0 replaces all at once) (R8)",
                    "c.yml:6:46 services.s.deploy.update_config.delay: warning: delay 5s; advised: "
                            + "update_config.delay: 10s or more, so a new task's failure shows before the next one is "
                            + "replaced (R8)",
                    "c.yml:6:66 services.s.deploy.update_config.failure_action: warning: failure_action pause; "
                            + "advised: update_config.failure_action: rollback, so a broken image rolls back by itself "
                            + "(R8)");
        }

        @Test
        void missingKeysAreDockersDefaults() {
            // parallelism defaults to 1 (fine); delay to 0s and failure_action to pause (not)
            String s = service("s", "1", "").replace(ADVISED_UPDATE, "update_config: {order: start-first}");
            assertThat(lint(ONE_HOST, s)).containsExactly(
                    "c.yml:6:22 services.s.deploy.update_config.delay: warning: no delay; advised: "
                            + "update_config.delay: 10s or more, so a new task's failure shows before the next one is "
                            + "replaced (R8)",
                    "c.yml:6:22 services.s.deploy.update_config.failure_action: warning: no failure_action (Docker "
                            + "pauses the update); advised: update_config.failure_action: rollback, so a broken image "
                            + "rolls back by itself (R8)");
        }

        @Test
        void noUpdateConfigIsOneWarning() {
            String s = service("s", "1", "").replace(ADVISED_UPDATE, "labels: {a: b}");
            assertThat(lint(ONE_HOST, s)).containsExactly(
                    "c.yml:5:7 services.s.deploy.update_config: warning: no update_config; advised: {parallelism: 1, "
                            + "delay: 10s, failure_action: rollback}, so an update replaces one task at a time, 10s "
                            + "apart, and a broken image rolls back by itself (Docker's default is delay 0s and "
                            + "failure_action pause) (R8)");
        }

        @Test
        void durationsAsDockerWritesThem() {
            assertThat(StackLint.seconds("10s")).contains(10.0);
            assertThat(StackLint.seconds("1m30s")).contains(90.0);
            assertThat(StackLint.seconds("1h")).contains(3600.0);
            assertThat(StackLint.seconds("500ms")).contains(0.5);
            assertThat(StackLint.seconds("0")).contains(0.0);
            assertThat(StackLint.seconds("10")).isEmpty();
            assertThat(StackLint.seconds("ten seconds")).isEmpty();
            assertThat(StackLint.seconds("10s ")).contains(10.0);
        }
    }
}
