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
    /** The golden spec without its off-site copy. */
    static final String BASE = HostConfigurationTest.FILLED.substring(0,
            HostConfigurationTest.FILLED.indexOf("maintenance:"));

    static String file(HostConfiguration c, String path) {
        return c.artifacts().stream().filter(a -> a.path().equals(path)).findFirst().orElseThrow().content();
    }

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void eachJobHasATimerAtTheSpecsTimeAServiceAndARecordOfItsRun(Family family) {
        PlatformSpec spec = HostConfigurationTest.spec(family);
        HostConfiguration c = HostConfiguration.render(spec);
        assertThat(RoutineLog.enabled(spec)).as("the golden spec sets an off-site copy").containsExactly(
                RoutineLog.values());
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
            assertThat(script).contains("dnf -y upgrade $packages;", "rpm -q").doesNotContain("apt-get");
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
        // the window's plan, in order: drain, upgrade, restart, wait and activate
        int drain = script.indexOf("kiban node drain --self --timeout 10m");
        int upgrade = script.indexOf(family == Family.RHEL ? "if ! upgrade; then" : "if ! upgrade; then");
        int restart = script.indexOf("systemctl restart docker.service");
        int activate = script.lastIndexOf("kiban node activate --self --wait 5m");
        assertThat(drain).isPositive().isLessThan(upgrade);
        assertThat(upgrade).isLessThan(restart);
        assertThat(restart).isLessThan(activate);
    }

    @org.junit.jupiter.api.Test
    void theOffSiteCopyIsOnlyThereWhenTheSpecSetsOneAndRunsAfterTheBackup() {
        PlatformSpec none = dev.kiban.spec.SpecDocument.parse("kiban.yaml", BASE, false).require()
                .resolved(Family.DEBIAN, "192.168.10.5");
        HostConfiguration without = HostConfiguration.render(none);
        assertThat(RoutineLog.enabled(none)).doesNotContain(RoutineLog.BACKUP_COPY);
        assertThat(without.artifacts()).noneSatisfy(a -> assertThat(a.path()).contains("backup-copy"));
        assertThat(without.commands()).noneSatisfy(cmd -> assertThat(cmd.argv()).contains("kiban-backup-copy.timer"));

        HostConfiguration with = HostConfiguration.render(HostConfigurationTest.spec(Family.DEBIAN));
        String service = file(with, RoutineSchedule.UNITS + "kiban-backup-copy.service");
        assertThat(service).contains("After=kiban-backup.service ", "ExecStart=/usr/bin/kiban -c "
                + "/etc/kiban/kiban.yaml backup copy --to sftp://backup@offsite.example.org:2222/srv/kiban "
                + "--identity /etc/kiban/offsite_ed25519 --known-hosts /etc/kiban/offsite_known_hosts\n");
        // the backup's own calendar (no schedule of its own), so that it follows the backup's run
        assertThat(file(with, RoutineSchedule.UNITS + "kiban-backup-copy.timer")).contains(
                "OnCalendar=Sun *-*-* 02:00:00\n", "Persistent=true");
        assertThat(with.notes()).anySatisfy(n -> assertThat(n).startsWith("off-site copy (after the backup"));
        assertThat(with.notes()).anySatisfy(n -> assertThat(n).startsWith("engine update window (0 5 * * 1): "
                + "when an update of the engine's packages is available: drain this node"));
    }

    @org.junit.jupiter.api.Test
    void anS3CopyOnItsOwnScheduleCarriesItsOptionsAndALocalOneNeedsItsMount() {
        HostConfiguration s3 = HostConfiguration.render(dev.kiban.spec.SpecDocument.parse("kiban.yaml",
                BASE
                        + "maintenance: {offsiteCopy: {to: s3://kiban-backup/host-a, schedule: \"30 6 * * 0\", "
                        + "endpoint: \"http://127.0.0.1:9000\", region: us-east-1, "
                        + "credentialsFile: /etc/kiban/s3-credentials}}\n", false).require()
                .resolved(Family.DEBIAN, "192.168.10.5"));
        assertThat(file(s3, RoutineSchedule.UNITS + "kiban-backup-copy.service")).contains("backup copy --to "
                + "s3://kiban-backup/host-a --endpoint http://127.0.0.1:9000 --region us-east-1 --credentials-file "
                + "/etc/kiban/s3-credentials\n");
        assertThat(file(s3, RoutineSchedule.UNITS + "kiban-backup-copy.timer")).contains(
                "OnCalendar=Sun *-*-* 06:30:00\n");
        HostConfiguration local = HostConfiguration.render(dev.kiban.spec.SpecDocument.parse("kiban.yaml",
                BASE
                        + "maintenance: {offsiteCopy: {to: /mnt/offsite/kiban}}\n", false).require()
                .resolved(Family.DEBIAN, "192.168.10.5"));
        assertThat(file(local, RoutineSchedule.UNITS + "kiban-backup-copy.service")).contains(
                "RequiresMountsFor=/mnt/backup/docker /mnt/offsite/kiban\n", "backup copy --to /mnt/offsite/kiban\n");
    }

    /**
     * The window's script run by dash against stand-ins (the package tools, systemctl and kiban, which log their
     * argv): the drain comes first, a drain that fails skips the update, and an engine that does not answer
     * afterwards leaves the node drained with a FAILED exit.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "0, 0, 0, drain|apt-get update|apt-get install|systemctl restart|activate --self --wait 5m|",
            "1, 0, 1, drain|activate --self|",
            "0, 1, 1, drain|apt-get update|apt-get install|systemctl restart|activate --self --wait 5m|",
            "2, 0, 0, ''"})
    void theWindowDrainsUpdatesRestartsAndActivatesOnlyWhatAnswers(int drainFails, int activateFails, int exit,
                                                                    String steps, @TempDir Path dir) throws Exception {
        // drainFails 2: no update available, so nothing is drained, upgraded or restarted
        Prerequisite.require(Files.isExecutable(Path.of("/bin/sh")), "/bin/sh is not here");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = dir.resolve("steps");
        Path version = dir.resolve("version");
        Files.writeString(version, "1.0");
        stub(bin, "dpkg-query", "echo \"ii  docker.io $(cat " + version + ")\"");
        Files.writeString(log, "");
        stub(bin, "apt-get", "case \"$*\" in *-s*) [ " + drainFails + " = 2 ] || echo 'Inst docker.io [1.0] (2.0)';; "
                + "*install*) echo 'apt-get install' >>" + log + "; echo 2.0 >" + version
                + ";; *) echo 'apt-get update' >>" + log + ";; esac");
        stub(bin, "systemctl", "case \"$1\" in show) echo 42;; restart) echo 'systemctl restart' >>" + log
                + ";; esac");
        stub(bin, "kiban", "case \"$*\" in *drain*) echo drain >>" + log + "; exit " + drainFails
                + ";; *activate*) echo \"activate ${*#*activate }\" >>" + log + "; case \"$*\" in *wait*) exit "
                + activateFails + ";; esac;; esac");
        Path script = dir.resolve("engine-update");
        Files.writeString(script, RoutineSchedule.engineUpdate(Family.DEBIAN).replace("/usr/bin/kiban", bin
                + "/kiban"));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process p = pb.start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(said).isEqualTo(exit);
        // the first apt-get update is the check for an update, before the drain
        String ran = Files.readString(log).replace("\n", "|").replace(" -c /etc/kiban/kiban.yaml", "")
                .replaceFirst("^apt-get update\\|", "");
        assertThat(ran).as(said).isEqualTo(steps);
        if (drainFails == 2) assertThat(said).contains("no update available; nothing drained");
        if (activateFails == 1) assertThat(said).contains("this node stays drained");
        if (drainFails == 1) assertThat(said).contains("engine update skipped");
    }

    private static void stub(Path bin, String name, String body) throws Exception {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
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
