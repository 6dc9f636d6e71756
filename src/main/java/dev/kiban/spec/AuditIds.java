package dev.kiban.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids an audit knows, with their titles: every check of the CIS Docker Benchmark v1.6.0 (as its
 * numbering goes) and kiban's own ({@code kiban.…}). Here, below the audit, so that the spec can refuse
 * a waiver for an id no check has; the audit's catalogue is tested to hold exactly these.
 */
public final class AuditIds {
    private static final String CIS = "cis-docker-1.6.0.txt";
    private static final Map<String, String> ALL = load();

    private AuditIds() {}

    /** Every known id and its title, CIS first in the benchmark's order, then kiban's. */
    public static Map<String, String> all() {
        return ALL;
    }

    public static boolean known(String id) {
        return ALL.containsKey(id);
    }

    private static Map<String, String> load() {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = AuditIds.class.getResourceAsStream(CIS)) {
            if (in == null) throw new IllegalStateException(CIS + " is missing from kiban's classes");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int bar = line.indexOf('|');
                if (bar > 0) out.put(line.substring(0, bar), line.substring(bar + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.put("kiban.api.tcp", "The Docker API does not listen on TCP (R3.4, R7.6)");
        out.put("kiban.socket.owner", "The Docker socket is owned by root:docker");
        out.put("kiban.socket.mode", "The Docker socket is not writable by others (660 or stricter)");
        out.put("kiban.ssh.password", "sshd refuses password logins, as the spec says (R7.2)");
        out.put("kiban.ssh.rootlogin", "sshd refuses root logins, as the spec says (R7.2)");
        out.put("kiban.ssh.pubkey", "sshd accepts public keys, as the spec says (R7.2)");
        out.put("kiban.ssh.allowusers", "sshd admits only the spec's users (R7.2)");
        out.put("kiban.fail2ban", "fail2ban runs with every jail the spec enables (R7.3)");
        out.put("kiban.selinux", "SELinux is enforcing on rhel (R7.4)");
        out.put("kiban.selinux.labels", "The volume tree is labelled container_file_t on rhel (R7.4, D8)");
        out.put("kiban.firewall", "The host firewall kiban renders is loaded (R3.4)");
        out.put("kiban.firewall.docker-user", "DOCKER-USER holds kiban's rules for published ports (D7)");
        out.put("kiban.updates", "Automatic security updates are enabled, as the spec says (R7.5)");
        out.put("kiban.journald", "journald keeps the spec's retention, persistently (R6.1)");
        out.put("kiban.swarm", "Swarm mode is on, as the design requires (R8)");
        out.put("kiban.image.pinned", "Running containers' images are pinned by digest");
        out.put("kiban.image.age", "Running containers' images were built recently (audit.maxImageAgeDays)");
        return Collections.unmodifiableMap(out);
    }
}
