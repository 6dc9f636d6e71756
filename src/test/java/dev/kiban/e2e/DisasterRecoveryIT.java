package dev.kiban.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.os.Wait;
import dev.kiban.testing.Prerequisite;
import dev.kiban.testing.RigHosts.Exec;
import dev.kiban.testing.RigHosts.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Disaster recovery on real hosts (issue 16): host A (Debian 13, the kiban package, the spec applied) runs the hello
 * example stack and a database-like stack that keeps rows in a named volume; A is backed up, its repository goes to
 * a fresh host B as a disk would, B is applied and {@code kiban restore-all latest --yes} brings both stacks back,
 * answering with A's data; a third stack needs a secret, whose value no backup holds (D5): it waits for the
 * operator, who creates the secret as the report says and runs restore-all again. The time from restore-all's start
 * to both stacks answering is printed. On B then: a second run changes nothing, and a run onto B with a stack of its
 * own is refused without --yes, that stack intact.
 */
class DisasterRecoveryIT extends RigSteps {
    static final String SUITE = "trixie";
    static final String HELLO = "examples/stacks/hello/docker-compose.yml";
    static final String DB = "src/test/resources/stacks/recovery/db.yml";
    static final String VAULT = "src/test/resources/stacks/recovery/vault.yml";
    static final String COMPOSE = "/data/docker-compose";

    String network;
    Host a;
    Host b;
    String rowsOnA;

    @BeforeAll
    void twoHosts() throws Exception {
        Path deb = Path.of(System.getenv().getOrDefault("KIBAN_DEB", "target/kiban.deb"));
        Prerequisite.require(Files.isRegularFile(deb), "no package at " + deb + ": build it with mvn package");
        network = RIG.network("disaster-recovery");
        List<Host> hosts = SwarmClusterIT.parallel(List.of(
                () -> RIG.start("dr-a", SUITE, "engine", network, "/data", "/mnt/backup"),
                () -> RIG.start("dr-b", SUITE, "engine", network, "/data", "/mnt/backup")));
        a = hosts.get(0);
        b = hosts.get(1);
        SwarmClusterIT.parallel(hosts.stream().<Callable<Void>>map(h -> () -> {
            h.copyIn(deb, "/var/tmp/kiban.deb");
            Exec install = h.exec(Duration.ofMinutes(5), "apt-get", "install", "-y", "/var/tmp/kiban.deb");
            assertThat(install.ok()).as(install.both()).isTrue();
            return null;
        }).toList());
        // no registry answers: A has the images; B gets them from the backup only
        a.loadImage("kiban-test/web:latest");
        a.loadImage("kiban-test/base:latest");
    }

    static Exec kibanOk(Host h, String... args) {
        Exec e = kiban(h, args);
        assertThat(e.ok()).as("kiban " + String.join(" ", args) + ":\n" + e.both()).isTrue();
        return e;
    }

    /** The spec filled as an operator would, and applied. */
    static void apply(Host h) {
        h.execOk("mkdir", "-p", "/etc/kiban");
        kibanOk(h, "spec", "init", SPEC);
        String hardNofile = h.execOk("sh", "-c", "ulimit -Hn").strip();
        h.write("/etc/kiban/discord-webhook", "http://127.0.0.1:18099/api/webhooks/1/none\n");
        String spec = h.read(SPEC)
                .replace("<admin e-mail address>", "ops@example.test")
                .replace("<Discord webhook URL>", "file:/etc/kiban/discord-webhook")
                .replace("<ssh user>", "deploy")
                .replace("nofile: {soft: 64000, hard: 64000}", "nofile: {soft: " + hardNofile + ", hard: "
                        + hardNofile + "}");
        h.write(SPEC, spec);
        h.execOk("chmod", "600", SPEC, "/etc/kiban/discord-webhook");
        operatorWithKey(h);
        kibanOk(h, "apply", "--yes");
    }

