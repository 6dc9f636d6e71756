package dev.kiban.host;

import dev.kiban.spec.Cidr;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.PlatformSpec.Protocol;
import dev.kiban.spec.PlatformSpec.PublicPort;
import dev.kiban.spec.PortRange;
import dev.kiban.spec.SpecText;
import java.util.ArrayList;
import java.util.List;

/**
 * The host firewall (R3.4, R7.1): firewalld on rhel, an nftables table of kiban's own on debian. Both
 * open SSH and the spec's public ports, keep the Docker API closed, and open Swarm's ports (2377/tcp,
 * 7946/tcp+udp, the VXLAN port/udp) only to the spec's node networks (D15). Published container ports
 * bypass both, since Docker DNATs them before INPUT (D7), so a third file fills the DOCKER-USER chain:
 * only ports in the public classes reach containers from outside.
 */
public final class FirewallRules {
    public static final String DOCKER_USER_SCRIPT = "/usr/local/libexec/kiban/docker-user-rules";
    public static final String DOCKER_USER_UNIT = "/etc/systemd/system/kiban-docker-user.service";
    public static final String NFTABLES = "/etc/nftables.d/kiban.nft";
    public static final String NFTABLES_UNIT = "/etc/systemd/system/kiban-firewall.service";

    private FirewallRules() {}

    record Opening(PortRange port, String protocol) {}

    public static List<Artifact> render(PlatformSpec spec) {
        List<Artifact> out = new ArrayList<>();
        if (spec.host().family() == Family.RHEL) {
            // the zone is a file name here: firewalld's own name rule keeps it one (no '/', no "..")
            String zone = zone(spec);
            out.add(Artifact.config("/etc/firewalld/zones/" + zone + ".xml", firewalldZone(spec),
                    "host firewall zone (R3.4)", Artifact.Reader.FIREWALLD));
        } else {
            out.add(Artifact.config(NFTABLES, nftables(spec), "host firewall table (R3.4)", Artifact.Reader.NFTABLES));
            out.add(Artifact.config(NFTABLES_UNIT, unit("kiban: host firewall (R3.4)",
                    "Before=network-pre.target docker.service\nWants=network-pre.target",
                    "/usr/sbin/nft -f " + NFTABLES, "multi-user.target"), "loads the firewall table at boot (R3.4)",
                    Artifact.Reader.SYSTEMD));
        }
        out.add(Artifact.config(DOCKER_USER_SCRIPT, dockerUserRules(spec),
                "published ports under the host's rules (D7)", Artifact.Reader.SYSTEMD)
                .withMode("rwxr-xr-x"));
        out.add(Artifact.config(DOCKER_USER_UNIT, unit("kiban: rules for published container ports (DOCKER-USER, D7)",
                "After=docker.service\nPartOf=docker.service", DOCKER_USER_SCRIPT, "docker.service"),
                "re-applies the DOCKER-USER rules (D7)", Artifact.Reader.SYSTEMD));
        return out;
    }

    private static String zone(PlatformSpec spec) {
        return SpecText.require("security.firewall.zone", SpecText.Form.ZONE, spec.security().firewall().zone());
    }

    static List<Opening> publicOpenings(PlatformSpec spec) {
        List<Opening> out = new ArrayList<>();
        out.add(new Opening(new PortRange(spec.security().ssh().port(), spec.security().ssh().port()), "tcp"));
        for (PublicPort p : spec.ports().publicPorts()) {
            out.add(new Opening(p.port(), p.protocol().orElse(Protocol.TCP).name().toLowerCase(java.util.Locale.ROOT)));
        }
        return out;
    }

    static List<Opening> swarmOpenings(PlatformSpec spec) {
        int vxlan = spec.swarm().dataPathPort();
        return List.of(new Opening(new PortRange(2377, 2377), "tcp"), new Opening(new PortRange(7946, 7946), "tcp"),
                new Opening(new PortRange(7946, 7946), "udp"), new Opening(new PortRange(vxlan, vxlan), "udp"));
    }

