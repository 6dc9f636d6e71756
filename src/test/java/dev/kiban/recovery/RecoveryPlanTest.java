package dev.kiban.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.backup.SwarmState;
import dev.kiban.recovery.RecoveryFacts.Journal;
import dev.kiban.recovery.RecoveryFacts.Place;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The restore-all plan from facts alone: its order, refusals, what a second run keeps, and secrets (D5). */
class RecoveryPlanTest {
    static final String WEB = "services:\n  web:\n    image: kiban-test/web:latest\n";

    /** Facts of a fresh host (no swarm, nothing) and a snapshot; tests change what they need. */
    static final class Facts {
        List<RecoveryFacts.Image> images = new ArrayList<>();
        List<RecoveryFacts.Volume> volumes = new ArrayList<>();
        Optional<Place> compose = Optional.of(Place.EQUAL);
        List<RecoveryFacts.Stack> stacks = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        Optional<SwarmState> swarm = Optional.empty();
        boolean swarmActive;
        Set<String> imageIds = Set.of();
        Set<String> configs = Set.of();
        Set<String> secrets = Set.of();
        Set<String> networks = Set.of("bridge", "host");
        Set<String> engineStacks = Set.of();
        List<String> others = List.of();
        Journal journal = Journal.EMPTY;

        Facts stack(String name, String text) {
            stacks.add(new RecoveryFacts.Stack(name, "docker-compose.yml", text));
            return this;
        }

        RecoveryFacts build() {
            return new RecoveryFacts("20260101T000001Z-a", images, volumes, compose, stacks, bad, swarm,
                    new RecoveryFacts.EngineState(swarmActive, imageIds, configs, secrets, networks, engineStacks,
                            others), journal);
        }

        RecoveryPlan plan(boolean yes) {
            return RecoveryPlan.of(build(), yes);
        }
    }

    static List<String> steps(RecoveryPlan p) {
        return p.steps().stream().map(RecoveryPlan.Step::describe).toList();
    }

    static SwarmState swarmWith(List<String> configs, List<String> secrets) {
        return new SwarmState(new SwarmState.Cluster(List.of("10.20.0.0/16"), 24, 4789),
                configs.stream().map(c -> new SwarmState.Config(c, Map.of(), Base64.getEncoder().encodeToString(
                        c.getBytes()), List.of())).toList(),
                secrets.stream().map(s -> new SwarmState.Secret(s, Map.of(), List.of("app_web"))).toList(),
                List.of(), List.of());
    }

    @Test
    void aFreshHostGetsTheSwarmImagesVolumesComposeConfigsThenTheStacksInTheirNetworksOrder() {
        Facts f = new Facts();
        f.images.add(new RecoveryFacts.Image("image:aaa", "sha256:aaa", "kiban-test/web:latest"));
        f.volumes.add(new RecoveryFacts.Volume("db_rows", false, Place.ABSENT, List.of()));
        f.volumes.add(new RecoveryFacts.Volume("site", true, Place.ABSENT, List.of()));
        f.swarm = Optional.of(swarmWith(List.of("app_conf"), List.of()));
        // app names proxy's network as external: proxy first, although "app" sorts before it
        f.stack("app", WEB + "    networks: [edge]\nnetworks:\n  edge:\n    external: true\n    name: proxy_edge\n");
        f.stack("proxy", WEB + "    networks: [edge]\nnetworks:\n  edge:\n    driver: overlay\n");
        f.stack("db", WEB);
        f.compose = Optional.of(Place.ABSENT);
        RecoveryPlan p = f.plan(false);
        assertThat(p.runnable()).isTrue();
        assertThat(steps(p)).containsExactly(
                "initialise the swarm as the spec says (as kiban swarm init)",
                "load image image:aaa (kiban-test/web:latest)",
                "create volume db_rows (of stack db)",
                "restore volume db_rows",
                "restore volume site",
                "restore the compose tree",
                "create Swarm config app_conf",
                "deploy stack db and wait for it",
                "deploy stack proxy and wait for it",
                "deploy stack app and wait for it (after proxy: it uses their networks)");
        assertThat(p.needsOperator()).isFalse();
    }

