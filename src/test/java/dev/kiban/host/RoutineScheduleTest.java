package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.os.RoutineLog;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.testing.Prerequisite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The weekly routine's timers: what each runs, when, and the log line each run leaves. */
class RoutineScheduleTest {
    static String file(HostConfiguration c, String path) {
        return c.artifacts().stream().filter(a -> a.path().equals(path)).findFirst().orElseThrow().content();
    }

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void eachJobHasATimerAtTheSpecsTimeAServiceAndARecordOfItsRun(Family family) {
        PlatformSpec spec = HostConfigurationTest.spec(family);
        HostConfiguration c = HostConfiguration.render(spec);
        for (RoutineLog job : RoutineLog.values()) {
            String timer = file(c, RoutineSchedule.UNITS + job.timer());
            String service = file(c, RoutineSchedule.UNITS + job.service());
            assertThat(timer).contains("Persistent=" + (job != RoutineLog.ENGINE_UPDATE) + "\n",
                    "Unit=" + job.service() + "\n", "WantedBy=timers.target");
            assertThat(service).contains("Type=oneshot\n", "ExecStopPost=/usr/bin/kiban -c /etc/kiban/kiban.yaml "
                    + "routine record " + job.job() + "\n");
            assertThat(c.commands()).anySatisfy(cmd -> assertThat(String.join(" ", cmd.argv()))
                    .isEqualTo("systemctl enable --now " + job.timer()));
        }
        assertThat(file(c, RoutineSchedule.UNITS + "kiban-image-prune.timer"))
                .contains("OnCalendar=Sun *-*-* 03:00:00");
        assertThat(file(c, RoutineSchedule.UNITS + "kiban-image-prune.service"))
                .contains("ExecStart=/usr/bin/kiban -c /etc/kiban/kiban.yaml images prune --yes\n");
        assertThat(file(c, RoutineSchedule.UNITS + "kiban-backup-verify.service"))
                .contains("backup verify --read-data-subset 5%%\n", "RequiresMountsFor=/mnt/backup/docker");
        assertThat(file(c, RoutineSchedule.UNITS + "kiban-engine-update.timer")).contains("OnCalendar=Mon *-*-* 05:00");
    }

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void theEngineWindowUpdatesOnlyTheHeldBackPackagesAndRestartsDockerOnlyWhenTheyChanged(Family family) {
        String script = RoutineSchedule.engineUpdate(family);
        if (family == Family.RHEL) {
            assertThat(script).contains("dnf -y upgrade $packages\n", "rpm -q").doesNotContain("apt-get");
            // the same packages dnf-automatic excludes
            assertThat(file(HostConfiguration.render(HostConfigurationTest.spec(family)), "/etc/dnf/automatic.conf"))
                    .contains("excludepkgs = " + String.join(" ", RoutineSchedule.RHEL_ENGINE));
        } else {
            assertThat(script).contains("apt-get install -y -q --only-upgrade", "dpkg-query").doesNotContain("dnf");
        }
        assertThat(script).startsWith("#!/bin/sh\n").contains("set -eu\n",
                "engine packages unchanged: docker not restarted", "systemctl restart docker.service",
                "the packages restarted docker themselves");
        assertThat(script.indexOf("unchanged")).isLessThan(script.indexOf("systemctl restart"));
    }

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void thePlanSaysAutomaticUpdatesAreSecurityOnlyAndTheEngineWaitsForItsWindow(Family family) {
        List<String> notes = HostConfiguration.render(HostConfigurationTest.spec(family)).notes();
        assertThat(notes).anySatisfy(n -> assertThat(n).contains(family == Family.RHEL
                ? "security errata only: dnf-automatic (upgrade_type = security)" : "Debian's security origin")
                .contains("maintenance.engineUpdate", "D16"));
    }

    /** As the rig's e2e does for every kiban unit; a CI without systemd-analyze fails here rather than skip. */
    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void theUnitsPassSystemdAnalyzeVerify(Family family, @TempDir Path dir) throws Exception {
        Prerequisite.require(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not here");
        Prerequisite.require(Files.isExecutable(Path.of("/bin/true")), "/bin/true is not here");
        List<String> argv = new ArrayList<>(List.of("/usr/bin/systemd-analyze", "verify"));
        for (Artifact a : RoutineSchedule.render(HostConfigurationTest.spec(family))) {
            if (!a.path().startsWith(RoutineSchedule.UNITS)) continue;
            Path unit = dir.resolve(Path.of(a.path()).getFileName());
            // the programs they run are the package's, not this machine's: a stand-in that exists
            Files.writeString(unit, a.content().replace("/usr/bin/kiban", "/bin/true")
                    .replace(RoutineSchedule.ENGINE_UPDATE_SCRIPT, "/bin/true")
                    .replace("RequiresMountsFor=/mnt/backup/docker", "RequiresMountsFor=" + dir));
            argv.add(unit.toString());
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(said).isZero();
        assertThat(said.strip()).as("no warning either").isEmpty();
    }
}
