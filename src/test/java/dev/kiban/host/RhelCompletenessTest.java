package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.os.HostPrograms;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakePrograms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rocky Linux 9 (family rhel): EPEL and CRB before fail2ban, SELinux's config and the relabel a
 * disabled host needs, Docker's repository before docker-ce. Rendered and planned only: no Rocky
 * machine is reachable from the tests, so these check kiban's side against Rocky's and Docker's
 * documentation (the files themselves are golden, in HostConfigurationTest).
 */
class RhelCompletenessTest {
    @TempDir
    Path root;

    static final PlatformSpec RHEL = HostConfigurationTest.spec(Family.RHEL);
    static final PlatformSpec DEBIAN = HostConfigurationTest.spec(Family.DEBIAN);

    static List<String> commands(HostConfiguration c) {
        return c.commands().stream().map(PlannedCommand::toString).toList();
    }

    static Optional<ObservedFile> selinuxConfigSaying(String content) {
        return Optional.of(new ObservedFile(false, content, "rw-r--r--", "root:root"));
    }

    @Test
    void epelAndCrbAreEnabledBeforeFail2banIsInstalled() {
        List<String> c = commands(HostConfiguration.render(RHEL));
        int epel = c.indexOf("dnf install -y dnf-plugins-core epel-release");
        int crb = c.indexOf("dnf config-manager --set-enabled crb");
        int fail2ban = c.indexOf(c.stream().filter(s -> s.contains(" fail2ban ")).findFirst().orElseThrow());
        assertThat(epel).isNotNegative().isLessThan(crb);
        assertThat(crb).isLessThan(fail2ban);
        assertThat(c.get(fail2ban)).startsWith("dnf install -y fail2ban")
                .endsWith(" container-selinux postfix cyrus-sasl-plain audit");
        assertThat(c).noneMatch(s -> s.contains("sh -c"));
        // they run on the same file changes as the install they prepare
        HostConfiguration config = HostConfiguration.render(RHEL);
        assertThat(config.commands().get(epel).after()).isEqualTo(config.commands().get(fail2ban).after())
                .contains(Fail2banJails.JAIL, SelinuxConfig.CONFIG);
    }

    @Test
    void aChangedJailAloneStillEnablesEpelFirst() {
        HostConfiguration desired = HostConfiguration.render(RHEL);
        Map<String, Optional<ObservedFile>> observed = new java.util.HashMap<>();
        desired.artifacts().forEach(a -> observed.put(a.path(), Optional.of(new ObservedFile(false, a.content(),
                a.mode(), a.owner()))));
        desired.directories().forEach(d -> observed.put(d.path(), Optional.of(new ObservedFile(true, "", d.mode(),
                d.owner()))));
        observed.put(Fail2banJails.JAIL, Optional.empty());
        List<String> c = Plan.of(desired, observed, List.of()).commands().stream().map(PlannedCommand::toString)
                .toList();
        assertThat(c).startsWith("dnf install -y dnf-plugins-core epel-release", "dnf config-manager --set-enabled crb")
                .anyMatch(s -> s.startsWith("dnf install -y fail2ban"));
    }

    @Test
    void selinuxConfigIsEnforcingTargetedAndPassesItsCheck() {
        Artifact config = HostConfiguration.render(RHEL).artifacts().stream()
                .filter(a -> a.path().equals(SelinuxConfig.CONFIG)).findFirst().orElseThrow();
        assertThat(config.content()).contains("\nSELINUX=enforcing\nSELINUXTYPE=targeted\n");
        assertThat(config.reader()).isEqualTo(Artifact.Reader.SELINUX);
        assertThat(ReaderChecks.selinuxConfig(config)).isEmpty();
        assertThat(ReaderChecks.selinuxConfig(Artifact.config(SelinuxConfig.CONFIG, "SELINUX = enforcing\n", "t",
                Artifact.Reader.SELINUX))).contains("not a SELINUX= line: SELINUX = enforcing");
    }

