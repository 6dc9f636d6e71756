package dev.kiban.host;

import dev.kiban.spec.HostPath;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecText;
import java.util.List;

/**
 * The monitoring agent as a systemd service (R6), restarted if it dies, and the daily report (R6.1)
 * as a timer that mails it every morning. Both read /etc/kiban/kiban.yaml.
 */
final class MonitorService {
    static final String SERVICE = "/etc/systemd/system/kiban-monitor.service";
    static final String REPORT_SERVICE = "/etc/systemd/system/kiban-report.service";
    static final String REPORT_TIMER = "/etc/systemd/system/kiban-report.timer";
    private static final String VAR_LIB = "/var/lib";

    private MonitorService() {}

    static List<Artifact> render(PlatformSpec spec) {
        String kiban = BackupSchedule.KIBAN + " -c " + BackupSchedule.SPEC;
        // channel names are one of discord, mail, webhook by validation; a unit line still takes no break or specifier
        List<String> channels = spec.monitor().rules().stream().flatMap(r -> r.channels().stream()).distinct()
                .map(c -> dev.kiban.spec.SpecText.requireUnitText("monitor.rules.channels", c)).toList();
        String agent = ManagedFile.header("#", "R6")
                + "[Unit]\nDescription=kiban: monitoring agent (metrics, alerts to " + String.join(", ", channels)
                + ")\n"
                + "After=docker.service network-online.target\nWants=docker.service network-online.target\n\n"
                + "[Service]\nExecStart=" + kiban + " monitor\nRestart=always\nRestartSec=5\n"
                + "# the outbox and alert states survive restarts here\n" + stateLines(spec.monitor().state()) + "\n"
                + "[Install]\nWantedBy=multi-user.target\n";
        String report = ManagedFile.header("#", "R6.1")
                + "[Unit]\nDescription=kiban: mail the daily report\nAfter=docker.service\n\n"
                + "[Service]\nType=oneshot\nExecStart=" + kiban + " report daily --mail\n";
        String timer = ManagedFile.header("#", "R6.1") + "[Unit]\nDescription=kiban: daily report at 06:00\n\n"
                + "[Timer]\nOnCalendar=*-*-* 06:00:00\nPersistent=true\nUnit=kiban-report.service\n\n[Install]\n"
                + "WantedBy=timers.target\n";
        return List.of(Artifact.config(SERVICE, agent, "the monitoring agent (R6)", Artifact.Reader.SYSTEMD),
                Artifact.config(REPORT_SERVICE, report, "the daily report (R6.1)", Artifact.Reader.SYSTEMD),
                Artifact.config(REPORT_TIMER, timer, "the daily report's schedule (R6.1)", Artifact.Reader.SYSTEMD));
    }

    /**
     * The state directory's unit lines. systemd sets up a ReadWritePaths= directory before the agent runs
     * and fails the start (226/NAMESPACE) when it is missing, so: under /var/lib, StateDirectory= (systemd
     * creates it, root-only); elsewhere ReadWritePaths=, and {@link #directories} has apply create it.
     */
    static String stateLines(HostPath state) {
        String path = SpecText.requireUnitPath("monitor.state", state);
        return systemdCreates(state) ? "StateDirectory=" + path.substring(VAR_LIB.length() + 1)
                + "\nStateDirectoryMode=0700\n" : "ReadWritePaths=" + path + "\n";
    }

    /** The directories the units need that systemd does not create itself. */
    static List<HostDirectory> directories(PlatformSpec spec) {
        HostPath state = spec.monitor().state();
        if (systemdCreates(state)) return List.of();
        return List.of(DirectoryLayout.layout("monitor.state", state, "rwx------",
                "the monitoring agent's outbox and alert states (R6)"));
    }

    private static boolean systemdCreates(HostPath state) {
        return state.within(new HostPath(VAR_LIB)) && !state.value().equals(VAR_LIB);
    }
}
