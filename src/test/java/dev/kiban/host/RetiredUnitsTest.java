package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakePrograms;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A part of the spec turned off: its units are stopped, disabled and removed, and only the ones kiban wrote. */
class RetiredUnitsTest {
    static final String COPY_TIMER = "/etc/systemd/system/kiban-backup-copy.timer";
    static final String COPY_SERVICE = "/etc/systemd/system/kiban-backup-copy.service";

    @TempDir
    Path root;

    /** The dashboard on, and HostConfigurationTest's spec has an off-site copy. */
    final PlatformSpec on = DashboardServiceTest.spec("dashboard: {enabled: true}\n");
    final PlatformSpec off = SpecDocument.parse("kiban.yaml", HostConfigurationTest.FILLED.substring(0,
            HostConfigurationTest.FILLED.indexOf("maintenance:")), false).require().resolved(Family.DEBIAN,
            "192.168.10.5");

    static String rendered(PlatformSpec spec, String path) {
        return HostConfiguration.render(spec).artifacts().stream().filter(a -> a.path().equals(path)).findFirst()
                .orElseThrow().content();
    }

    /** The host as apply left it for {@code off}, plus these files as they are under root. */
    Map<String, Optional<ObservedFile>> appliedPlus(HostConfiguration desired, String... paths) throws IOException {
        Map<String, Optional<ObservedFile>> m = new HashMap<>();
        desired.artifacts().forEach(a -> m.put(a.path(), Optional.of(new ObservedFile(false, a.content(), a.mode(),
                a.owner()))));
        desired.directories().forEach(d -> m.put(d.path(), Optional.of(new ObservedFile(true, "", d.mode(),
                d.owner()))));
        for (String p : paths) m.put(p, ObservedFile.read(root, p));
        return m;
    }

    Path write(String hostPath, String content) throws IOException {
        Path p = root.resolve(hostPath.substring(1));
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }

    @Test
    void theUnitsOfTheDashboardAndTheOffsiteCopyTurnedOffAreStoppedTimersFirstThenRemoved() throws IOException {
        for (String p : List.of(DashboardService.SERVICE, COPY_TIMER, COPY_SERVICE)) write(p, rendered(on, p));
        HostConfiguration desired = HostConfiguration.render(off);
        Plan plan = Plan.of(desired, appliedPlus(desired, RetiredUnits.paths().toArray(String[]::new)), List.of());

        assertThat(plan.changesNothing()).isFalse();
        assertThat(plan.removals()).extracting(Plan.Removal::unit)
                .containsExactly("kiban-dashboard.service", "kiban-backup-copy.timer", "kiban-backup-copy.service");
        assertThat(plan.commands()).extracting(PlannedCommand::toString).containsExactly("systemctl daemon-reload");
        assertThat(plan.describe(true)).contains(
                "first, before any file changes, stop what the spec turned off:\n"
                        + "    systemctl disable --now kiban-dashboard.service    # dashboard.enabled is false",
                "remove file /etc/systemd/system/kiban-backup-copy.timer  (kept in the generation",
                "-OnCalendar=", "0 to create, 0 to change, 3 to remove, ");
        // with the parts on, nothing goes
        HostConfiguration both = HostConfiguration.render(on);
        assertThat(Plan.of(both, appliedPlus(both), List.of()).removals()).isEmpty();
    }