    @Test
    void aHostWithSelinuxDisabledGetsARelabelAtBootAndANote() {
        HostConfiguration desired = HostConfiguration.render(RHEL);
        HostConfiguration planned = desired.withSelinuxNow(selinuxConfigSaying("# comment\nSELINUX=disabled\n"
                + "SELINUXTYPE=targeted\n"));
        Artifact relabel = planned.artifacts().stream().filter(a -> a.path().equals(SelinuxConfig.AUTORELABEL))
                .findFirst().orElseThrow();
        assertThat(relabel.content()).as("fixfiles reads it as options: empty").isEmpty();
        assertThat(planned.notes()).contains(SelinuxConfig.REBOOT_NOTE);
        assertThat(commands(desired)).anyMatch(s -> s.startsWith("restorecon "));
        assertThat(commands(planned)).as("the boot's relabel applies the labels").noneMatch(s -> s.startsWith(
                "restorecon ")).anyMatch(s -> s.startsWith("semanage fcontext"));
        assertThat(Plan.of(planned, Map.of(), List.of()).describe(false))
                .contains("create file /.autorelabel", "note: " + SelinuxConfig.REBOOT_NOTE);
    }

    @Test
    void aHostWithSelinuxOnOrWithoutConfigNeedsNoRelabel() {
        HostConfiguration desired = HostConfiguration.render(RHEL);
        assertThat(desired.withSelinuxNow(selinuxConfigSaying("SELINUX=permissive\n"))).isSameAs(desired);
        assertThat(desired.withSelinuxNow(selinuxConfigSaying("#SELINUX=disabled\nSELINUX=enforcing\n")))
                .isSameAs(desired);
        assertThat(desired.withSelinuxNow(Optional.empty())).isSameAs(desired);
        assertThat(SelinuxConfig.disabledNow(selinuxConfigSaying("SELINUX=enforcing\nSELINUX=disabled\n")))
                .as("the last line wins").isTrue();
    }

    @Test
    void aSpecThatDisablesSelinuxRendersNoConfigAndNoRelabel() {
        PlatformSpec off = SpecDocument.parse("kiban.yaml", HostConfigurationTest.FILLED.replace("security: {",
                "security: {selinux: {mode: disabled}, "), false).require().resolved(Family.RHEL, "192.168.10.5");
        HostConfiguration c = HostConfiguration.render(off);
        assertThat(c.artifacts()).noneMatch(a -> a.path().equals(SelinuxConfig.CONFIG));
        assertThat(c.withSelinuxNow(selinuxConfigSaying("SELINUX=disabled\n"))).isSameAs(c);
    }

    @Test
    void thePlannerReadsTheHostsSelinuxConfigUnderTheRoot() throws Exception {
        Files.createDirectories(root.resolve("etc/selinux"));
        Files.writeString(root.resolve("etc/selinux/config"), "SELINUX=disabled\nSELINUXTYPE=targeted\n");
        Plan plan = HostPlanner.plan(RHEL, root);
        assertThat(plan.files()).anyMatch(f -> f.artifact().path().equals(SelinuxConfig.AUTORELABEL)
                && f.change() == Plan.Change.CREATE);
        assertThat(plan.files()).anyMatch(f -> f.artifact().path().equals(SelinuxConfig.CONFIG)
                && f.change() == Plan.Change.UPDATE && f.diff().contains("+SELINUX=enforcing"));
        assertThat(plan.notes()).contains(SelinuxConfig.REBOOT_NOTE);
    }

    @Test
    void applyWritesTheRelabelFlagAndRollbackTakesItAway() throws Exception {
        Files.createDirectories(root.resolve("etc/selinux"));
        Files.writeString(root.resolve("etc/selinux/config"), "SELINUX=disabled\n");
        HostConfiguration desired = new HostConfiguration(Family.RHEL, SelinuxConfig.render(RHEL), List.of(),
                List.of(), List.of()).withSelinuxNow(ObservedFile.read(root, SelinuxConfig.CONFIG));
        Plan plan = Plan.of(desired, ObservedFile.read(root, List.of(SelinuxConfig.CONFIG, SelinuxConfig.AUTORELABEL)),
                List.of());
        HostApply apply = new HostApply(root, new ReaderChecks(HostPrograms.system()),
                new PrintWriter(new StringWriter(), true), false, new FakePrograms(List.of(), (argv, t) -> null),
                Map.of());
        assertThat(apply.apply(plan).ok()).isTrue();
        assertThat(root.resolve(".autorelabel")).isEmptyFile();
        assertThat(root.resolve("etc/selinux/config")).content().contains("SELINUX=enforcing\n");
        apply.rollback(Optional.empty());
        assertThat(root.resolve(".autorelabel")).doesNotExist();
        assertThat(root.resolve("etc/selinux/config")).hasContent("SELINUX=disabled\n");
    }

