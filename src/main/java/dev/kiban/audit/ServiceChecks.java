package dev.kiban.audit;

import static dev.kiban.audit.AuditCheck.Need.SERVICES;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.PortRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The design's host hardening, live: fail2ban's jails (R7.3), SELinux and its labels (R7.4, D8), the host
 * firewall and DOCKER-USER (R3.4, D7), automatic updates (R7.5) and journald's retention (R6.1), each against
 * what kiban renders for the spec's family. A part of the facts that could not be read (a running service under
 * {@code --root}) makes its check ERROR, saying why.
 */
final class ServiceChecks {
    static final String VOLUME_LABEL = "container_file_t";
    static final String KIBAN_TABLE = "inet kiban";
    static final String DOCKER_USER_SCRIPT = "/usr/local/libexec/kiban/docker-user-rules";
    static final String JOURNALD_DROPIN = "/etc/systemd/journald.conf.d/50-kiban.conf";

    private ServiceChecks() {}

    static void add(Catalogue.Builder b) {
        b.add("kiban.fail2ban", Severity.HIGH, Set.of(SERVICES), "security.fail2ban.jails", "/etc/fail2ban/jail.local",
                ServiceChecks::fail2ban);
        b.add("kiban.selinux", Severity.HIGH, Set.of(SERVICES), "security.selinux.mode", "/etc/selinux/config",
                ServiceChecks::selinux);
        b.add("kiban.selinux.labels", Severity.MEDIUM, Set.of(SERVICES), "storage.volumes", "",
                ServiceChecks::labels);
        b.add("kiban.firewall", Severity.HIGH, Set.of(SERVICES), "security.firewall.zone", "",
                ServiceChecks::firewall);
        b.add("kiban.firewall.docker-user", Severity.HIGH, Set.of(SERVICES), "ports.public", DOCKER_USER_SCRIPT,
                ServiceChecks::dockerUser);
        b.add("kiban.updates", Severity.MEDIUM, Set.of(SERVICES), "security.updates.apply", "",
                ServiceChecks::updates);
        b.add("kiban.journald", Severity.LOW, Set.of(SERVICES), "monitor.journalRetention", JOURNALD_DROPIN,
                ServiceChecks::journald);
    }

    private static boolean rhel(AuditFacts f) {
        return f.spec().host().family() == Family.RHEL;
    }

    private static Finding error(Fact<?> fact) {
        return new Finding(Status.ERROR, fact.error(), "", "run again when it can be read");
    }

    /** The jails kiban renders into jail.local for the spec (Fail2banJails): sshd and docker-api, when listed. */
    static List<String> jails(PlatformSpec spec) {
        return spec.security().fail2ban().jails().stream().filter(j -> j.equals("sshd") || j.equals("docker-api"))
                .distinct().toList();
    }

    static Finding fail2ban(AuditFacts f) {
        Fact<HostServices.Fail2ban> fact = f.services().get().fail2ban();
        if (!fact.present()) return error(fact);
        HostServices.Fail2ban f2b = fact.get();
        if (!f2b.running()) {
            return Finding.fail("fail2ban is not running: " + f2b.state(), "run 'kiban apply' (it installs fail2ban "
                    + "and runs 'systemctl enable --now fail2ban'); 'systemctl status fail2ban' says why it stopped");
        }
        List<String> wanted = jails(f.spec());
        List<String> missing = wanted.stream().filter(j -> !f2b.jails().contains(j)).toList();
        String active = f2b.jails().isEmpty() ? "no jail" : "jails " + String.join(", ", f2b.jails());
        if (missing.isEmpty()) {
            return Finding.pass("fail2ban running with " + active
                    + (wanted.isEmpty() ? " (the spec enables none)" : ""));
        }
        return Finding.fail("fail2ban running with " + active + "; not active: " + String.join(", ", missing),
                "run 'kiban apply' (it renders the jails into /etc/fail2ban/jail.local and reloads fail2ban); "
                        + "'fail2ban-client -t' says why a jail does not start");
    }

    static Finding selinux(AuditFacts f) {
        if (!rhel(f)) return Finding.pass("the host is debian: AppArmor confines the containers (SELinux does not "
                + "apply)");
        Fact<String> fact = f.services().get().selinux();
        if (!fact.present()) return error(fact);
        String mode = fact.get();
        if (mode.equalsIgnoreCase("Enforcing")) return Finding.pass("SELinux Enforcing");
        String spec = f.spec().security().selinux().mode();
        String remedy;
        if (!spec.equals("enforcing")) {
            remedy = Rules.apply("security.selinux.mode", "to enforcing");
        } else if (mode.equalsIgnoreCase("Permissive")) {
            remedy = "run 'setenforce 1' now; /etc/selinux/config (kiban apply) keeps it enforcing at the next boot";
        } else {
            remedy = "run 'kiban apply' (it sets SELINUX=enforcing and plans the relabel) and reboot";
        }
        return Finding.fail("SELinux " + mode + ", the design requires enforcing (R7.4)"
                + (spec.equals("enforcing") ? "" : "; the spec says " + spec), remedy);
    }

