package dev.kiban.host;

import dev.kiban.os.RoutineLog;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.Schedule;
import dev.kiban.spec.SpecText;
import java.util.ArrayList;
import java.util.List;

/**
 * The weekly routine (R9.1) as systemd timers and their oneshot services, like {@link BackupSchedule}: the image
 * clean-up ({@code kiban images prune}, never volumes, D9), the backup's sampled read-back ({@code kiban backup
 * verify --read-data-subset}) and the engine's update window (D16: the packages automatic updates hold back,
 * updated by a script that restarts dockerd only when they changed and dnf's or apt's own scripts did not already).
 * Each service's {@code ExecStopPost=} runs {@code kiban routine record JOB}, which appends one line in the backup
 * log's format to the job's log, success or failure, where {@code kiban status} and the monitor read it.
 */
final class RoutineSchedule {
    static final String UNITS = "/etc/systemd/system/";
    static final String ENGINE_UPDATE_SCRIPT = "/usr/local/libexec/kiban/engine-update";
    /** What dnf-automatic excludes (SecurityUpdates): Docker's packages on rhel. */
    static final List<String> RHEL_ENGINE = List.of("docker-ce", "docker-ce-cli", "containerd.io");
    /** What unattended-upgrades blacklists on debian: the distribution's engine, or Docker's where installed. */
    static final List<String> DEBIAN_ENGINE = List.of("docker.io", "containerd", "docker-ce", "docker-ce-cli",
            "containerd.io");

    private RoutineSchedule() {}

    static List<Artifact> render(PlatformSpec spec) {
        var m = spec.maintenance();
        String kiban = BackupSchedule.KIBAN + " -c " + BackupSchedule.SPEC;
        String repository = SpecText.requireUnitPath("backup.repository", spec.backup().repository());
        // a number by validation; it lands in an ExecStart= line, where % starts a specifier
        String share = m.verify().readData().toString().replace("%", "%%");
        List<Artifact> out = new ArrayList<>();
        out.addAll(job(RoutineLog.IMAGE_PRUNE, "maintenance.images.schedule", m.images().schedule(),
                "dangling and unused images older than " + m.images().olderThan() + ", never a volume (R9.1, D9)",
                "After=docker.service\nWants=docker.service\n",
                "ExecStart=" + kiban + " images prune --yes\n", kiban, true));
        out.addAll(job(RoutineLog.BACKUP_VERIFY, "maintenance.verify.schedule", m.verify().schedule(),
                "re-read a random " + share + " of the backup's packs (R9.1, R5)",
                "After=local-fs.target\nRequiresMountsFor=" + repository + "\n",
                "ExecStart=" + kiban + " backup verify --read-data-subset " + share + "\n"
                        + "Nice=10\nIOSchedulingClass=best-effort\nIOSchedulingPriority=7\n", kiban, true));
        out.addAll(job(RoutineLog.ENGINE_UPDATE, "maintenance.engineUpdate.schedule", m.engineUpdate().schedule(),
                "update the engine's packages, held back from automatic updates (D16)",
                "After=network-online.target docker.service\nWants=network-online.target\n",
                "ExecStart=" + ENGINE_UPDATE_SCRIPT + "\n", kiban, false));
        out.add(Artifact.config(ENGINE_UPDATE_SCRIPT, engineUpdate(spec.host().family()),
                "the engine's update window (D16)", Artifact.Reader.SYSTEMD).withMode("rwxr-xr-x"));
        return out;
    }

    /**
     * A job's service and timer. {@code persistent}: a run missed while the host was off happens at the next boot;
     * not for the engine's window, whose restart belongs at the planned time, not at a boot's (the next window
     * comes a week later).
     */
    private static List<Artifact> job(RoutineLog job, String key, Schedule schedule, String description,
                                      String after, String exec, String kiban, boolean persistent) {
        String service = ManagedFile.header("#", "R9.1")
                + "[Unit]\nDescription=kiban: " + description + "\n" + after + "\n"
                + "[Service]\nType=oneshot\n" + exec
                + "# one line a run, OK or FAILED, in the job's log: kiban status and the monitor read the last\n"
                + "ExecStopPost=" + kiban + " routine record " + job.job() + "\n";
        String timer = ManagedFile.header("#", "R9.1") + "[Unit]\nDescription=kiban: " + job.what() + " ("
                + SpecText.requireUnitText(key, schedule.expression()) + ")\n\n"
                + "[Timer]\nOnCalendar=" + SpecText.requireUnitText(key, schedule.onCalendar())
                + "\nPersistent=" + persistent + "\nUnit=" + job.service() + "\n\n"
                + "[Install]\nWantedBy=timers.target\n";
        return List.of(Artifact.config(UNITS + job.service(), service, job.what() + " (R9.1)", Artifact.Reader.SYSTEMD),
                Artifact.config(UNITS + job.timer(), timer, job.what() + "'s schedule (R9.1)",
                        Artifact.Reader.SYSTEMD));
    }

    /**
     * The update window's script: upgrade only the engine's installed packages; if their versions changed and
     * dockerd is still the process from before (the packages' scripts did not restart it), restart it, so the new
     * engine runs; say which. Without live-restore (Swarm, D1) a restart restarts every container here: the
     * window is the spec's {@code maintenance.engineUpdate.schedule}.
     */
    static String engineUpdate(Family family) {
        boolean rhel = family == Family.RHEL;
        String installed = rhel
                ? "installed() { rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE}\\n' " + String.join(" ", RHEL_ENGINE)
                        + " 2>/dev/null | grep -v 'is not installed' || true; }\n"
                : "installed() { dpkg-query -W -f '${db:Status-Abbrev} ${Package} ${Version}\\n' "
                        + String.join(" ", DEBIAN_ENGINE) + " 2>/dev/null | sed -n 's/^ii  *//p' || true; }\n";
        String upgrade = rhel
                ? "dnf -y upgrade $packages\n"
                : "apt-get -q update\n"
                        + "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --only-upgrade "
                        + "-o Dpkg::Options::=--force-confold $packages\n";
        return "#!/bin/sh\n" + ManagedFile.header("#", "D16")
                + "# The engine's packages, which automatic updates hold back (an upgrade restarts dockerd\n"
                + "# and, without live-restore, every container), updated in the spec's window\n"
                + "# (maintenance.engineUpdate).\n"
                + "set -eu\n"
                + installed
                + "before=$(installed)\n"
                + "if [ -z \"$before\" ]; then echo 'no engine package installed: nothing to update'; exit 0; fi\n"
                + "packages=$(printf '%s\\n' \"$before\" | cut -d' ' -f1 | tr '\\n' ' ')\n"
                + "pid=$(systemctl show -p MainPID --value docker.service)\n"
                + "echo \"engine packages: $packages\"\n"
                + upgrade
                + "after=$(installed)\n"
                + "if [ \"$before\" = \"$after\" ]; then\n"
                + "    echo 'engine packages unchanged: docker not restarted'\n"
                + "    exit 0\n"
                + "fi\n"
                + "printf 'updated:\\n%s\\n' \"$after\"\n"
                + "if [ \"$(systemctl show -p MainPID --value docker.service)\" != \"$pid\" ]; then\n"
                + "    echo 'the packages restarted docker themselves: not restarting it again'\n"
                + "else\n"
                + "    echo 'engine packages changed: restarting docker (without live-restore, every container too)'\n"
                + "    systemctl restart docker.service\n"
                + "fi\n"
                + "systemctl is-active --quiet docker.service || { echo 'docker is not running after the update'; "
                + "exit 1; }\n";
    }
}