    @Test
    void aSecondRunKeepsWhatIsThereAndDeploysOnlyItsOwnStacksAgain() {
        Facts f = new Facts();
        f.swarmActive = true;
        f.images.add(new RecoveryFacts.Image("image:aaa", "sha256:aaa", "web"));
        f.imageIds = Set.of("sha256:aaa");
        f.volumes.add(new RecoveryFacts.Volume("db_rows", false, Place.DIFFERENT, List.of("db_db.1.x")));
        f.volumes.add(new RecoveryFacts.Volume("site", true, Place.EQUAL, List.of()));
        f.compose = Optional.of(Place.EQUAL);
        f.swarm = Optional.of(swarmWith(List.of("app_conf"), List.of()));
        f.configs = Set.of("app_conf");
        f.stack("db", WEB);
        f.engineStacks = Set.of("db");
        f.journal = new Journal(List.of("db"), List.of("db_rows"));
        RecoveryPlan p = f.plan(false);
        assertThat(p.refusals()).isEmpty();
        assertThat(steps(p)).containsExactly("deploy stack db and wait for it");
        assertThat(p.kept()).hasSize(5).anyMatch(k -> k.startsWith("image image:aaa"))
                .anyMatch(k -> k.startsWith("volume db_rows (restored by an earlier run"))
                .anyMatch(k -> k.startsWith("volume site (it holds"))
                .anyMatch(k -> k.startsWith("the compose tree")).anyMatch(k -> k.startsWith("config app_conf"));
    }

    @Test
    void otherContainersAreRefusedWithoutYesAndLeftAloneWithIt() {
        Facts f = new Facts();
        f.stack("hello", WEB);
        f.others = List.of("other_web.1.abc (stack other)");
        RecoveryPlan refused = f.plan(false);
        assertThat(refused.runnable()).isFalse();
        assertThat(refused.refusals()).singleElement().asString().contains("not the snapshot's",
                "other_web.1.abc (stack other)");
        RecoveryPlan yes = f.plan(true);
        assertThat(yes.runnable()).isTrue();
        assertThat(yes.notes()).singleElement().asString().contains("left as they are");
        assertThat(steps(yes)).noneMatch(s -> s.contains("other"));
    }

    @Test
    void aStackOfTheSameNameThatRestoreAllDidNotDeployIsRefusedAndNeverReplaced() {
        Facts f = new Facts();
        f.swarmActive = true;
        f.stack("hello", WEB).stack("db", WEB);
        f.engineStacks = Set.of("hello");
        RecoveryPlan refused = f.plan(false);
        assertThat(refused.refusals()).singleElement().asString().contains("stack hello already runs here");
        RecoveryPlan yes = f.plan(true);
        assertThat(yes.runnable()).isTrue();
        assertThat(steps(yes)).containsExactly("deploy stack db and wait for it");
        assertThat(yes.blocked()).singleElement().satisfies(b -> {
            assertThat(b.stack()).isEqualTo("hello");
            assertThat(b.reason()).contains("left as it is");
        });
        assertThat(yes.needsOperator()).isTrue();
    }

    @Test
    void dataThatIsNotTheSnapshotsIsReplacedOnlyWithYesAndNeverUnderARunningContainer() {
        Facts f = new Facts();
        f.volumes.add(new RecoveryFacts.Volume("site", true, Place.DIFFERENT, List.of()));
        f.volumes.add(new RecoveryFacts.Volume("empty", true, Place.EMPTY, List.of()));
        f.compose = Optional.of(Place.DIFFERENT);
        RecoveryPlan refused = f.plan(false);
        assertThat(refused.refusals()).containsExactly(
                "volume site exists and holds other data than the snapshot's (--yes replaces it)",
                "the compose tree holds other files than the snapshot's (--yes replaces them)");
        assertThat(steps(f.plan(true))).containsExactly("restore volume site (replaces the data it holds: --yes)",
                "restore volume empty", "restore the compose tree (replaces the files it holds: --yes)");

        Facts used = new Facts();
        used.volumes.add(new RecoveryFacts.Volume("site", true, Place.EMPTY, List.of("someone")));
        assertThat(used.plan(true).refusals()).singleElement().asString().contains("in use by someone");
    }

    @Test
    void aStackWhoseSecretIsMissingWaitsForTheOperatorWithTheCommandAndTheOthersStillDeploy() {
        Facts f = new Facts();
        f.swarmActive = true;
        f.swarm = Optional.of(swarmWith(List.of(), List.of("app_db_password", "old_token")));
        f.stack("app", WEB + "    secrets: [db_password]\nsecrets:\n  db_password:\n    external: true\n"
                + "    name: app_db_password\n");
        f.stack("hello", WEB);
        RecoveryPlan p = f.plan(false);
        assertThat(steps(p)).containsExactly("deploy stack hello and wait for it");
        assertThat(p.blocked()).singleElement().satisfies(b -> {
            assertThat(b.stack()).isEqualTo("app");
            assertThat(b.reason()).contains("secret app_db_password, which the engine lacks");
        });
        assertThat(p.secrets()).extracting(RecoveryPlan.Secret::name).containsExactly("app_db_password", "old_token");
        assertThat(p.secrets().get(0).stacks()).containsExactly("app");
        assertThat(p.secrets().get(0).command())
                .isEqualTo("printf '%s' \"$VALUE\" | docker secret create app_db_password -");
        assertThat(p.needsOperator()).isTrue();

        f.secrets = Set.of("app_db_password", "old_token"); // the operator created them: the second run deploys app
        RecoveryPlan again = f.plan(false);
        assertThat(steps(again)).containsExactly("deploy stack app and wait for it",
                "deploy stack hello and wait for it");
        assertThat(again.secrets()).isEmpty();
        assertThat(again.needsOperator()).isFalse();
    }

