package dev.kiban.audit;

import java.util.List;
import java.util.Map;

/**
 * The host's hardening services as the audit found them, each part its own {@link Fact}: a part that asks the
 * running system (fail2ban-client, getenforce, firewall-cmd, nft, iptables) cannot answer for a tree given with
 * {@code --root} and is unreadable there, while the parts read from files still are.
 *
 * @param fail2ban   {@code fail2ban-client status}
 * @param selinux    SELinux's mode now: Enforcing, Permissive or Disabled (rhel)
 * @param labels     the SELinux context of each directory kiban labels, by path; a missing path is absent
 * @param firewall   the firewall kiban renders, as loaded now
 * @param dockerUser {@code iptables -S DOCKER-USER}, one rule a line; empty when there is no such chain
 * @param timers     {@code systemctl is-enabled} of the update timers, by unit
 * @param apt        the effective {@code APT::Periodic::*} settings, keys in lower case (debian)
 * @param journald   the effective {@code [Journal]} settings of journald.conf and its drop-ins
 * @param auditd     {@code systemctl is-active auditd}: whether the audit rules are recorded by anything
 */
public record HostServices(Fact<Fail2ban> fail2ban, Fact<String> selinux, Fact<Map<String, String>> labels,
                           Fact<Firewall> firewall, Fact<List<String>> dockerUser, Fact<Map<String, String>> timers,
                           Fact<Map<String, String>> apt, Fact<Map<String, String>> journald, Fact<String> auditd) {

    /** Whether fail2ban answered, what it said when it did not, and its active jails. */
    public record Fail2ban(boolean running, String state, List<String> jails) {}

    /**
     * Whether the firewall runs ({@code firewall-cmd --state}; on debian, whether nft could list the tables), what
     * it said, and what is loaded: firewalld's default and active zones, or nftables' tables ({@code inet kiban}).
     */
    public record Firewall(boolean running, String state, List<String> loaded) {}
}
