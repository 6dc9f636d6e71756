package dev.kiban.cli;

import static dev.kiban.backup.CraftedSnapshots.dir;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.backup.CraftedSnapshots;
import dev.kiban.backup.SwarmState;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.TestSwarm;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kiban restore-all through the command line, on crafted snapshots and the fake engine: the plan and --dry-run,
 * a run and its second run (the journal), refusals and hostile names (nothing changed), secrets (exit 1).
 */
class RestoreAllCommandTest {
    @TempDir
    Path root;
    Path repo;
    Path volumes;
    Path compose;
    Path journal;
    Path spec;
    CraftedSnapshots crafted;
    FakeEngine engine;

    @BeforeEach
    void world() throws Exception {
        repo = root.resolve("repo");
        volumes = root.resolve("volumes");
        compose = root.resolve("compose");
        journal = root.resolve("journal");
        Files.createDirectories(volumes);
        crafted = CraftedSnapshots.in(repo);
        spec = TestSwarm.spec(root, "storage: {volumes: " + volumes + ", compose: " + compose + "}\n");
        engine = new FakeEngine().asManager(List.of("10.20.0.0/16"), 24);
    }

    CommandLineTest.Run restoreAll(String id, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("-c", spec.toString(), "restore-all", id, "-r",
                repo.toString(), "--journal", journal.toString()));
        args.addAll(List.of(more));
        return CommandLineTest.run(a -> engine, args.toArray(String[]::new));
    }

    /** A snapshot of the volume "site" (in the spec's volume tree) and a Swarm state of one config and secrets. */
    String snapshot(List<String> secrets) throws Exception {
        SwarmState state = new SwarmState(new SwarmState.Cluster(List.of("10.20.0.0/16"), 24, 4789),
                List.of(new SwarmState.Config("site_conf", Map.of("k", "v"), Base64.getEncoder().encodeToString(
                        "conf".getBytes()), List.of())),
                secrets.stream().map(s -> new SwarmState.Secret(s, Map.of(), List.of("site_web"))).toList(),
                List.of(), List.of());
        crafted.tree("volume:site", volumes.resolve("site").toString(), dir("."), crafted.file("index.html", "hi"));
        crafted.tree("swarm", "", crafted.file(".", new String(state.toJson())));
        return crafted.write();
    }

    @Test
    void theDryRunShowsThePlanAndChangesNothing() throws Exception {
        String id = snapshot(List.of());
        CommandLineTest.Run r = restoreAll(id, "--dry-run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("restore-all of " + id, "1. restore volume site",
                "2. create Swarm config site_conf");
        assertThat(Files.exists(volumes.resolve("site"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(engine.configs()).isEmpty();
        assertThat(Files.exists(journal)).isFalse();
    }

    @Test
    void aRunBringsTheSnapshotBackAndASecondRunKeepsIt() throws Exception {
        String id = snapshot(List.of());
        CommandLineTest.Run r = restoreAll(id, "--yes");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(Files.readString(volumes.resolve("site/index.html"))).isEqualTo("hi");
        assertThat(engine.configs()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("site_conf"));
        assertThat(r.out()).contains("restored volume:site to " + volumes.resolve("site"),
                "created Swarm config site_conf", "restore-all of " + id + ": 2 steps done, 0 kept");
        assertThat(Files.readString(journal.resolve(id + ".json"))).contains("site");

        CommandLineTest.Run again = restoreAll(id, "--yes", "--json");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).startsWith("{").contains("\"done\" : [ ]")
                .contains("volume site (restored by an earlier run").contains("config site_conf (the engine has it");
        assertThat(engine.configs()).hasSize(1);
    }

    @Test
    void withoutItsJournalASecondRunStillKeepsAVolumeThatHoldsTheSnapshotsData() throws Exception {
        String id = snapshot(List.of());
        assertThat(restoreAll(id, "--yes").exit()).isZero();
        Files.delete(journal.resolve(id + ".json"));
        CommandLineTest.Run again = restoreAll(id, "--yes");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("kept: volume site (it holds the snapshot's data)", "nothing to do");
    }

    @Test
    void anEngineVolumeTheHostLacksIsCreatedBeforeItsDataGoesBack() throws Exception {
        crafted.tree("volume:db_rows", "/var/lib/docker/volumes/db_rows/_data", dir("."), crafted.file("rows", "1"));
        crafted.tree("compose", compose.toString(), dir("."), dir("db"),
                crafted.file("db/docker-compose.yml", "services:\n  db:\n    image: kiban-test/base:latest\n"));
        String id = crafted.write();
        CommandLineTest.Run r = restoreAll(id, "--dry-run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("1. create volume db_rows (of stack db)", "2. restore volume db_rows",
                "3. restore the compose tree", "4. deploy stack db and wait for it");
        assertThat(engine.volumes()).isEmpty();
    }

    @Test
    void aJournalThatIsALinkIsNeverFollowed() throws Exception {
        String id = snapshot(List.of());
        Path elsewhere = Files.writeString(root.resolve("elsewhere.json"), "{\"stacks\":[\"x\"]}");
        Files.createDirectories(journal);
        Files.createSymbolicLink(journal.resolve(id + ".json"), elsewhere);
        CommandLineTest.Run r = restoreAll(id, "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("is not a regular file (a link is never followed)");
        assertThat(Files.readString(elsewhere)).isEqualTo("{\"stacks\":[\"x\"]}");
        assertThat(Files.exists(volumes.resolve("site"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void secretsAreListedForTheOperatorWithTheirCommandAndTheExitIsOne() throws Exception {
        String id = snapshot(List.of("site_password"));
        CommandLineTest.Run r = restoreAll(id, "--yes");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("needs the operator: secret site_password: printf '%s' \"$VALUE\" | docker "
                + "secret create site_password -");
        assertThat(Files.readString(volumes.resolve("site/index.html"))).isEqualTo("hi");
    }

    @Test
    void otherContainersAndDataAreRefusedWithoutYesAndNothingChanges() throws Exception {
        String id = snapshot(List.of());
        engine.addContainer("someone", "running", Map.of(), List.of());
        Files.createDirectories(volumes.resolve("site"));
        Files.writeString(volumes.resolve("site/mine"), "the operator's");
        CommandLineTest.Run r = restoreAll(id);
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("not restoring " + id + "; nothing changed", "someone",
                "volume site exists and holds other data");
        assertThat(Files.readString(volumes.resolve("site/mine"))).isEqualTo("the operator's");
        assertThat(engine.configs()).isEmpty();
        assertThat(Files.exists(journal)).isFalse();
    }

    @Test
    void aSnapshotNamingAStackOrVolumeKibanNeverWritesIsRefusedWhole() throws Exception {
        crafted.tree("compose", compose.toString(), dir("."), dir(".."),
                crafted.file("../x/docker-compose.yml", "services: {}\n"));
        crafted.tree("volume:site", volumes.resolve("site").toString(), dir("."), crafted.file("f", "x"));
        String stack = crafted.write();
        crafted.tree("volume:a/b", volumes.resolve("a").toString(), dir("."), crafted.file("f", "x"));
        String volume = crafted.write();
        for (String id : List.of(stack, volume)) {
            CommandLineTest.Run r = restoreAll(id, "--yes");
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
            assertThat(r.err()).contains("kiban never writes", "nothing was changed");
        }
        assertThat(Files.exists(compose)).isFalse();
        try (var s = Files.list(volumes)) {
            assertThat(s).isEmpty();
        }
        assertThat(Files.exists(journal)).isFalse();
    }
}
