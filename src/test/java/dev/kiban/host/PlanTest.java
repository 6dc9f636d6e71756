package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.os.RunningKernel;
import dev.kiban.spec.PlatformSpec.Family;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planner alone: observed state in, plan out, no disk. */
class PlanTest {
    final HostConfiguration desired = HostConfiguration.render(HostConfigurationTest.spec(Family.DEBIAN));

    Map<String, Optional<ObservedFile>> matching() {
        Map<String, Optional<ObservedFile>> m = new HashMap<>();
        desired.artifacts().forEach(a -> m.put(a.path(), Optional.of(new ObservedFile(false, a.content(), a.mode(),
                a.owner()))));
        desired.directories().forEach(d -> m.put(d.path(), Optional.of(new ObservedFile(true, "", d.mode(),
                d.owner()))));
        return m;
    }

    @Test
    void anEmptyHostCreatesEverythingAndRunsTheCommands() {
        Plan plan = Plan.of(desired, Map.of(), List.of());
        assertThat(plan.count(Plan.Change.CREATE)).isEqualTo(desired.artifacts().size() + desired.directories().size());
        assertThat(plan.commands()).extracting(PlannedCommand::toString)
                .contains("sysctl --system", "systemctl restart docker", "nft -f /etc/nftables.d/kiban.nft");
        assertThat(plan.describe(false)).contains("create file /etc/docker/daemon.json", "+  \"live-restore\" : false",
                "then, on the host itself (not run under --root):");
    }

    @Test
    void brNetfilterIsLoadedOnlyWhenTheRunningKernelLacksTheBridgeKeys() {
        var spec = HostConfigurationTest.spec(Family.DEBIAN);
        HostConfiguration builtIn = HostConfiguration.render(spec, new RunningKernel(true, true));
        HostConfiguration loadable = HostConfiguration.render(spec, new RunningKernel(false, true));
        assertThat(Plan.of(loadable, Map.of(), List.of()).commands())
                .extracting(PlannedCommand::toString).contains("modprobe br_netfilter", "sysctl --system");
        assertThat(Plan.of(builtIn, Map.of(), List.of()).commands()).extracting(PlannedCommand::toString)
                .doesNotContain("modprobe br_netfilter").contains("sysctl --system");
        // loaded at boot all the same, for a kernel where it is a module
        assertThat(builtIn.artifacts()).extracting(Artifact::path)
                .contains("/etc/modules-load.d/kiban-br_netfilter.conf");
    }

    @Test
    void aContainerHostGetsTheAuditRulesButNoAuditdItCouldNotStart() {
        var spec = HostConfigurationTest.spec(Family.DEBIAN);
        HostConfiguration container = HostConfiguration.render(spec, new RunningKernel(false, true, false));
        List<String> commands = Plan.of(container, Map.of(), List.of()).commands().stream()
                .map(PlannedCommand::toString).toList();
        assertThat(commands).noneMatch(c -> c.contains("auditd") || c.contains("augenrules"));
        assertThat(container.artifacts()).extracting(Artifact::path).contains("/etc/audit/rules.d/kiban-docker.rules");
        assertThat(container.notes()).anyMatch(n -> n.startsWith("auditd left out: this host is a container"));

        HostConfiguration machine = HostConfiguration.render(spec, new RunningKernel(false, true, true));
        assertThat(Plan.of(machine, Map.of(), List.of()).commands()).extracting(PlannedCommand::toString)
                .anyMatch(c -> c.startsWith("apt-get install -y") && c.endsWith(" auditd"))
                .contains("systemctl enable --now auditd", "augenrules --load");
        assertThat(machine.notes()).noneMatch(n -> n.contains("auditd"));
    }

    @Test
    void aKernelWithTheBridgeKeysAndNoModuleGetsNoBootTimeLoad() {
        // built in, or a host with no module tree: systemd-modules-load would fail at every boot on it
        var spec = HostConfigurationTest.spec(Family.DEBIAN);
        assertThat(HostConfiguration.render(spec, new RunningKernel(true, false)).artifacts())
                .extracting(Artifact::path).doesNotContain("/etc/modules-load.d/kiban-br_netfilter.conf")
                .contains("/etc/sysctl.d/99-docker.conf");
        assertThat(HostConfiguration.render(spec, new RunningKernel(false, false)).artifacts())
                .extracting(Artifact::path).contains("/etc/modules-load.d/kiban-br_netfilter.conf");
    }

    @Test
    void aPlanThatInstallsChecksItsPackageSourcesBeforeAnyChange() {
        Plan debian = Plan.of(HostConfiguration.render(HostConfigurationTest.spec(Family.DEBIAN)), Map.of(),
                List.of());
        assertThat(PackageSources.checks(debian.commands())).extracting(c -> c.command().toString())
                .containsExactly("apt-get update --error-on=any");
        assertThat(debian.describe(true)).startsWith("first, before any change (a failure stops apply here):\n"
                + "    apt-get update --error-on=any");
        assertThat(debian.describe(false)).doesNotContain("apt-get update");
        Plan rhel = Plan.of(HostConfiguration.render(HostConfigurationTest.spec(Family.RHEL)), Map.of(), List.of());
        assertThat(PackageSources.checks(rhel.commands())).extracting(PackageSources.Check::source)
                .containsExactly("the enabled dnf repositories", "EPEL (" + PackageSources.EPEL_URL + ")");
        assertThat(PackageSources.checks(List.of(PlannedCommand.of("x", List.of(), "systemctl", "restart", "docker"))))
                .isEmpty();
    }

    @Test
    void aMatchingHostChangesNothingAndRunsNothing() {
        Plan plan = Plan.of(desired, matching(), List.of());
        assertThat(plan.changesNothing()).isTrue();
        assertThat(plan.commands()).isEmpty();
        assertThat(plan.describe(true)).endsWith("0 to create, 0 to change, "
                + (desired.artifacts().size() + desired.directories().size()) + " unchanged\n");
    }

    @Test
    void oneChangedFileDiffsAndRunsOnlyItsCommands() {
        Map<String, Optional<ObservedFile>> observed = matching();
        Artifact sysctl = desired.artifacts().stream().filter(a -> a.path().equals("/etc/sysctl.d/99-swappiness.conf"))
                .findFirst().orElseThrow();
        observed.put(sysctl.path(), Optional.of(new ObservedFile(false, sysctl.content().replace("= 10", "= 60"),
                "rw-rw-rw-", "root:root")));
        Plan plan = Plan.of(desired, observed, List.of());
        assertThat(plan.count(Plan.Change.UPDATE)).isEqualTo(1);
        assertThat(plan.commands()).extracting(PlannedCommand::toString).containsExactly("sysctl --system");
        assertThat(plan.files().stream().filter(f -> f.change() == Plan.Change.UPDATE).findFirst().orElseThrow().diff())
                .contains("-vm.swappiness = 60", "+vm.swappiness = 10", "mode rw-rw-rw- -> rw-r--r--");
    }

    @Test
    void aRefusalIsShown() {
        Plan plan = Plan.of(desired, matching(), List.of("security.ssh.allowUsers: user deploy does not exist"));
        assertThat(plan.describe(false)).contains("REFUSED: security.ssh.allowUsers: user deploy does not exist");
    }
}
