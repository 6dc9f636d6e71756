package dev.kiban.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.docs.Book.Chapter;
import dev.kiban.docs.Book.Proof;
import dev.kiban.docs.Book.Step;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each chapter from a recorded spec: the spec's values are in the commands, and change with it. */
class ProceduresTest {
    static final String RECORDED = """
            admin: {email: ops@example.org}
            monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
            security: {ssh: {allowUsers: [deploy], port: 2222}}
            storage: {data: /srv/data, compose: /srv/compose}
            backup: {repository: /mnt/offsite/kiban, schedule: "0 3 * * 6"}
            swarm:
              advertiseAddress: 192.168.10.11
              nodeNetworks: [192.168.10.0/24]
              dataPathPort: 4790
              nodes:
                - {name: ws1, address: 192.168.10.11, role: manager}
                - {name: ws2, address: 192.168.10.12, role: worker}
                - {name: ws3, address: 192.168.10.13, role: manager}
            """;

    /** The ids of kiban verify's checks as the CLI hands them in (cli.DocsCommandTest checks they are verify's). */
    static final Map<String, String> VERIFY = verify();

    private static Map<String, String> verify() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String id : List.of("engine-active", "compose-v2", "swarm-active", "swarm-nodes-ready", "swarm-quorum",
                "swarm-nodes-as-spec", "data-mounted", "backup-job", "fail2ban-sshd", "selinux-enforcing",
                "logwatch-report", "mail-relay", "host-no-drift", "audit", "routine")) {
            m.put(id, "unit");
        }
        for (String id : List.of("web-http-200", "oom-kill", "many-containers", "backup-restore", "alert-delivery",
                "swarm-overlay")) {
            m.put(id, "integration");
        }
        return m;
    }

    static PlatformSpec spec(String text, Family family) {
        return SpecDocument.parse("kiban.yaml", text, false).require().resolved(family, "192.0.2.1");
    }

    static Book book(String text, Family family) {
        return Procedures.book(spec(text, family), List.of("hello", "webmail"), VERIFY);
    }

    static Chapter chapter(Book book, String file) {
        return book.chapters().stream().filter(c -> c.file().equals(file)).findFirst().orElseThrow();
    }

    static List<List<String>> commands(Chapter c) {
        return c.steps().stream().map(Step::command).toList();
    }

    static List<String> proofs(Chapter c) {
        return c.steps().stream().flatMap(s -> s.proofs().stream()).map(Proof::id).toList();
    }

    @Test
    void theBookHasTheDesignsFourProceduresAndTheOperations() {
        assertThat(book(RECORDED, Family.DEBIAN).chapters()).extracting(Chapter::file).containsExactly(
                "3.1-docker-environment-setup", "3.2-storage-backup-setup", "3.3-monitoring-security-setup",
                "3.4-infrastructure-validation", "operations", "upgrade", "disaster-recovery", "swarm-add-node");
    }

    @Test
    void setUpUsesTheSpecsPathsAddressesAndStacks() {
        Chapter c = chapter(book(RECORDED, Family.DEBIAN), "3.1-docker-environment-setup");
        assertThat(commands(c)).contains(List.of("findmnt", "--target", "/srv/data"),
                List.of("kiban", "swarm", "init", "--yes"),
                List.of("kiban", "stack", "lint", "/srv/compose/hello/docker-compose.yml"),
                List.of("kiban", "stack", "deploy", "webmail"));
        assertThat(c.steps()).anySatisfy(s -> assertThat(s.en()).contains("advertise 192.168.10.11", "4790/udp"));
        assertThat(proofs(c)).contains("engine-active", "compose-v2", "host-no-drift", "data-mounted", "swarm-active",
                "kiban.swarm");

        Chapter changed = chapter(book(RECORDED.replace("/srv/compose", "/opt/stacks")
                .replace("/srv/data", "/data2"), Family.DEBIAN), "3.1-docker-environment-setup");
        assertThat(commands(changed)).contains(List.of("findmnt", "--target", "/data2"),
                List.of("kiban", "stack", "lint", "/opt/stacks/hello/docker-compose.yml"));
    }

    @Test
    void withoutSwarmThereIsNoInit() {
        Chapter c = chapter(book(RECORDED, Family.DEBIAN), "3.1-docker-environment-setup");
        assertThat(commands(c)).contains(List.of("kiban", "swarm", "init", "--yes"));
        Chapter off = chapter(book(RECORDED.replace("swarm:\n", "swarm:\n  enabled: false\n"), Family.DEBIAN),
                "3.1-docker-environment-setup");
        assertThat(commands(off)).doesNotContain(List.of("kiban", "swarm", "init", "--yes"));
    }

    @Test
    void storageAndBackupUseTheRepositoryAndSchedule() {
        Chapter c = chapter(book(RECORDED, Family.DEBIAN), "3.2-storage-backup-setup");
        assertThat(commands(c)).contains(List.of("findmnt", "--target", "/mnt/offsite/kiban"),
                List.of("kiban", "backup", "run"), List.of("kiban", "backup", "verify", "--read-data"));
        assertThat(c.steps()).anySatisfy(s -> assertThat(s.ja()).contains("0 3 * * 6"));
        assertThat(proofs(c)).contains("backup-job", "backup-restore");
    }

    @Test
    void monitoringAndSecurityFollowTheFamily() {
        Chapter debian = chapter(book(RECORDED, Family.DEBIAN), "3.3-monitoring-security-setup");
        assertThat(commands(debian)).contains(List.of("nft", "list", "table", "inet", "kiban"))
                .doesNotContain(List.of("getenforce"));
        assertThat(debian.steps()).anySatisfy(s -> assertThat(s.en()).contains("port 2222", "allowed users deploy"));
        assertThat(proofs(debian)).contains("kiban.ssh.password", "fail2ban-sshd", "kiban.firewall", "audit",
                "alert-delivery");

        Chapter rhel = chapter(book(RECORDED, Family.RHEL), "3.3-monitoring-security-setup");
        assertThat(commands(rhel)).contains(List.of("getenforce"),
                List.of("firewall-cmd", "--zone=public", "--list-all"));
        assertThat(proofs(rhel)).contains("selinux-enforcing", "kiban.selinux");
    }

    @Test
    void validationNamesEveryVerifyCheckOfItsGroup() {
        Chapter c = chapter(book(RECORDED, Family.DEBIAN), "3.4-infrastructure-validation");
        assertThat(c.steps().get(0).command()).containsExactly("kiban", "verify", "--only", "unit");
        assertThat(c.steps().get(0).proofs()).extracting(Proof::id).containsExactlyElementsOf(
                VERIFY.entrySet().stream().filter(e -> e.getValue().equals("unit")).map(Map.Entry::getKey).toList());
        assertThat(c.steps().get(1).proofs()).extracting(Proof::id).contains("web-http-200", "swarm-overlay");
    }

    @Test
    void operationsFollowTheDesignsRoutineWithTheSpecsValues() {
        Chapter c = chapter(book(RECORDED, Family.DEBIAN), "operations");
        assertThat(commands(c)).contains(List.of("kiban", "status"), List.of("kiban", "report", "daily"),
                List.of("df", "-h", "/srv/data"), List.of("kiban", "doctor", "SERVICE"));
        assertThat(c.steps()).anySatisfy(s -> assertThat(s.en()).contains("ops@example.org"));
        assertThat(proofs(c)).contains("logwatch-report", "backup-job", "kiban.updates", "routine");
        assertThat(c.steps()).anySatisfy(s -> assertThat(s.en()).contains("the engine's update window 0 5 * * 1: "
                + "this node drained").doesNotContain("off-site"));
        Chapter copy = chapter(book(RECORDED + "maintenance: {offsiteCopy: {to: "
                + "\"sftp://backup@offsite.example.org/srv/kiban\"}}\n", Family.DEBIAN), "operations");
        assertThat(commands(copy)).contains(List.of("kiban", "backup", "copy", "--to",
                "sftp://backup@offsite.example.org/srv/kiban"));
        assertThat(copy.steps()).anySatisfy(s -> assertThat(s.en()).contains("the off-site copy to "
                + "sftp://backup@offsite.example.org/srv/kiban after the backup"));
    }

    @Test
    void upgradeDrainsEachNodeInTurnAndUsesTheFamilysPackages() {
        Chapter c = chapter(book(RECORDED, Family.RHEL), "upgrade");
        assertThat(commands(c)).containsSubsequence(List.of("kiban", "node", "drain", "ws1"),
                List.of("dnf", "upgrade", "docker-ce", "docker-ce-cli", "containerd.io", "docker-buildx-plugin",
                        "docker-compose-plugin"),
                List.of("kiban", "node", "activate", "ws1"), List.of("kiban", "node", "drain", "ws2"));
        Chapter single = chapter(book(RECORDED.replaceAll("(?s)  nodes:.*", ""), Family.DEBIAN), "upgrade");
        assertThat(commands(single)).contains(List.of("apt-get", "install", "--only-upgrade", "docker.io"));
        assertThat(commands(single).stream().filter(x -> x.contains("drain"))).isEmpty();
    }

    @Test
    void recoveryRestoresTheSnapshotInOrderAndDeploysTheStacks() {
        Chapter c = chapter(book(RECORDED, Family.DEBIAN), "disaster-recovery");
        assertThat(commands(c)).containsSubsequence(List.of("kiban", "apply", "--yes"),
                List.of("kiban", "backup", "list"),
                List.of("kiban", "restore-all", "SNAP", "--dry-run"),
                List.of("kiban", "restore-all", "SNAP", "--yes"),
                List.of("kiban", "restore-all", "SNAP", "--yes"),
                List.of("kiban", "verify"));
        assertThat(commands(c)).contains(List.of("findmnt", "--target", "/mnt/offsite/kiban"))
                .noneMatch(x -> x.contains("deploy"));
        // one command deploys the stacks: the step names them, in both languages
        assertThat(c.steps()).anySatisfy(s -> {
            assertThat(s.en()).contains("(hello, webmail)", "secrets to recreate");
            assertThat(s.ja()).contains("（hello、webmail）", "シークレット");
        });
    }

    @Test
    void addingANodeJoinsEveryNodeButTheFirstManager() {
        Chapter c = chapter(book(RECORDED, Family.DEBIAN), "swarm-add-node");
        assertThat(commands(c)).contains(List.of("kiban", "swarm", "join", "--node", "ws2", "--yes"),
                List.of("kiban", "swarm", "join", "--node", "ws3", "--yes"),
                List.of("chmod", "0600", "/root/.docker-swarm-token"), List.of("kiban", "swarm", "apply", "--yes"))
                .doesNotContain(List.of("kiban", "swarm", "join", "--node", "ws1", "--yes"));
        assertThat(c.steps()).anySatisfy(s -> assertThat(s.ja()).contains("ws3（192.168.10.13）", "マネージャー"));
        assertThat(proofs(c)).contains("swarm-nodes-as-spec", "swarm-quorum", "swarm-overlay");
    }

    @Test
    void aProofOfACheckVerifyDoesNotHaveIsRefused() {
        Map<String, String> fewer = new LinkedHashMap<>(VERIFY);
        fewer.remove("engine-active");
        assertThatThrownBy(() -> Procedures.book(spec(RECORDED, Family.DEBIAN), List.of(), fewer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("engine-active");
    }

    @Test
    void withoutStacksTheStepsNameAPlaceholder() {
        Book b = Procedures.book(spec(RECORDED, Family.DEBIAN), List.of(), VERIFY);
        assertThat(commands(chapter(b, "3.1-docker-environment-setup")))
                .contains(List.of("kiban", "stack", "deploy", "STACK"));
    }
}