    /** What a stack's service answers over HTTP from inside its task (the rig has no published ports). */
    static String answer(Host h, String service, String path) {
        String id = h.exec("docker", "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + service)
                .out().lines().findFirst().orElse("");
        if (id.isBlank()) return "";
        return h.exec(Duration.ofSeconds(10), "docker", "exec", id, "wget", "-q", "-O", "-",
                "http://127.0.0.1:8080/" + path).out();
    }

    @Test
    @Order(1)
    void hostARunsHelloAndADatabaseLikeStackAndIsBackedUp() throws Exception {
        apply(a);
        kibanOk(a, "swarm", "init", "--yes");
        assertThat(a.execWithInput("s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8), "docker", "secret",
                "create", "vault_token", "-").ok()).isTrue();
        for (String[] s : List.of(new String[] {"hello", HELLO}, new String[] {"db", DB},
                new String[] {"vault", VAULT})) {
            a.execOk("mkdir", "-p", COMPOSE + "/" + s[0]);
            // the rig's kernels have no IPVS: no service VIP, so the example runs with DNS round robin here
            String compose = Files.readString(Path.of(s[1])).replace("      replicas: 2\n",
                    "      replicas: 2\n      endpoint_mode: dnsrr\n");
            a.write(COMPOSE + "/" + s[0] + "/docker-compose.yml", compose);
            kibanOk(a, "stack", "deploy", s[0], "--timeout", "180s");
        }
        Wait.until(() -> answer(a, "db_db", "rows").contains("started-"), Duration.ofSeconds(60), "db answers on A");
        String db = a.execOk("docker", "ps", "-q", "--filter", "label=com.docker.swarm.service.name=db_db").strip();
        a.execOk("docker", "exec", db, "sh", "-c", "echo row-written-on-A >> /data/rows");
        rowsOnA = answer(a, "db_db", "rows");
        assertThat(rowsOnA).contains("row-written-on-A");
        assertThat(answer(a, "hello_web", "")).contains("kiban test web");
        Exec backup = kibanOk(a, "backup", "run");
        System.out.println(backup.out());
    }

    @Test
    @Order(2)
    void restoreAllBringsBothStacksBackOnAFreshHostWithTheSameData() throws Exception {
        // host A is lost; its backup disk goes to B whole
        a.execOk("systemctl", "stop", "--job-mode=replace-irreversibly", "docker.socket", "docker.service");
        SwarmClusterIT.pipe(List.of("docker", "exec", a.container(), "tar", "-C", "/mnt/backup", "-c", "docker"),
                List.of("docker", "exec", "-i", b.container(), "tar", "-C", "/mnt/backup", "-x"));
        apply(b);
        Exec dry = kibanOk(b, "restore-all", "latest", "--dry-run");
        System.out.println(dry.out());
        assertThat(dry.out()).contains("initialise the swarm", "load image", "create volume db_rows",
                "restore volume db_rows", "deploy stack db", "deploy stack hello", "secret vault_token to create by "
                + "hand (needed by vault)", "not deploying vault");
        assertThat(b.execOk("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").strip())
                .as("a dry run changes nothing").isEqualTo("inactive");

        long start = System.nanoTime();
        Exec restore = kiban(b, "restore-all", "latest", "--yes", "--timeout", "180s");
        long restored = System.nanoTime();
        System.out.println(restore.both());
        // the secret's value was never backed up (D5): vault waits for the operator, the others come back
        assertThat(restore.exit()).as(restore.both()).isEqualTo(1);
        assertThat(restore.out()).contains("needs the operator: secret vault_token (for vault): printf '%s' "
                + "\"$VALUE\" | docker secret create vault_token -").doesNotContain("s3cret");
        Wait.until(() -> answer(b, "hello_web", "").contains("kiban test web")
                && answer(b, "db_db", "rows").startsWith(rowsOnA), Duration.ofSeconds(120), "both stacks answer on B");
        long answering = System.nanoTime();
        System.out.printf("disaster recovery on the rig: restore-all %.1f s, restore-all start to stacks answering "
                + "%.1f s%n", (restored - start) / 1e9, (answering - start) / 1e9);
        assertThat(answer(b, "db_db", "rows")).startsWith(rowsOnA).contains("row-written-on-A");

        // the operator creates the secret as the report says and runs restore-all again: it continues
        assertThat(b.execWithInput("s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8), "docker", "secret",
                "create", "vault_token", "-").ok()).isTrue();
        Exec again = kiban(b, "restore-all", "latest", "--yes", "--timeout", "180s");
        System.out.println(again.both());
        assertThat(again.exit()).as(again.both()).isZero();
        assertThat(again.out()).contains("deployed stack vault: converged", "kept: volume db_rows");
    }

    @Test
    @Order(3)
    void aSecondRunKeepsWhatIsThere() {
        Exec again = kiban(b, "restore-all", "latest", "--yes", "--timeout", "180s");
        System.out.println(again.both());
        assertThat(again.exit()).as(again.both()).isZero();
        assertThat(again.out()).contains("kept: image", "kept: volume db_rows").doesNotContain("initialised the swarm");
    }

    @Test
    @Order(4)
    void aHostRunningAnotherStackIsRefusedWithoutYesAndThatStackIsUntouched() throws Exception {
        b.write("/var/tmp/other.yml", Files.readString(Path.of(HELLO)).replace("      replicas: 2\n",
                "      replicas: 1\n      endpoint_mode: dnsrr\n"));
        b.execOk("docker", "stack", "deploy", "-c", "/var/tmp/other.yml", "other");
        Wait.until(() -> answer(b, "other_web", "").contains("kiban test web"), Duration.ofSeconds(60),
                "the other stack answers");
        String before = b.execOk("docker", "service", "inspect", "other_web", "--format", "{{.ID}} {{.Version.Index}}");
        Exec refused = kiban(b, "restore-all", "latest");
        assertThat(refused.exit()).as(refused.both()).isEqualTo(1);
        assertThat(refused.err()).contains("not the snapshot's", "other_web");
        assertThat(b.execOk("docker", "service", "inspect", "other_web", "--format", "{{.ID}} {{.Version.Index}}"))
                .isEqualTo(before);
        assertThat(answer(b, "other_web", "")).contains("kiban test web");
    }
}