    @Test
    void aFileOfThatNameKibanDidNotWriteOrALinkIsLeftAloneAndSaidSo() throws IOException {
        write(DashboardService.SERVICE, "[Service]\nExecStart=/usr/local/bin/my-own-dashboard\n");
        Path target = write("/srv/elsewhere.timer", "[Timer]\nOnCalendar=daily\n");
        Files.createSymbolicLink(root.resolve(COPY_TIMER.substring(1)), target);
        HostConfiguration desired = HostConfiguration.render(off);
        Plan plan = Plan.of(desired, appliedPlus(desired, RetiredUnits.paths().toArray(String[]::new)), List.of());

        assertThat(plan.removals()).isEmpty();
        assertThat(plan.changesNothing()).isTrue();
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).startsWith(DashboardService.SERVICE + " left alone: "
                        + "dashboard.enabled is false, but kiban did not write this file"))
                .anySatisfy(n -> assertThat(n).startsWith(COPY_TIMER + " left alone: maintenance.offsiteCopy is not "
                        + "set, but it is a symbolic link (to " + target + ")"));
    }

    @Test
    void applyStopsTheUnitWhileItsFileIsThereRemovesItReloadsAndRollbackPutsItBack() throws Exception {
        String unit = rendered(on, DashboardService.SERVICE);
        Path file = write(DashboardService.SERVICE, unit);
        HostConfiguration desired = HostConfiguration.render(off);
        Plan plan = Plan.of(desired, appliedPlus(desired, DashboardService.SERVICE), List.of());
        List<String> seen = new ArrayList<>();
        FakePrograms programs = new FakePrograms(List.of("systemctl"), (argv, t) -> {
            seen.add(String.join(" ", argv) + (Files.exists(file) ? " (unit file there)" : " (unit file gone)"));
            return new dev.kiban.os.HostPrograms.Result(0, "");
        });
        StringWriter out = new StringWriter();
        HostApply a = new HostApply(root, HostApplyTest.ACCEPT, new PrintWriter(out, true), true, programs, Map.of());
        assertThat(a.preflight(plan)).isEmpty();

        HostApply.Outcome o = a.apply(plan);

        assertThat(o.ok()).as(o.failures().toString()).isTrue();
        assertThat(seen).containsExactly("systemctl disable --now kiban-dashboard.service (unit file there)",
                "systemctl daemon-reload (unit file gone)");
        assertThat(file).doesNotExist();
        assertThat(out.toString()).contains("removed /etc/systemd/system/kiban-dashboard.service");
        assertThat(o.generation().orElseThrow().note()).endsWith(", 1 units removed");

        a.rollback(Optional.empty());
        assertThat(file).hasContent(unit);
    }

    @Test
    void aStopThatFailsRemovesNothingAndSaysTheUnitMayBeLeftStopped() throws Exception {
        Path file = write(DashboardService.SERVICE, rendered(on, DashboardService.SERVICE));
        HostConfiguration desired = HostConfiguration.render(off);
        Plan plan = Plan.of(desired, appliedPlus(desired, DashboardService.SERVICE), List.of());
        FakePrograms programs = FakePrograms.answering(List.of("systemctl"), 1, "Failed to stop: timed out");
        HostApply a = new HostApply(root, HostApplyTest.ACCEPT, new PrintWriter(new StringWriter(), true), true,
                programs, Map.of());

        HostApply.Outcome o = a.apply(plan);

        assertThat(o.ok()).isFalse();
        assertThat(o.restored()).isTrue();
        assertThat(file).exists();
        assertThat(o.failures()).anySatisfy(f -> assertThat(f).startsWith(
                "'systemctl disable --now kiban-dashboard.service' failed: Failed to stop: timed out"))
                .anySatisfy(f -> assertThat(f).startsWith("units the spec turned off may be left stopped and "
                        + "disabled: kiban-dashboard.service"));
    }

    @Test
    void aUnitReplacedByALinkAfterThePlanIsNotRemoved() throws Exception {
        Path file = write(DashboardService.SERVICE, rendered(on, DashboardService.SERVICE));
        HostConfiguration desired = HostConfiguration.render(off);
        Plan plan = Plan.of(desired, appliedPlus(desired, DashboardService.SERVICE), List.of());
        Files.delete(file);
        Path elsewhere = write("/srv/precious", "keep me\n");
        Files.createSymbolicLink(file, elsewhere);
        HostApply a = new HostApply(root, HostApplyTest.ACCEPT, new PrintWriter(new StringWriter(), true), true,
                FakePrograms.answering(List.of("systemctl"), 0, ""), Map.of());

        assertThat(a.preflight(plan)).singleElement().asString().contains("it is no longer a regular file");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.apply(plan))
                .hasMessageContaining("not applying");
        assertThat(Files.isSymbolicLink(file)).isTrue();
        assertThat(elsewhere).hasContent("keep me\n");
    }
}
