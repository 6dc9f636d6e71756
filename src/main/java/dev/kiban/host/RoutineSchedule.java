package dev.kiban.host;

import dev.kiban.os.RoutineLog;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.Schedule;
import dev.kiban.spec.OffsiteTarget;
import dev.kiban.spec.SpecException;
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
    /**
     * Docker's CLI plugins, which EngineInstallation installs from Docker's repository on rhel: security-only
     * automatic updates never take them (the repository has no errata), so the window updates them, where installed.
     */
    static final List<String> DOCKER_PLUGINS = List.of("docker-buildx-plugin", "docker-compose-plugin");
    /** What unattended-upgrades blacklists on debian: the distribution's engine, or Docker's where installed. */
    static final List<String> DEBIAN_ENGINE = List.of("docker.io", "containerd", "docker-ce", "docker-ce-cli",
            "containerd.io");

    /** How long the window waits for this node's tasks to run elsewhere, and for the engine after its restart. */
    static final String DRAIN_TIMEOUT = "10m";
    static final String ENGINE_WAIT = "5m";
    /** The window's steps, for the plan's note and the script's comments. */
    static final String WINDOW = "when an update of the engine's packages is available: drain this node and wait for "
            + "its tasks to move (kiban node drain --self, at most "
            + DRAIN_TIMEOUT + "; on a host alone nothing is drained and its containers restart with the engine, "
            + "live-restore being off under Swarm, D1), upgrade the engine's packages, restart dockerd if they "
            + "changed, wait for it (at most " + ENGINE_WAIT + ") and set the node active again (kiban node "
            + "activate --self --wait); if the engine does not answer the node stays drained and the run's FAILED "
            + "line raises the monitor's alert";

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
        m.offsiteCopy().ifPresent(c -> out.addAll(offsiteCopy(spec, c, kiban, repository)));
        out.add(Artifact.config(ENGINE_UPDATE_SCRIPT, engineUpdate(spec.host().family()),
                "the engine's update window (D16)", Artifact.Reader.SYSTEMD).withMode("rwxr-xr-x"));
        return out;
    }

    /**
     * {@code kiban backup copy --to TARGET} after the weekly backup: on the backup's own calendar unless the spec
     * gives the copy one, and ordered {@code After=kiban-backup.service}, so that when both timers fire together
     * the copy's start waits in systemd's queue until the backup's oneshot has ended (a failed backup still leaves
     * the earlier snapshots to copy). Every argument is one argv word of a form {@link OffsiteTarget} and
     * {@link dev.kiban.spec.HostPath} checked, so the line needs no quoting.
     */
    private static List<Artifact> offsiteCopy(PlatformSpec spec, PlatformSpec.OffsiteCopy c, String kiban,
                                              String repository) {
        String at = "maintenance.offsiteCopy.";
        OffsiteTarget kind;
        try {
            kind = OffsiteTarget.of(c.to());
        } catch (IllegalArgumentException e) {
            throw new SpecException(at + "to: refusing to render a target that is not a local path, sftp:// or s3://");
        }
        List<String> argv = new ArrayList<>(List.of("backup", "copy", "--to", SpecText.requireUnitText(at + "to",
                c.to())));
        c.identity().ifPresent(p -> argv.addAll(List.of("--identity", SpecText.requireUnitPath(at + "identity", p))));
        c.knownHosts().ifPresent(p -> argv.addAll(List.of("--known-hosts",
                SpecText.requireUnitPath(at + "knownHosts", p))));
        c.endpoint().ifPresent(e -> {
            if (OffsiteTarget.endpointProblem(e).isPresent()) {
                throw new SpecException(at + "endpoint: refusing to render an endpoint that is not http[s]://host");
            }
            argv.addAll(List.of("--endpoint", SpecText.requireUnitText(at + "endpoint", e)));
        });
        c.region().ifPresent(r -> {
            if (OffsiteTarget.regionProblem(r).isPresent()) {
                throw new SpecException(at + "region: refusing to render a region that is not a plain name");
            }
            argv.addAll(List.of("--region", r));
        });
        c.credentialsFile().ifPresent(p -> argv.addAll(List.of("--credentials-file",
                SpecText.requireUnitPath(at + "credentialsFile", p))));
        String mounts = repository + (kind == OffsiteTarget.LOCAL ? " " + c.to() : "");
        Schedule schedule = c.schedule().orElse(spec.backup().schedule());
        String key = c.schedule().isPresent() ? at + "schedule" : "backup.schedule";
        return job(RoutineLog.BACKUP_COPY, key, schedule,
                "copy the backup repository to a second one, after the weekly backup (R5, R9.1)",
                "After=kiban-backup.service network-online.target local-fs.target\nWants=network-online.target\n"
                        + "RequiresMountsFor=" + mounts + "\n",
                "ExecStart=" + kiban + " " + String.join(" ", argv) + "\n"
                        + "Nice=10\nIOSchedulingClass=best-effort\nIOSchedulingPriority=7\n", kiban, true);
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
     * The update window's script, in the order of its plan ({@link #WINDOW}); when no update of the engine's
     * packages is available it stops there (nothing drained, nothing restarted). Else: drain this node and wait for its
     * tasks to move ({@code kiban node drain --self}, bounded; outside a swarm or as its only node it drains
     * nothing and says the containers restart with the engine, D1); upgrade only the engine's installed packages;
     * if their versions changed and dockerd is still the process from before (the packages' scripts did not
     * restart it), restart it; then wait for the engine and set the node active again
     * ({@code kiban node activate --self --wait}). The node is reactivated only through an engine that answers: one
     * that does not cannot run tasks, and a drained node keeps the swarm from placing any there until the operator
     * has looked (the failed run's line and the monitor's alert say so). A drain that times out skips the update and
     * reactivates at once, since nothing was changed. kiban does the swarm's part, the script only the packages'.
     */
    static String engineUpdate(Family family) {
        boolean rhel = family == Family.RHEL;
        String installed = rhel
                ? "installed() { rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE}\\n' " + String.join(" ", RHEL_ENGINE)
                        + " " + String.join(" ", DOCKER_PLUGINS)
                        + " 2>/dev/null | grep -v 'is not installed' || true; }\n"
                : "installed() { dpkg-query -W -f '${db:Status-Abbrev} ${Package} ${Version}\\n' "
                        + String.join(" ", DEBIAN_ENGINE) + " " + String.join(" ", DOCKER_PLUGINS)
                        + " 2>/dev/null | sed -n 's/^ii  *//p' || true; }\n";
        // whether an update is there, before anything is drained: "yes" or "no"; fails when the sources cannot be read
        String pending = rhel
                ? "pending() {\n"
                        + "    rc=0; dnf -q check-update $packages >/dev/null || rc=$?\n"
                        + "    case $rc in 0) echo no ;; 100) echo yes ;; *) return 1 ;; esac\n"
                        + "}\n"
                : "pending() {\n"
                        + "    apt-get -q update >/dev/null || return 1\n"
                        + "    plan=$(apt-get -s -q install --only-upgrade $packages) || return 1\n"
                        + "    case $plan in *\"Inst \"*) echo yes ;; *) echo no ;; esac\n"
                        + "}\n";
        String upgrade = rhel
                ? "upgrade() { dnf -y upgrade $packages; }\n"
                : "upgrade() {\n"
                        + "    apt-get -q update &&\n"
                        + "    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --only-upgrade \\\n"
                        + "        -o Dpkg::Options::=--force-confold $packages\n"
                        + "}\n";
        return "#!/bin/sh\n" + ManagedFile.header("#", "D16")
                + "# The engine's packages, which automatic updates hold back (an upgrade restarts dockerd\n"
                + "# and, without live-restore, every container), updated in the spec's window\n"
                + "# (maintenance.engineUpdate): drain this node, upgrade, restart, wait, activate.\n"
                + "set -eu\n"
                + "kiban() { " + BackupSchedule.KIBAN + " -c " + BackupSchedule.SPEC + " \"$@\"; }\n"
                + installed
                + pending
                + upgrade
                + "before=$(installed)\n"
                + "if [ -z \"$before\" ]; then echo 'no engine package installed: nothing to update'; exit 0; fi\n"
                + "packages=$(printf '%s\\n' \"$before\" | cut -d' ' -f1 | tr '\\n' ' ')\n"
                + "echo \"engine packages: $packages\"\n"
                + "updates=$(pending) || { echo 'engine update FAILED: the package sources could not be read'; "
                + "exit 1; }\n"
                + "if [ \"$updates\" = no ]; then\n"
                + "    echo 'engine packages unchanged: no update available; nothing drained, docker not restarted'\n"
                + "    exit 0\n"
                + "fi\n"
                + "# 1. drain: this node's tasks move to the others first (on a host alone, nothing to drain)\n"
                + "if ! kiban node drain --self --timeout " + DRAIN_TIMEOUT + "; then\n"
                + "    echo 'engine update skipped: this node did not drain in time; setting it active again'\n"
                + "    kiban node activate --self || echo 'FAILED to set this node active: "
                + "kiban node activate --self'\n"
                + "    exit 1\n"
                + "fi\n"
                + "pid=$(systemctl show -p MainPID --value docker.service)\n"
                + "# 2. upgrade the engine's packages only\n"
                + "if ! upgrade; then\n"
                + "    echo 'engine update FAILED: the package upgrade did not complete'\n"
                + "    kiban node activate --self --wait " + ENGINE_WAIT + " || echo 'this node stays drained: "
                + "kiban node activate --self once docker answers'\n"
                + "    exit 1\n"
                + "fi\n"
                + "after=$(installed)\n"
                + "# 3. restart the engine if the packages changed and did not restart it themselves\n"
                + "if [ \"$before\" = \"$after\" ]; then\n"
                + "    echo 'engine packages unchanged: docker not restarted'\n"
                + "else\n"
                + "    printf 'updated:\\n%s\\n' \"$after\"\n"
                + "    if [ \"$(systemctl show -p MainPID --value docker.service)\" != \"$pid\" ]; then\n"
                + "        echo 'the packages restarted docker themselves: not restarting it again'\n"
                + "    else\n"
                + "        echo 'engine packages changed: restarting docker (without live-restore, every container "
                + "here too)'\n"
                + "        systemctl restart docker.service || echo 'systemctl restart docker.service FAILED'\n"
                + "    fi\n"
                + "fi\n"
                + "# 4. wait for the engine, then set this node active again: only an engine that answers does\n"
                + "if ! kiban node activate --self --wait " + ENGINE_WAIT + "; then\n"
                + "    echo 'engine update FAILED: docker does not answer after the update; this node stays drained "
                + "(kiban node activate --self once it does)'\n"
                + "    exit 1\n"
                + "fi\n"
                + "echo 'engine update window done'\n";
    }
}