    private static String firewalldZone(PlatformSpec spec) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.append("<!--").append(ManagedFile.header("", "R3.4, D7, D15").stripTrailing()).append(" -->\n");
        x.append("<zone>\n  <short>").append(xml(zone(spec))).append("</short>\n");
        x.append("  <description>kiban: SSH, the public port classes, Swarm only from the node networks; never the "
                + "Docker API.</description>\n");
        for (Opening o : publicOpenings(spec)) {
            x.append("  <port port=\"").append(o.port()).append("\" protocol=\"").append(o.protocol()).append("\"/>\n");
        }
        if (spec.swarm().enabled()) {
            for (Cidr net : spec.swarm().nodeNetworks()) {
                for (Opening o : swarmOpenings(spec)) {
                    x.append("  <rule family=\"ipv4\"><source address=\"").append(xml(net.toString()))
                            .append("\"/><port port=\"")
                            .append(o.port())
                            .append("\" protocol=\"").append(o.protocol()).append("\"/><accept/></rule>\n");
                }
            }
        }
        for (PortRange api : spec.ports().forbidden()) {
            x.append("  <rule family=\"ipv4\"><port port=\"").append(api)
                    .append("\" protocol=\"tcp\"/><reject/></rule>\n");
        }
        return x.append("</zone>\n").toString();
    }

    /** XML's special characters escaped: the values are validated already, and stay inert even if that changes. */
    static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }

    private static String nftables(PlatformSpec spec) {
        StringBuilder n = new StringBuilder("#!/usr/sbin/nft -f\n").append(ManagedFile.header("#", "R3.4, D7, D15"));
        n.append("# Its own table, so reloading it never flushes Docker's rules.\n");
        n.append("table inet kiban\ndelete table inet kiban\n\ntable inet kiban {\n");
        n.append("  chain input {\n    type filter hook input priority filter; policy drop;\n");
        n.append("    ct state established,related accept\n    ct state invalid drop\n    iif lo accept\n");
        n.append("    meta l4proto { icmp, ipv6-icmp } accept\n");
        n.append("    iifname { \"docker0\", \"docker_gwbridge\", \"br-*\" } accept comment \"containers reaching the "
                + "host\"\n");
        for (PortRange api : spec.ports().forbidden()) {
            n.append("    tcp dport ").append(nftPort(api)).append(" reject comment \"the Docker API (R3.4)\"\n");
        }
        for (Opening o : publicOpenings(spec)) {
            n.append("    ").append(o.protocol()).append(" dport ").append(nftPort(o.port())).append(" accept\n");
        }
        if (spec.swarm().enabled()) {
            for (Cidr net : spec.swarm().nodeNetworks()) {
                for (Opening o : swarmOpenings(spec)) {
                    n.append("    ip saddr ").append(net).append(' ').append(o.protocol()).append(" dport ")
                            .append(nftPort(o.port()))
                            .append(" accept comment \"Swarm (D15)\"\n");
                }
            }
        }
        n.append("  }\n}\n");
        return n.toString();
    }

    private static String nftPort(PortRange p) {
        return p.from() == p.to() ? String.valueOf(p.from()) : p.from() + "-" + p.to();
    }

    private static String dockerUserRules(PlatformSpec spec) {
        StringBuilder s = new StringBuilder("#!/bin/sh\n").append(ManagedFile.header("#", "D7"));
        s.append("# Docker publishes ports by DNAT before the host firewall's INPUT rules see them; this chain is\n")
                .append("# where the host decides which published ports the outside may reach. One iptables-restore\n")
                .append("# replaces the chain in a single commit: never a moment with it empty (ports open) or half\n")
                .append("# filled, and --noflush leaves Docker's own chains alone.\n")
                .append("set -e\n")
                .append("exec iptables-restore -w --noflush <<'RULES'\n")
                .append("*filter\n")
                .append(":DOCKER-USER - [0:0]\n")
                .append("-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\n")
                .append("-A DOCKER-USER -i docker0 -j RETURN\n")
                .append("-A DOCKER-USER -i docker_gwbridge -j RETURN\n")
                .append("-A DOCKER-USER -i br-+ -j RETURN\n")
                .append("-A DOCKER-USER -i lo -j RETURN\n");
        for (PortRange api : spec.ports().forbidden()) {
            s.append("-A DOCKER-USER -p tcp -m conntrack --ctorigdstport ").append(iptPort(api)).append(" -j DROP\n");
        }
        for (Opening o : publicOpenings(spec).subList(1, publicOpenings(spec).size())) {
            s.append("-A DOCKER-USER -p ").append(o.protocol()).append(" -m conntrack --ctorigdstport ")
                    .append(iptPort(o.port())).append(" -j RETURN\n");
        }
        s.append("-A DOCKER-USER -m conntrack --ctstate NEW -j DROP\n")
                .append("-A DOCKER-USER -j RETURN\n")
                .append("COMMIT\n")
                .append("RULES\n");
        return s.toString();
    }

    private static String iptPort(PortRange p) {
        return p.from() == p.to() ? String.valueOf(p.from()) : p.from() + ":" + p.to();
    }

    private static String unit(String description, String ordering, String exec, String wantedBy) {
        return ManagedFile.header("#", "R3.4, D7") + "[Unit]\nDescription=" + description + "\n" + ordering + "\n\n"
                + "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=" + exec + "\n\n"
                + "[Install]\nWantedBy=" + wantedBy + "\n";
    }
}