    static Finding labels(AuditFacts f) {
        if (!rhel(f)) return Finding.pass("the host is debian: AppArmor confines the containers (no SELinux labels)");
        String mode = f.spec().security().selinux().mode();
        if (!mode.equals("enforcing")) {
            return Finding.pass("kiban labels the volume tree when security.selinux.mode is enforcing; it is " + mode);
        }
        Fact<Map<String, String>> fact = f.services().get().labels();
        if (!fact.present()) return error(fact);
        String volumes = f.spec().storage().volumes().value();
        String remedy = "run 'kiban apply' (semanage fcontext -a -t " + VOLUME_LABEL + " for " + volumes
                + " and everything under it, then restorecon -R)";
        String label = fact.get().get(volumes);
        if (label == null) return Finding.fail(volumes + " does not exist", "run 'kiban apply' (it creates and "
                + "labels it)");
        if (label.isEmpty()) return Finding.fail(volumes + " has no SELinux label", remedy);
        String[] parts = label.split(":");
        if (parts.length >= 3 && parts[2].equals(VOLUME_LABEL)) return Finding.pass(volumes + " " + label);
        return Finding.fail(volumes + " " + label + ", not " + VOLUME_LABEL
                + ": containers are refused its bind mounts (D8)", remedy);
    }

    static Finding firewall(AuditFacts f) {
        Fact<HostServices.Firewall> fact = f.services().get().firewall();
        if (!fact.present()) return error(fact);
        HostServices.Firewall fw = fact.get();
        if (rhel(f)) {
            String zone = f.spec().security().firewall().zone();
            if (!fw.running()) return Finding.fail("firewalld is not running: " + fw.state(),
                    "run 'kiban apply' (it installs firewalld and runs 'systemctl enable --now firewalld')");
            if (fw.loaded().contains(zone)) return Finding.pass("firewalld " + fw.state() + ", zone " + zone
                    + " in use");
            return Finding.fail("firewalld " + fw.state() + ", but kiban's zone " + zone + " is not in use (zones in "
                    + "use: " + (fw.loaded().isEmpty() ? "none" : String.join(", ", fw.loaded())) + ")",
                    "firewall-cmd --set-default-zone=" + zone + ", or "
                            + Rules.apply("security.firewall.zone", "to the zone in use"));
        }
        if (!fw.running()) return Finding.fail("nftables could not be asked: " + fw.state(),
                "run 'kiban apply' (it installs nftables and loads kiban's table)");
        if (fw.loaded().contains(KIBAN_TABLE)) return Finding.pass("nftables: table " + KIBAN_TABLE + " loaded");
        return Finding.fail("nftables has no table " + KIBAN_TABLE + ": the host firewall kiban renders is not "
                + "loaded (tables: " + (fw.loaded().isEmpty() ? "none" : String.join(", ", fw.loaded())) + ")",
                "run 'kiban apply' (it enables kiban-firewall.service, which loads /etc/nftables.d/kiban.nft)");
    }

    /**
     * The rules kiban's DOCKER-USER script appends, as {@code iptables -S} prints them: established traffic
     * returns, the Docker API's ports are dropped, each public port returns, and any other new connection to a
     * published port is dropped.
     */
    static List<String> dockerUserRules(PlatformSpec spec) {
        List<String> out = new ArrayList<>();
        out.add("-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN");
        for (PortRange api : spec.ports().forbidden()) {
            out.add("-A DOCKER-USER -p tcp -m conntrack --ctorigdstport " + iptPort(api) + " -j DROP");
        }
        for (PlatformSpec.PublicPort p : spec.ports().publicPorts()) {
            String proto = p.protocol().orElse(PlatformSpec.Protocol.TCP).name().toLowerCase(Locale.ROOT);
            out.add("-A DOCKER-USER -p " + proto + " -m conntrack --ctorigdstport " + iptPort(p.port()) + " -j RETURN");
        }
        out.add(NEW_DROP);
        return out;
    }

    static final String NEW_DROP = "-A DOCKER-USER -m conntrack --ctstate NEW -j DROP";

    private static String iptPort(PortRange p) {
        return p.from() == p.to() ? String.valueOf(p.from()) : p.from() + ":" + p.to();
    }