    @Test
    void dockersRepositoryIsAFileWithSignaturesCheckedNotAConfigManagerCommand() {
        Artifact repo = HostConfiguration.render(RHEL).artifacts().get(0);
        assertThat(repo.path()).as("first of the files").isEqualTo(DockerRepository.REPO);
        assertThat(repo.content()).contains("\n[docker-ce-stable]\n", "\ngpgcheck=1\n",
                "\ngpgkey=https://download.docker.com/linux/centos/gpg\n",
                "\nbaseurl=https://download.docker.com/linux/centos/$releasever/$basearch/stable\n");
        assertThat(ReaderChecks.repository(repo)).isEmpty();
        assertThat(ReaderChecks.repository(Artifact.config(DockerRepository.REPO, repo.content().replace(
                "gpgcheck=1", "gpgcheck=0"), "t", Artifact.Reader.DNF)))
                .hasValueSatisfying(s -> assertThat(s).contains("gpgcheck=1"));
        List<String> engine = EngineInstallation.plan(Family.RHEL, root).stream().map(PlannedCommand::toString)
                .toList();
        assertThat(engine).noneMatch(s -> s.contains("config-manager"))
                .anyMatch(s -> s.startsWith("dnf -y install docker-ce ") && s.endsWith(" container-selinux"));
        assertThat(EngineInstallation.missingRepository(Family.RHEL, root)).isPresent();
        assertThat(EngineInstallation.missingRepository(Family.DEBIAN, root)).isEmpty();
    }

    @Test
    void applyWritesTheRepositoryBeforeDnfInstallsDockerCe() throws Exception {
        List<String> seen = new ArrayList<>();
        FakePrograms programs = new FakePrograms(List.of("dnf", "systemctl"), (argv, t) -> {
            if (argv.contains("docker-ce")) seen.add("repo there: " + Files.exists(root.resolve(
                    "etc/yum.repos.d/docker-ce.repo")));
            return new HostPrograms.Result(0, "");
        });
        HostApply apply = new HostApply(root, (a, r) -> Optional.empty(), new PrintWriter(new StringWriter(), true),
                true, programs, Map.of());
        Artifact repo = DockerRepository.render(RHEL).get(0);
        Plan plan = Plan.of(new HostConfiguration(Family.RHEL, List.of(repo), List.of(), List.of(), List.of()),
                Map.of(), EngineInstallation.plan(Family.RHEL, root), List.of(), List.of());
        assertThat(apply.apply(plan).ok()).isTrue();
        assertThat(seen).containsExactly("repo there: true");
        assertThat(EngineInstallation.missingRepository(Family.RHEL, root)).isEmpty();
    }

    @Test
    void nothingOfThisOnDebian() {
        HostConfiguration c = HostConfiguration.render(DEBIAN);
        assertThat(c.artifacts()).extracting(Artifact::path)
                .doesNotContain(SelinuxConfig.CONFIG, DockerRepository.REPO, SelinuxConfig.AUTORELABEL);
        assertThat(commands(c)).noneMatch(s -> s.contains("epel") || s.contains("crb")
                || s.contains("container-selinux") || s.startsWith("dnf"));
        assertThat(c.withSelinuxNow(selinuxConfigSaying("SELINUX=disabled\n"))).isSameAs(c);
        assertThat(SelinuxConfig.render(DEBIAN)).isEmpty();
        assertThat(DockerRepository.render(DEBIAN)).isEmpty();
    }

    @Test
    void swarmRulesInTheZoneAreEscapedAndOnlyForTheNodeNetworks() {
        String zone = FirewallRules.render(RHEL).get(0).content();
        for (String port : List.of("2377\" protocol=\"tcp", "7946\" protocol=\"tcp", "7946\" protocol=\"udp",
                "4789\" protocol=\"udp")) {
            assertThat(zone).contains("<rule family=\"ipv4\"><source address=\"192.168.10.0/24\"/><port port=\""
                    + port + "\"/><accept/></rule>");
        }
        assertThat(zone.lines().filter(l -> l.contains("port=\"2377\""))).singleElement().asString()
                .contains("source address=");
        assertThat(FirewallRules.xml("a<b>&\"'")).isEqualTo("a&lt;b&gt;&amp;&quot;&apos;");
    }
}
