package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecText;
import java.util.List;

/**
 * {@code kiban dashboard} as a systemd service when the spec's dashboard.enabled is true: it reads
 * /etc/kiban/kiban.yaml for its address, TLS and token file. Read-only by design, so the unit gives it no
 * writable system directory.
 */
final class DashboardService {
    static final String SERVICE = "/etc/systemd/system/kiban-dashboard.service";

    private DashboardService() {}

    static List<Artifact> render(PlatformSpec spec) {
        PlatformSpec.Dashboard d = spec.dashboard();
        if (!d.enabled()) return List.of();
        String bind = SpecText.requireUnitText("dashboard.bind", d.bind());
        String unit = ManagedFile.header("#", "dashboard")
                + "[Unit]\nDescription=kiban: read-only web dashboard on " + bind + "\n"
                + "After=docker.service network-online.target\nWants=network-online.target\n\n"
                + "[Service]\nExecStart=" + BackupSchedule.KIBAN + " -c " + BackupSchedule.SPEC + " dashboard\n"
                + "Restart=on-failure\nRestartSec=5\n# a JVM stopped by SIGTERM exits 143: a clean stop\n"
                + "SuccessExitStatus=143\n"
                + "# it only reads: the engine's socket, monitor.state, the backup log and repository, routine logs\n"
                + "NoNewPrivileges=yes\nProtectSystem=full\nProtectHome=yes\nPrivateTmp=yes\n\n"
                + "[Install]\nWantedBy=multi-user.target\n";
        return List.of(Artifact.config(SERVICE, unit, "the read-only web dashboard", Artifact.Reader.SYSTEMD));
    }
}