    static Finding dockerUser(AuditFacts f) {
        Fact<List<String>> fact = f.services().get().dockerUser();
        if (!fact.present()) return error(fact);
        List<String> rules = fact.get();
        String remedy = "run 'kiban apply' (it enables kiban-docker-user.service, which fills the chain); "
                + "'systemctl restart kiban-docker-user.service' fills it again";
        if (rules.isEmpty()) return Finding.fail("no DOCKER-USER chain: published ports bypass the host firewall (D7)",
                remedy);
        List<String> missing = dockerUserRules(f.spec()).stream().filter(r -> !rules.contains(r)).toList();
        if (!missing.isEmpty()) {
            return Finding.fail("DOCKER-USER lacks " + missing.size() + " of kiban's rules: "
                    + String.join("; ", missing.subList(0, Math.min(3, missing.size())))
                    + (missing.size() > 3 ? "; ..." : ""), remedy);
        }
        int drop = rules.indexOf(NEW_DROP);
        for (int i = 0; i < drop; i++) {
            String r = rules.get(i);
            if (r.startsWith("-A ") && (r.endsWith(" -j RETURN") || r.endsWith(" -j ACCEPT"))
                    && !r.contains(" -m ") && !r.contains(" -i ") && !r.contains(" -p ") && !r.contains(" -s ")) {
                return Finding.fail("DOCKER-USER lets everything through before kiban's drop of new connections ("
                        + r + ")", remedy);
            }
        }
        return Finding.pass("DOCKER-USER holds kiban's " + dockerUserRules(f.spec()).size() + " rules ("
                + rules.stream().filter(r -> r.startsWith("-A ")).count() + " in the chain)");
    }

    static Finding updates(AuditFacts f) {
        var u = f.spec().security().updates();
        if (!u.apply()) return Finding.pass("the spec does not apply updates automatically "
                + "(security.updates.apply is false)");
        HostServices s = f.services().get();
        if (!s.timers().present()) return error(s.timers());
        List<String> problems = new ArrayList<>();
        s.timers().get().forEach((unit, state) -> {
            if (!state.equals("enabled")) problems.add(unit + " is " + state);
        });
        if (rhel(f)) {
            if (problems.isEmpty()) return Finding.pass("dnf-automatic.timer enabled");
            return Finding.fail(String.join("; ", problems), "run 'kiban apply' (it runs 'systemctl enable --now "
                    + "dnf-automatic.timer')");
        }
        if (!s.apt().present()) return error(s.apt());
        Map<String, String> apt = s.apt().get();
        for (String key : List.of("Update-Package-Lists", "Unattended-Upgrade")) {
            String v = apt.getOrDefault("apt::periodic::" + key.toLowerCase(Locale.ROOT), "");
            if (v.isEmpty() || v.equals("0") || !v.matches("\\d+")) {
                problems.add("APT::Periodic::" + key + " is " + (v.isEmpty() ? "not set" : "\"" + shown(v) + "\""));
            }
        }
        if (problems.isEmpty()) {
            return Finding.pass("APT::Periodic::Unattended-Upgrade \""
                    + apt.get("apt::periodic::unattended-upgrade") + "\"; " + String.join(", ",
                    s.timers().get().keySet()) + " enabled");
        }
        return Finding.fail(String.join("; ", problems), "run 'kiban apply' (it writes "
                + "/etc/apt/apt.conf.d/20auto-upgrades; a later file of apt.conf.d that sets the key wins over it) "
                + "and 'systemctl enable --now apt-daily.timer apt-daily-upgrade.timer'");
    }

    /** A value from a file of the host, kept short and printable. */
    private static String shown(String v) {
        String p = v.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }

    /** The retention JournaldRetention renders: the spec's, in whole days, at least one. */
    static long retentionDays(PlatformSpec spec) {
        return Math.max(1, spec.monitor().journalRetention().duration().toDays());
    }

    static Finding journald(AuditFacts f) {
        Fact<Map<String, String>> fact = f.services().get().journald();
        if (!fact.present()) return error(fact);
        Map<String, String> j = fact.get();
        long days = retentionDays(f.spec());
        String storage = j.getOrDefault("Storage", "");
        String retention = j.getOrDefault("MaxRetentionSec", "");
        OptionalLong seconds = ConfigFiles.seconds(retention);
        List<String> problems = new ArrayList<>();
        if (!storage.equals("persistent")) {
            problems.add("Storage=" + (storage.isEmpty() ? " (not set: auto, lost at reboot without /var/log/journal)"
                    : shown(storage)) + ", not persistent");
        }
        if (seconds.isEmpty() || seconds.getAsLong() != days * 86_400) {
            problems.add("MaxRetentionSec=" + (retention.isEmpty() ? " (not set: no limit)" : shown(retention))
                    + ", the spec keeps " + days + "day");
        }
        if (problems.isEmpty()) return Finding.pass("Storage=persistent, MaxRetentionSec=" + retention);
        return Finding.fail(String.join("; ", problems), "run 'kiban apply' (it writes " + JOURNALD_DROPIN
                + "; a drop-in named later, or in /etc over /usr/lib, wins over it)");
    }
}
