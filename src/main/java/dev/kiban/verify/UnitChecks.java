package dev.kiban.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.audit.Audit;
import dev.kiban.audit.AuditFacts;
import dev.kiban.audit.AuditGatherer;
import dev.kiban.audit.AuditReport;
import dev.kiban.audit.AuditResult;
import dev.kiban.audit.Catalogue;
import dev.kiban.audit.Severity;
import dev.kiban.backup.DatabaseContainers;
import dev.kiban.engine.Engine;
import dev.kiban.engine.SwarmSettings;
import dev.kiban.host.HostPlanner;
import dev.kiban.host.OutgoingMail;
import dev.kiban.host.Plan;
import dev.kiban.os.BackupLog;
import dev.kiban.os.HostPrograms;
import dev.kiban.os.HostRoot;
import dev.kiban.os.Mounts;
import dev.kiban.spec.Cidr;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecText;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** R11.1: each part of the platform is there and working, checked the way the design's table says. */
public final class UnitChecks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private UnitChecks() {}

    public static List<Check> all() {
        return List.of(engineActive(), composeV2(), swarmActive(), ClusterChecks.nodesReady(), ClusterChecks.quorum(),
                ClusterChecks.nodesAsSpec(), dataMounted(), backupJob(), backupConsistent(), routine(), fail2banSshd(),
                selinuxEnforcing(), logwatchReport(), mailRelay(), noDrift(), auditClean());
    }

    /**
     * The whole audit (CIS Docker Benchmark and the design's hardening, with the spec's waivers) as one check:
     * PASS when nothing at or above the spec's audit.failOn fails. Only on /, as it judges the live host.
     */
    static Check auditClean() {
        return new NamedCheck("audit", "unit", "R11.1, R7", "kiban audit: nothing at or above audit.failOn fails",
                c -> {
            Optional<Check.Outcome> tree = onlyOnThisHost(c, "the audited host (its sshd, services, sockets)");
            if (tree.isPresent()) return tree.get();
            Severity threshold = Severity.of(c.spec().audit().failOn()).orElse(Severity.HIGH);
            AuditFacts facts = AuditGatherer.gather(c.spec(), () -> c.engine().get()
                    .orElseThrow(() -> new IllegalStateException("no engine answers")), c.programs(), c.root());
            return audited(Audit.run(Catalogue.all(), facts, c.spec().audit().waivers(),
                    LocalDate.now(ZoneOffset.UTC)), threshold);
        });
    }

    /** The audit's verdict as a check: the score, and the ids that fail at or above the threshold. */
    static Check.Outcome audited(List<AuditResult> results, Severity threshold) {
        List<AuditResult> failed = Audit.failures(results, threshold);
        String score = AuditReport.score("total", results);
        if (failed.isEmpty()) return Check.Outcome.pass(score + "; none failed at or above " + threshold.word());
        return Check.Outcome.fail(failed.size() + " failed at or above " + threshold.word() + ": "
                + String.join(", ", failed.stream().map(r -> r.id() + " " + r.status()).toList())
                + " ('kiban audit --only ID' says why and what to do)");
    }

    static Check engineActive() {
        return new NamedCheck("engine-active", "unit", "R11.1, R2.1", "Docker engine active", c -> {
            Optional<Engine> engine = c.engine().get();
            if (engine.isEmpty()) return Check.Outcome.fail("no engine answers");
            var info = engine.get().info();
            return Check.Outcome.pass("engine " + info.version() + " (API " + info.apiVersion() + "), "
                    + info.storageDriver() + ", cgroup v" + info.cgroupVersion());
        });
    }

    static Check composeV2() {
        return new NamedCheck("compose-v2", "unit", "R11.1, R2.1", "Docker Compose v2 available", c -> {
            Optional<Check.Outcome> tree = onlyOnThisHost(c, "the Compose plugin");
            if (tree.isPresent()) return tree.get();
            Optional<Path> docker = c.programs().find("docker");
            if (docker.isPresent()) {
                HostPrograms.Result plugin = c.programs().run(List.of(docker.get().toString(), "compose",
                        "version"), LIMIT);
                if (plugin.ok() && plugin.output().matches("(?s).*v?2\\.\\d+.*")) {
                    return Check.Outcome.pass(plugin.output().strip());
                }
            }
            Optional<Path> v1 = c.programs().find("docker-compose");
            String installed = v1.isPresent() ? c.programs().run(List.of(v1.get().toString(), "version", "--short"),
                    LIMIT).output().strip() : "";
            return Check.Outcome.fail("'docker compose' (v2) is not available"
                    + (installed.isEmpty() ? "" : "; docker-compose " + installed + " is installed")
                    + "; install docker-compose-plugin from Docker's repository");
        });
    }

    static Check swarmActive() {
        return new NamedCheck("swarm-active", "unit", "R11.1, R8.1, D2",
                "Swarm active with the spec's address pool", c -> {
            Optional<Engine> engine = c.engine().get();
            if (engine.isEmpty()) return Check.Outcome.fail("no engine answers");
            SwarmSettings swarm = engine.get().swarm();
            if (!swarm.active()) return Check.Outcome.fail("swarm is " + swarm.state()
                    + (swarm.error().isEmpty() ? "" : " (" + swarm.error() + ")") + "; run 'kiban swarm init'");
            if (!swarm.manager()) return worker(c.spec().swarm(), swarm);
            List<String> pool = c.spec().swarm().defaultAddrPool().stream().map(Cidr::toString).toList();
            if (!swarm.defaultAddrPool().equals(pool)) return Check.Outcome.fail("address pool "
                    + swarm.defaultAddrPool() + ", the spec says " + pool + " (D2)");
            return Check.Outcome.pass("manager, address pool " + swarm.defaultAddrPool() + " /" + swarm.subnetSize());
        });
    }

    /**
     * A worker cannot read the cluster's settings: it is as it should be when it is active and, if the spec lists
     * the nodes, one of the managers it knows is a manager the spec lists (so it is in the spec's swarm).
     */
    static Check.Outcome worker(PlatformSpec.Swarm spec, SwarmSettings swarm) {
        List<String> declared = spec.managerAddresses();
        if (!declared.isEmpty() && SwarmRole.declaredAmong(swarm, declared).isEmpty()) {
            return Check.Outcome.fail("worker of a swarm whose managers (" + SwarmRole.managers(swarm)
                    + ") are none of swarm.nodes' managers (" + String.join(", ", declared) + ")");
        }
        return Check.Outcome.pass("worker; managers at " + SwarmRole.managers(swarm)
                + " (the address pool and the nodes are checked on a manager)");
    }

    static Check dataMounted() {
        return new NamedCheck("data-mounted", "unit", "R11.1, R4.1", "/data/docker mounted", c -> {
            String data = c.spec().storage().data().value();
            Path path = HostRoot.resolve(c.root(), data);
            if (!Files.isDirectory(path)) return Check.Outcome.fail(data + " does not exist under " + c.root());
            if (!HostRoot.isSystemRoot(c.root())) return Check.Outcome.pass(data + " present under " + c.root()
                    + " (mounts are only checked on /)");
            Optional<String> mount = mountPointOf(data);
            String disk = c.spec().host().disks().stream().filter(d -> d.mount().value().equals("/data"))
                    .map(d -> d.mount().value()).findFirst().orElse("/data");
            if (mount.isPresent() && !mount.get().equals("/")) return Check.Outcome.pass(data
                    + " is on the filesystem mounted at " + mount.get());
            return Check.Outcome.fail(data + " is on the root filesystem (" + disk + "), not on its own disk (R4.2)");
        });
    }

    /** The longest mount point in /proc/self/mounts that holds {@code path}. */
    static Optional<String> mountPointOf(String path) throws IOException {
        Path mounts = Path.of("/proc/self/mounts");
        if (!Files.exists(mounts)) return Optional.empty();
        return Mounts.containing(Mounts.parse(Files.readString(mounts)), path).map(Mounts.Mount::point);
    }

    /**
     * The timer kiban apply installs, and the last line of the backup log: OK and no older than the schedule
     * allows.
     */
    static Check backupJob() {
        return new NamedCheck("backup-job", "unit", "R11.1, R5",
                "backup job present and its last run successful", c -> {
            Path timer = HostRoot.resolve(c.root(), "/etc/systemd/system/kiban-backup.timer");
            if (!Files.exists(timer)) return Check.Outcome.fail("no backup timer at " + timer
                    + "; 'kiban apply' installs it (R5.2)");
            Path log = HostRoot.resolve(c.root(), c.spec().backup().log().value());
            Optional<String> last = new BackupLog(log).lastLine();
            if (last.isEmpty()) return Check.Outcome.skip("the timer is installed ("
                    + c.spec().backup().schedule().onCalendar() + ") but no backup has run yet; "
                    + "run 'kiban backup run' once to check the whole path");
            Optional<BackupLog.Line> line = BackupLog.parse(last.get());
            if (line.isEmpty()) return Check.Outcome.fail("the last line of " + log + " is not kiban's: " + last.get());
            java.time.Instant when = line.get().time();
            String detail = line.get().detail();
            long days = java.time.Duration.between(when, java.time.Instant.now()).toDays();
            if (!line.get().ok()) return Check.Outcome.fail("the last backup failed (" + when + "): " + detail);
            if (days > 8) return Check.Outcome.fail("the last successful backup is " + days + " days old (" + when
                    + "); is the timer running?");
            return Check.Outcome.pass("timer installed; last run " + when + " OK"
                    + (detail.isEmpty() ? "" : ": " + detail.replaceFirst(" in [0-9.]+ s$", "")));
        });
    }

    /**
     * Issue 16, item 2: no running container that looks like a database is copied live without the operator's say
     * (a kiban.backup.stop or kiban.backup.pre label). Its volumes' files are read only on this host.
     */
    static Check backupConsistent() {
        return new NamedCheck("backup-consistent", "unit", "R11.1, R5.5",
                "running databases labelled for a consistent backup", c -> {
            Optional<Engine> engine = c.engine().get();
            if (engine.isEmpty()) return Check.Outcome.skip("no engine answers");
            List<String> trees = List.of(c.spec().storage().volumes().value(),
                    c.spec().engine().dataRoot().resolve("volumes").value());
            List<DatabaseContainers.Finding> found = DatabaseContainers.unquiesced(engine.get().containers(),
                    c.root(), engine.get().address().isLocal() ? trees : List.of());
            if (found.isEmpty()) return Check.Outcome.pass("no running container looks like an unlabelled database");
            return Check.Outcome.fail(String.join("; ", found.stream().map(DatabaseContainers.Finding::warning)
                    .toList()));
        });
    }

    /** A day's grace past a job's longest gap between runs, for a run that takes long or a timer's accuracy. */
    static final Duration ROUTINE_GRACE = Duration.ofDays(1);

    /**
     * Issue 16, item 4: each job of the weekly routine the spec has (R9.1) ran, and its last run succeeded: FAIL when
     * one failed last time, or has not run within its schedule's longest gap and a day (a job that never ran counts
     * from when its timer was written). Only on this host, whose logs and timers it reads.
     */
    static Check routine() {
        return new NamedCheck("routine", "unit", "R11.1, R9.1",
                "the weekly routine's jobs ran on time and their last runs succeeded", c -> {
            Optional<Check.Outcome> tree = onlyOnThisHost(c, "the weekly routine's runs");
            if (tree.isPresent()) return tree.get();
            List<dev.kiban.os.RoutineLog> jobs = dev.kiban.os.RoutineLog.enabled(c.spec());
            if (jobs.isEmpty()) return Check.Outcome.skip("the spec has no job of the weekly routine");
            Path logs = HostRoot.resolve(c.root(), c.spec().maintenance().logs().value());
            List<RoutineJob> states = new java.util.ArrayList<>();
            for (dev.kiban.os.RoutineLog job : jobs) {
                Path timer = HostRoot.resolve(c.root(), "/etc/systemd/system/" + job.timer());
                var noLink = java.nio.file.LinkOption.NOFOLLOW_LINKS;
                Optional<java.time.Instant> installed = Files.isRegularFile(timer, noLink)
                        ? Optional.of(Files.getLastModifiedTime(timer, noLink).toInstant()) : Optional.empty();
                states.add(new RoutineJob(job.job(), job.timer(), job.schedule(c.spec()).longestGap(), installed,
                        new BackupLog(job.file(logs)).lastLine()));
            }
            return routineRuns(states, java.time.Instant.now());
        });
    }

    /** A routine job as verify finds it: its timer's time of writing (empty: none), its log's last line. */
    record RoutineJob(String job, String timer, Optional<Duration> gap, Optional<java.time.Instant> installed,
                      Optional<String> lastLine) {}

    /** The verdict on the routine's jobs at {@code now} (pure, for tests). */
    static Check.Outcome routineRuns(List<RoutineJob> jobs, java.time.Instant now) {
        List<String> failed = new java.util.ArrayList<>();
        List<String> said = new java.util.ArrayList<>();
        for (RoutineJob j : jobs) {
            if (j.installed().isEmpty()) {
                failed.add(j.job() + ": no " + j.timer() + "; 'kiban apply' installs it");
                continue;
            }
            Optional<Duration> allowed = j.gap().map(g -> g.plus(ROUTINE_GRACE));
            if (j.lastLine().isEmpty()) {
                boolean due = allowed.isPresent() && j.installed().get().plus(allowed.get()).isBefore(now);
                if (due) failed.add(j.job() + ": never ran since its timer was written (" + j.installed().get()
                        + "); is " + j.timer() + " active? (systemctl list-timers)");
                else said.add(j.job() + " not run yet");
                continue;
            }
            Optional<BackupLog.Line> line = BackupLog.parse(j.lastLine().get());
            if (line.isEmpty()) {
                failed.add(j.job() + ": its log's last line is not kiban's: " + SpecText.shown(j.lastLine().get()));
                continue;
            }
            java.time.Instant when = line.get().time();
            if (!line.get().ok()) {
                failed.add(j.job() + " failed at " + when + ": " + line.get().detail());
            } else if (allowed.isPresent() && when.plus(allowed.get()).isBefore(now)) {
                failed.add(j.job() + ": last ran " + when + ", more than " + allowed.get().toDays() + " days ago; is "
                        + j.timer() + " active? (systemctl list-timers)");
            } else {
                said.add(j.job() + " OK " + when);
            }
        }
        if (!failed.isEmpty()) return Check.Outcome.fail(String.join("; ", failed));
        return Check.Outcome.pass(String.join("; ", said));
    }

    static Check fail2banSshd() {
        return new NamedCheck("fail2ban-sshd", "unit", "R11.1, R7.3", "fail2ban sshd jail enabled", c -> {
            Optional<Check.Outcome> tree = onlyOnThisHost(c, "the running fail2ban");
            if (tree.isPresent()) return tree.get();
            Optional<Path> client = c.programs().find("fail2ban-client");
            if (client.isEmpty()) return Check.Outcome.fail("fail2ban is not installed; 'kiban apply' installs it");
            HostPrograms.Result r = c.programs().run(List.of(client.get().toString(), "status", "sshd"), LIMIT);
            if (r.ok() && r.output().contains("Status for the jail: sshd")) {
                return Check.Outcome.pass(r.output().lines().filter(l -> l.contains("Currently banned")
                        || l.contains("Total failed")).map(String::strip)
                        .reduce((a, b) -> a + "; " + b).orElse("jail sshd active"));
            }
            return Check.Outcome.fail("fail2ban-client status sshd: " + r.gist());
        });
    }

    static Check selinuxEnforcing() {
        return new NamedCheck("selinux-enforcing", "unit", "R11.1, R7.4", "SELinux enforcing", c -> {
            if (c.spec().host().family() != Family.RHEL) {
                return Check.Outcome.skip("the host is " + c.spec().host().family().name().toLowerCase()
                        + ", which confines with AppArmor, not SELinux");
            }
            Optional<Path> getenforce = c.programs().find("getenforce");
            if (getenforce.isEmpty()) return Check.Outcome.fail("getenforce not found: SELinux tools are missing");
            String mode = c.programs().run(List.of(getenforce.get().toString()), LIMIT).output().strip();
            return mode.equals("Enforcing") ? Check.Outcome.pass("getenforce: Enforcing")
                    : Check.Outcome.fail("getenforce: " + mode);
        });
    }

    static Check logwatchReport() {
        return new NamedCheck("logwatch-report", "unit", "R11.1, R6.1", "logwatch produces a report", c -> {
            Optional<Path> logwatch = c.programs().find("logwatch");
            if (logwatch.isEmpty()) return Check.Outcome.fail("logwatch is not installed; 'kiban apply' installs it");
            HostPrograms.Result r = c.programs().run(List.of(logwatch.get().toString(), "--detail", "Med", "--range",
                    "Today", "--output", "stdout"), Duration.ofMinutes(3));
            if (!r.ok()) return Check.Outcome.fail("logwatch exited " + r.exit() + ": " + r.gist());
            long lines = r.output().lines().count();
            return Check.Outcome.pass("logwatch --detail Med --range Today: report of " + lines + " lines");
        });
    }

    /** Where the local MTA listens: the SMTP port, on loopback only. */
    static final int SMTP_PORT = 25;
    private static final int BANNER_MILLIS = 3000;

    static Check mailRelay() {
        return mailRelay(SMTP_PORT);
    }

    /**
     * Postfix listens on loopback only, relays where the spec says, and answers on 127.0.0.1:{@code port}
     * with its banner. Nothing is sent to it, and nothing but loopback is ever asked.
     */
    static Check mailRelay(int port) {
        return new NamedCheck("mail-relay", "unit", "R11.1, R6, R6.1", "outgoing mail goes through the local MTA",
                c -> {
            Optional<Check.Outcome> tree = onlyOnThisHost(c, "the running postfix");
            if (tree.isPresent()) return tree.get();
            Optional<Path> postconf = c.programs().find("postconf");
            if (postconf.isEmpty()) return Check.Outcome.fail("postfix is not installed; 'kiban apply' installs it");
            HostPrograms.Result listen = c.programs().run(List.of(postconf.get().toString(), "-h",
                    "inet_interfaces"), LIMIT);
            if (!listen.ok()) return Check.Outcome.fail("postconf -h inet_interfaces: " + listen.gist());
            String interfaces = listen.output().strip();
            if (!loopbackOnly(interfaces)) return Check.Outcome.fail("postfix listens on inet_interfaces = "
                    + interfaces + ", not loopback-only; 'kiban apply' sets it (R6)");
            HostPrograms.Result relayhost = c.programs().run(List.of(postconf.get().toString(), "-h", "relayhost"),
                    LIMIT);
            if (!relayhost.ok()) return Check.Outcome.fail("postconf -h relayhost: " + relayhost.gist());
            String relay = relayhost.output().strip();
            String expected = OutgoingMail.relay(c.spec()).orElse("");
            if (!relay.equals(expected)) return Check.Outcome.fail("postfix relays "
                    + (relay.isEmpty() ? "directly" : "through " + relay) + ", monitor.channels.mail says "
                    + (expected.isEmpty() ? "directly" : "through " + expected) + "; 'kiban apply' sets it (R6)");
            Optional<String> banner = banner(port);
            if (banner.isEmpty()) return Check.Outcome.fail("nothing answers on 127.0.0.1:" + port
                    + ": is postfix running? (systemctl status postfix)");
            if (!banner.get().startsWith("220")) return Check.Outcome.fail("127.0.0.1:" + port + " answered '"
                    + banner.get() + "', not an SMTP 220 banner");
            // mail the relay refuses (authentication, TLS, a closed port) is not lost: postfix defers it and
            // retries for days; what it holds, and why, is the finding
            Optional<Path> postqueue = c.programs().find("postqueue");
            if (postqueue.isPresent()) {
                HostPrograms.Result queue = c.programs().run(List.of(postqueue.get().toString(), "-j"), LIMIT);
                if (queue.ok()) {
                    Optional<String> stuck = deferred(queue.output());
                    if (stuck.isPresent()) return Check.Outcome.fail(stuck.get());
                }
            }
            return Check.Outcome.pass("postfix loopback-only, relay " + (relay.isEmpty() ? "direct" : relay)
                    + ", 220 banner from 127.0.0.1:" + port + ", nothing deferred");
        });
    }

    /**
     * A check of a program or service of the host itself says nothing about a tree given with --root (a
     * demo root, an image being prepared): it is skipped there, saying why, rather than failing for the
     * machine verify happens to run on. The engine checks still ask the engine.
     */
    static Optional<Check.Outcome> onlyOnThisHost(CheckContext c, String what) {
        if (HostRoot.isSystemRoot(c.root())) return Optional.empty();
        return Optional.of(Check.Outcome.skip(what + " is this host's, not the tree's under " + c.root()
                + ": checked when verify runs on / (after 'kiban apply' there)"));
    }

    /**
     * What postfix's queue ({@code postqueue -j}: one JSON object per message) holds back: the count of
     * deferred messages and the newest reason postfix gives, printable and cut short; empty when none.
     */
    static Optional<String> deferred(String postqueueJson) {
        int count = 0;
        String reason = "";
        long newest = Long.MIN_VALUE;
        for (String line : postqueueJson.split("\n")) {
            if (line.isBlank()) continue;
            try {
                JsonNode m = JSON.readTree(line);
                if (!m.path("queue_name").asText().equals("deferred")) continue;
                count++;
                long arrival = m.path("arrival_time").asLong();
                for (JsonNode r : m.path("recipients")) {
                    String why = r.path("delay_reason").asText("");
                    if (!why.isEmpty() && arrival >= newest) {
                        newest = arrival;
                        reason = why;
                    }
                }
            } catch (IOException e) {
                // a line that is not JSON (an older postqueue) is not a message
            }
        }
        if (count == 0) return Optional.empty();
        String printable = reason.replaceAll("[^\\x20-\\x7e]", "?");
        if (printable.length() > 200) printable = printable.substring(0, 200) + "...";
        return Optional.of(count + (count == 1 ? " message is" : " messages are") + " deferred in postfix's queue"
                + (printable.isEmpty() ? "" : ", the newest because: " + printable)
                + " (postqueue -p lists them; fix the relay, then postqueue -f)");
    }

    /** loopback-only, or only loopback addresses and names (postfix takes commas or spaces between them). */
    static boolean loopbackOnly(String interfaces) {
        if (interfaces.equals("loopback-only")) return true;
        List<String> each = List.of(interfaces.split("[,\\s]+")).stream().filter(s -> !s.isEmpty()).toList();
        return !each.isEmpty() && each.stream().allMatch(SpecText::isLoopback);
    }

    /** The first line 127.0.0.1:{@code port} sends within 3 s, printable and cut short; empty if none. */
    static Optional<String> banner(int port) {
        long deadline = System.nanoTime() + BANNER_MILLIS * 1_000_000L;
        try (Socket socket = new Socket()) {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            socket.connect(new InetSocketAddress(loopback, port), BANNER_MILLIS);
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            while (line.length() < 512) {
                int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
                if (System.nanoTime() >= deadline) return Optional.empty();
                socket.setSoTimeout(left);
                int b = in.read();
                if (b < 0 || b == '\n') break;
                if (b >= 0x20 && b < 0x7f) line.append((char) b);
            }
            return line.isEmpty() ? Optional.empty() : Optional.of(line.length() > 120
                    ? line.substring(0, 120) + "..." : line.toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Check noDrift() {
        return new NamedCheck("host-no-drift", "unit", "R11.1, R2, R7", "host files match what kiban renders", c -> {
            Plan plan = HostPlanner.plan(c.spec(), c.root());
            List<String> differ = plan.files().stream().filter(f -> f.change() != Plan.Change.UNCHANGED)
                    .map(f -> f.artifact().path() + (f.change() == Plan.Change.CREATE ? " (missing)" : " (differs)"))
                    .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
            plan.removals().forEach(r -> differ.add(r.path() + " (" + r.why().replaceFirst(":.*", "") + ")"));
            if (differ.isEmpty()) return Check.Outcome.pass(plan.files().size() + " files as rendered");
            return Check.Outcome.fail(differ.size() + " of " + plan.files().size()
                    + " files differ; 'kiban plan' shows how: " + String.join(", ",
                    differ.subList(0, Math.min(4, differ.size()))) + (differ.size() > 4 ? ", ..." : ""));
        });
    }
}
