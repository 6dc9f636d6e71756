package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecText;
import java.util.List;

/**
 * The backup schedule (R5.2) as a systemd timer and its service: {@code kiban backup run}, then
 * {@code kiban backup prune}, at the spec's time (Sundays 02:00 by default), Persistent so a run missed
 * while the host was off happens at the next boot. The two are two ExecStart= lines of a Type=oneshot
 * service: systemd runs them in order and stops at the first that fails, which is "run && prune"
 * without a shell. A failed run fails the unit, which {@code systemctl --failed} and the monitor see;
 * the run itself appends to the backup log.
 */
final class BackupSchedule {
    static final String SERVICE = "/etc/systemd/system/kiban-backup.service";
    static final String TIMER = "/etc/systemd/system/kiban-backup.timer";
    /** The launcher the kiban package installs (packaging/, README "Install"). */
    static final String KIBAN = "/usr/bin/kiban";
    static final String SPEC = "/etc/kiban/kiban.yaml";

    private BackupSchedule() {}

    static List<Artifact> render(PlatformSpec spec) {
        String kiban = KIBAN + " -c " + SPEC;
        String repository = SpecText.requireUnitPath("backup.repository", spec.backup().repository());
        String service = ManagedFile.header("#", "R5.2")
                + "[Unit]\nDescription=kiban: back up volumes, images, compose files and Swarm state, then prune (R5)\n"
                + "After=docker.service local-fs.target\nWants=docker.service\n"
                + "RequiresMountsFor=" + repository + "\n\n"
                + "[Service]\nType=oneshot\n"
                + "# Run, then prune: a oneshot runs its ExecStart= lines in order and stops at the first failure.\n"
                + "ExecStart=" + kiban + " backup run\n"
                + "ExecStart=" + kiban + " backup prune\n"
                + "Nice=10\nIOSchedulingClass=best-effort\nIOSchedulingPriority=7\n";
        String timer = ManagedFile.header("#", "R5.2") + "[Unit]\nDescription=kiban: backup schedule ("
                + SpecText.requireUnitText("backup.schedule", spec.backup().schedule().expression()) + ")\n\n"
                + "[Timer]\nOnCalendar="
                + SpecText.requireUnitText("backup.schedule", spec.backup().schedule().onCalendar())
                + "\nPersistent=true\nUnit=kiban-backup.service\n\n"
                + "[Install]\nWantedBy=timers.target\n";
        return List.of(Artifact.config(SERVICE, service, "the backup job (R5.2)", Artifact.Reader.SYSTEMD),
                Artifact.config(TIMER, timer, "the backup schedule (R5.2)", Artifact.Reader.SYSTEMD));
    }
}