    @Test
    void aSecretCreatedFromAFileOfTheComposeTreeNeedsNothing() {
        Facts f = new Facts();
        f.swarmActive = true;
        f.stack("app", WEB + "secrets:\n  key:\n    file: ./key.txt\n");
        assertThat(f.plan(false).secrets()).isEmpty();
        assertThat(steps(f.plan(false))).containsExactly("deploy stack app and wait for it");
    }

    @Test
    void aStackOnAMissingNetworkOrAfterABlockedStackIsNotDeployed() {
        Facts f = new Facts();
        f.swarmActive = true;
        f.stack("proxy", WEB + "secrets:\n  tls:\n    external: true\nnetworks:\n  edge:\n    driver: overlay\n");
        f.stack("app", WEB + "networks:\n  edge:\n    external: true\n    name: proxy_edge\n");
        f.stack("lone", WEB + "networks:\n  shared:\n    external: true\n");
        RecoveryPlan p = f.plan(false);
        assertThat(steps(p)).isEmpty();
        assertThat(p.blocked()).extracting(RecoveryPlan.Blocked::stack).containsExactly("app", "lone", "proxy");
        assertThat(p.blocked().get(0).reason()).contains("network proxy_edge of stack proxy, which is not deployed");
        assertThat(p.blocked().get(1).reason()).contains("docker network create --driver overlay --attachable shared");
        f.networks = Set.of("shared");
        assertThat(steps(f.plan(false))).containsExactly("deploy stack lone and wait for it");
    }

    @Test
    void stacksThatNeedEachOthersNetworksAreAProblemAndNothingIsDone() {
        Facts f = new Facts();
        f.stack("a", WEB + "networks:\n  x:\n    external: true\n    name: b_y\n  own:\n    driver: overlay\n");
        f.stack("b", WEB + "networks:\n  y:\n    driver: overlay\n  z:\n    external: true\n    name: a_own\n");
        RecoveryPlan p = f.plan(true);
        assertThat(p.runnable()).isFalse();
        assertThat(p.steps()).isEmpty();
        assertThat(p.problems()).singleElement().asString().contains("the stacks a, b name each other's networks");
    }

    @Test
    void namesKibanNeverWritesMakeTheSnapshotUnusableAndNoCommandIsPrintedWithThem() {
        Facts f = new Facts();
        f.bad.add("a stack ../x in its compose tree");
        RecoveryPlan p = f.plan(true);
        assertThat(p.problems()).singleElement().asString().contains("../x", "nothing was changed");
        assertThat(p.steps()).isEmpty();

        Facts secret = new Facts();
        secret.swarmActive = true;
        secret.stack("app", WEB + "secrets:\n  s:\n    external: true\n    name: \"x; rm -rf /\"\n");
        RecoveryPlan hostile = secret.plan(true);
        assertThat(hostile.problems()).singleElement().asString().contains("no name docker accepts");
        assertThat(hostile.secrets()).isEmpty();

        Facts recorded = new Facts();
        recorded.swarmActive = true;
        recorded.swarm = Optional.of(swarmWith(List.of("bad name\u001b[2J"), List.of("$(reboot)")));
        RecoveryPlan r = recorded.plan(false);
        assertThat(r.secrets()).isEmpty();
        assertThat(r.steps()).isEmpty();
        assertThat(String.join("\n", r.notes())).contains("\\x1b[2J").doesNotContain("\u001b");
    }

    @Test
    void composeThatCannotBeReadBlocksItsStackOnly() {
        Facts f = new Facts();
        f.swarmActive = true;
        f.stack("broken", "services: [\n").stack("hello", WEB);
        RecoveryPlan p = f.plan(false);
        assertThat(steps(p)).containsExactly("deploy stack hello and wait for it");
        assertThat(p.blocked()).singleElement().satisfies(b -> assertThat(b.reason()).contains("cannot be read"));
    }
}
