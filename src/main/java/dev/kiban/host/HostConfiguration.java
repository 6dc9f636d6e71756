package dev.kiban.host;

import dev.kiban.os.RunningKernel;
import dev.kiban.spec.HostPath;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecException;
import dev.kiban.spec.SpecText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the design puts under /etc, rendered from a spec resolved for the host: files,
 * directories, and the commands that make the running system take them up. Pure: spec in, plan
 * material out; nothing here touches the machine.
 */
public record HostConfiguration(Family family, List<Artifact> artifacts, List<HostDirectory> directories,
        List<PlannedCommand> commands, List<String> notes) {

    public static HostConfiguration render(PlatformSpec spec) {
        return render(spec, RunningKernel.UNKNOWN);
    }

    public static HostConfiguration render(PlatformSpec spec, RunningKernel kernel) {
        return render(spec, kernel, Map.of());
    }

    /** {@code environment}: where an {@code env:} secret the files hold (the relay's password) is read. */
    public static HostConfiguration render(PlatformSpec spec, RunningKernel kernel, Map<String, String> environment) {
        Family family = spec.host().family();
        if (family == Family.AUTO) {
            throw new IllegalStateException("resolve the spec for the host first (host.family is auto)");
        }
        List<Artifact> files = new ArrayList<>();
        // the repository first: apply writes every file before it runs a command, so dnf sees it when it
        // installs docker-ce
        files.addAll(DockerRepository.render(spec));
        files.addAll(SelinuxConfig.render(spec));
        files.add(DaemonJson.render(spec));
        files.addAll(KernelParameters.render(spec, kernel));
        files.add(JournaldRetention.render(spec));
        files.add(DockerAuditRules.render(spec));
        files.addAll(Fail2banJails.render(spec));
        files.addAll(LogwatchReport.render(spec));
        files.addAll(SecurityUpdates.render(spec));
        files.add(SshdHardening.render(spec));
        files.addAll(FirewallRules.render(spec));
        files.addAll(BackupSchedule.render(spec));
        files.addAll(RoutineSchedule.render(spec));
        files.addAll(MonitorService.render(spec));
        files.addAll(DashboardService.render(spec));
        files.addAll(OutgoingMail.render(spec, environment));
        return new HostConfiguration(family, List.copyOf(files), DirectoryLayout.render(spec),
                commands(spec, files, kernel), notes(spec, kernel));
    }

    /** Why the rendering departs from the design where it does, said once in every plan. */
    private static List<String> notes(PlatformSpec spec, RunningKernel kernel) {
        List<String> out = new ArrayList<>();
        if (!kernel.audit()) {
            out.add("auditd left out: this host is a container, whose kernel audit it cannot use; the rules for CIS "
                    + "1.1.3-1.1.18 are written, and 'kiban audit' warns there");
        }
        if (spec.swarm().enabled() && spec.engine().liveRestore() == dev.kiban.spec.Tristate.FALSE) {
            // Two notes, so that each ends with its reason rather than carrying the id mid-sentence.
            out.add("live-restore is off: Swarm mode refuses it (D1)");
            out.add("with live-restore off, an engine restart restarts the containers (D1)");
        }
        if (spec.engine().seccompProfile().equals("builtin")) {
            out.add("seccomp-profile left out: Docker's built-in profile applies (D12)");
        }
        if (spec.engine().usernsRemap().isEmpty()) {
            out.add("userns-remap left out: it would hide existing images and break Swarm services (D13)");
        }
        out.add(SecurityUpdates.caveat(spec));
        out.add("engine update window (" + spec.maintenance().engineUpdate().schedule() + "): "
                + RoutineSchedule.WINDOW);
        spec.maintenance().offsiteCopy().ifPresent(c -> out.add("off-site copy ("
                + c.schedule().map(Object::toString).orElse("after the backup, " + spec.backup().schedule())
                + "): kiban backup copy --to " + c.to()));
        return List.copyOf(out);
    }

    /** Each command runs when a file it follows was created or changed (an empty list: when anything was). */
    private static List<PlannedCommand> commands(PlatformSpec spec, List<Artifact> files, RunningKernel kernel) {
        boolean rhel = spec.host().family() == Family.RHEL;
        List<PlannedCommand> out = new ArrayList<>();
        List<String> packaged = paths(files, Artifact.Reader.FAIL2BAN, Artifact.Reader.LOGWATCH,
                Artifact.Reader.UPDATES, Artifact.Reader.FIREWALLD, Artifact.Reader.NFTABLES, Artifact.Reader.SELINUX,
                Artifact.Reader.POSTFIX, Artifact.Reader.AUDITD);
        // postfix's SMTP client logs in to a relay through the SASL PLAIN/LOGIN modules, packaged apart:
        // cyrus-sasl-plain on rhel, libsasl2-modules on debian
        if (rhel) {
            // fail2ban is in EPEL, not in Rocky 9's own repositories; epel-release is in Rocky's extras (enabled
            // by default), and EPEL's packages may depend on CRB, which Rocky ships disabled. dnf-plugins-core
            // brings config-manager.
            out.add(PlannedCommand.of("enable EPEL, where fail2ban comes from (R7.3)", packaged, "dnf", "install", "-y",
                    "dnf-plugins-core", "epel-release"));
            out.add(PlannedCommand.of("enable CRB, which EPEL packages depend on (R7.3)", packaged, "dnf",
                    "config-manager", "--set-enabled", "crb"));
            out.add(PlannedCommand.of("install the tools these files configure (R7)", packaged, "dnf", "install", "-y",
                    "fail2ban", "logwatch", "dnf-automatic", "firewalld", "policycoreutils-python-utils",
                    "container-selinux", "postfix", "cyrus-sasl-plain", "audit"));
        } else {
            List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "fail2ban", "logwatch",
                    "unattended-upgrades", "nftables", "iptables", "postfix", "libsasl2-modules"));
            // in a container auditd cannot start, and Debian's audit-rules.service would be left failed
            if (kernel.audit()) install.add("auditd");
            out.add(new PlannedCommand(List.copyOf(install), "install the tools these files configure (R7)",
                    packaged));
        }
        // right after the install, which brings postconf, postmap and newaliases
        out.addAll(OutgoingMail.commands(spec, files));
        // Only when the file asks for it (no 'after' would mean: on any change) and the keys are missing: a
        // kernel with bridge netfilter built in has no module, and modprobe fails on it.
        List<String> modules = paths(files, Artifact.Reader.MODULES);
        if (!modules.isEmpty() && !kernel.bridgeNetfilter()) {
            out.add(PlannedCommand.of("load br_netfilter now (R2.3)", modules, "modprobe", "br_netfilter"));
        }
        out.add(PlannedCommand.of("apply the kernel parameters (R1.4, R2.3)", paths(files, Artifact.Reader.SYSCTL),
                "sysctl", "--system"));
        out.add(PlannedCommand.of("journal retention (R6.1)", paths(files, Artifact.Reader.JOURNALD), "systemctl",
                "restart", "systemd-journald"));
        out.add(PlannedCommand.of("units changed", paths(files, Artifact.Reader.SYSTEMD), "systemctl",
                "daemon-reload"));
        // augenrules compiles rules.d into audit.rules and loads it; auditd itself must run to record anything.
        // Where the kernel's audit is not there (a container host) neither can succeed: the rules stay in place for
        // when it is, apply goes on, and 'kiban audit' warns at 1.1.3-1.1.18 while auditd is not active.
        String noAudit = "auditd could not run (no kernel audit here: a container?); the rules are in place, and "
                + "'kiban audit' warns at CIS 1.1.3-1.1.18 until auditd is active";
        if (kernel.audit()) {
            out.add(PlannedCommand.of("audit Docker's files (CIS 1.1.3-1.1.18)", paths(files, Artifact.Reader.AUDITD),
                    "systemctl", "enable", "--now", "auditd").mayFail(noAudit));
            out.add(PlannedCommand.of("audit Docker's files (CIS 1.1.3-1.1.18)", paths(files, Artifact.Reader.AUDITD),
                    "augenrules", "--load").mayFail(noAudit));
        }
        out.add(PlannedCommand.of("engine settings; this restarts every container, live-restore being off with Swarm "
                + "(R2.2, D1)", paths(files, Artifact.Reader.DOCKERD), "systemctl", "restart", "docker"));
        out.add(PlannedCommand.of("published ports under the host's rules (D7)",
                List.of(FirewallRules.DOCKER_USER_UNIT, FirewallRules.DOCKER_USER_SCRIPT),
                "systemctl", "enable", "--now",
                "kiban-docker-user.service"));
        out.add(PlannedCommand.of("re-apply DOCKER-USER rules (D7)", List.of(FirewallRules.DOCKER_USER_SCRIPT),
                FirewallRules.DOCKER_USER_SCRIPT));
        out.add(PlannedCommand.of("backup schedule (R5.2)", List.of(BackupSchedule.TIMER), "systemctl", "enable",
                "--now", "kiban-backup.timer"));
        for (dev.kiban.os.RoutineLog job : dev.kiban.os.RoutineLog.enabled(spec)) {
            out.add(PlannedCommand.of(job.what() + "'s schedule (R9.1)", List.of(RoutineSchedule.UNITS + job.timer()),
                    "systemctl", "enable", "--now", job.timer()));
        }
        out.add(PlannedCommand.of("monitoring agent (R6)", List.of(MonitorService.SERVICE), "systemctl", "enable",
                "--now", "kiban-monitor.service"));
        out.add(PlannedCommand.of("monitoring agent: pick up the changed unit (R6)", List.of(MonitorService.SERVICE),
                "systemctl", "try-restart", "kiban-monitor.service"));
        out.add(PlannedCommand.of("daily report (R6.1)", List.of(MonitorService.REPORT_TIMER), "systemctl", "enable",
                "--now", "kiban-report.timer"));
        if (spec.dashboard().enabled()) {
            out.add(PlannedCommand.of("web dashboard", List.of(DashboardService.SERVICE), "systemctl", "enable",
                    "--now", "kiban-dashboard.service"));
            out.add(PlannedCommand.of("web dashboard: pick up the changed unit", List.of(DashboardService.SERVICE),
                    "systemctl", "try-restart", "kiban-dashboard.service"));
        }
        out.add(PlannedCommand.of("fail2ban jails (R7.3)", paths(files, Artifact.Reader.FAIL2BAN), "systemctl",
                "enable", "--now", "fail2ban"));
        out.add(PlannedCommand.of("fail2ban jails (R7.3)", paths(files, Artifact.Reader.FAIL2BAN), "systemctl",
                "reload-or-restart", "fail2ban"));
        out.add(PlannedCommand.of("sshd hardening, checked with sshd -t first (R7.2)",
                paths(files, Artifact.Reader.SSHD), "systemctl", "reload", rhel ? "sshd" : "ssh"));
        if (rhel) {
            out.add(PlannedCommand.of("host firewall (R3.4)", paths(files, Artifact.Reader.FIREWALLD), "systemctl",
                    "enable", "--now", "firewalld"));
            out.add(PlannedCommand.of("host firewall (R3.4)", paths(files, Artifact.Reader.FIREWALLD), "firewall-cmd",
                    "--reload"));
            out.add(PlannedCommand.of("automatic security updates (R7.5)", paths(files, Artifact.Reader.UPDATES),
                    "systemctl", "enable", "--now", "dnf-automatic.timer"));
            if (spec.security().selinux().mode().equals("enforcing")) {
                out.addAll(relabel(spec.storage().volumes()));
            }
        } else {
            out.add(PlannedCommand.of("host firewall (R3.4)", paths(files, Artifact.Reader.NFTABLES), "systemctl",
                    "enable", "--now", "kiban-firewall.service"));
            out.add(PlannedCommand.of("host firewall (R3.4)", paths(files, Artifact.Reader.NFTABLES), "nft", "-f",
                    FirewallRules.NFTABLES));
        }
        return List.copyOf(out);
    }

    /**
     * The volume tree labelled for containers, persistently (R7.4, D8): semanage rules survive a
     * relabel, chcon does not. Each command is an argv, one per path; no shell ever sees the path.
     * {@code semanage fcontext -a} modifies an existing rule instead of failing (policycoreutils'
     * seobject.py, fcontextRecords.add), so no "-a || -m" is needed.
     */
    static List<PlannedCommand> relabel(HostPath volumes) {
        String path = SpecText.requireUnitPath("storage.volumes", volumes);
        if (volumes.systemDirectory().isPresent() || volumes.containsSystemDirectory()) {
            throw new SpecException("storage.volumes: refusing to relabel a tree that holds system directories");
        }
        return List.of(
                PlannedCommand.of("label the volume tree for containers, persistently (R7.4, D8)", List.of(path),
                        "semanage", "fcontext", "-a", "-t", "container_file_t", fcontextPattern(path)),
                PlannedCommand.of("apply the labels (R7.4, D8)", List.of(path), "restorecon", "-R", path));
    }

    /** The path and everything under it, as a file-context regular expression: the path's own signs taken literally. */
    static String fcontextPattern(String path) {
        return path.replaceAll("([.+])", "\\\\$1") + "(/.*)?";
    }

    /**
     * The step the host's SELinux state now calls for (R7.4): where its config says disabled and the
     * spec turns SELinux on, the next boot must relabel every file, so plan {@code /.autorelabel} and
     * say a reboot is needed. restorecon is left out then: the boot's relabel applies the same rules.
     * Pure: the config's content is read by the caller.
     */
    public HostConfiguration withSelinuxNow(java.util.Optional<ObservedFile> selinuxConfig) {
        boolean turnsOn = artifacts.stream().anyMatch(a -> a.path().equals(SelinuxConfig.CONFIG));
        if (!turnsOn || !SelinuxConfig.disabledNow(selinuxConfig)) return this;
        List<Artifact> files = new ArrayList<>(artifacts);
        files.add(SelinuxConfig.relabelAtBoot());
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.add(SelinuxConfig.REBOOT_NOTE);
        return new HostConfiguration(family, List.copyOf(files), directories,
                commands.stream().filter(c -> !c.program().equals("restorecon")).toList(), List.copyOf(allNotes));
    }

    private static List<String> paths(List<Artifact> files, Artifact.Reader... readers) {
        List<Artifact.Reader> wanted = List.of(readers);
        return files.stream().filter(a -> wanted.contains(a.reader())).map(Artifact::path).toList();
    }
}
