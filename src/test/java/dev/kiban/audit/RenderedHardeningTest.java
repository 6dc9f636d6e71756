package dev.kiban.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.host.Artifact;
import dev.kiban.host.DockerAuditRules;
import dev.kiban.host.HostConfiguration;
import dev.kiban.spec.AuditedPaths;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What kiban apply renders, fed to the audit's checks: the audit (which may not import the host) expects what the
 * host renders, for each family, so that a host as apply leaves it passes. Here, in the tests, the two meet.
 */
class RenderedHardeningTest {
    static final String SPEC = Recorded.SPEC + """
            ports:
              public:
                - {port: "443", class: web}
                - {port: "8000-8100", class: app, protocol: udp}
            """;

    static Recorded applied(Family family) {
        Recorded r = new Recorded();
        r.spec = SpecDocument.parse("kiban.yaml", SPEC, false).require().resolved(family, "192.168.10.5");
        HostConfiguration config = HostConfiguration.render(r.spec);
        r.auditRules = content(config, DockerAuditRules.PATH);
        // every path there is, so that none passes for being absent
        AuditedPaths.BY_ID.values().stream().filter(p -> !AuditedPaths.unit(p) && AuditedPaths.applies(p, family))
                .forEach(p -> r.files.put(p, new FileFact(p, true, "root", "root", 0644)));
        r.journaldFiles = new ArrayList<>(List.of(content(config, "/etc/systemd/journald.conf.d/50-kiban.conf")));
        r.aptFiles = new ArrayList<>(config.artifacts().stream()
                .filter(a -> a.path().startsWith("/etc/apt/apt.conf.d/"))
                .sorted(Comparator.comparing(Artifact::path)).map(Artifact::content).toList());
        // what iptables -S prints once the script has run: the chain, then each appended rule
        String script = content(config, "/usr/local/libexec/kiban/docker-user-rules");
        StringBuilder chain = new StringBuilder("-N DOCKER-USER\n");
        script.lines().filter(l -> l.startsWith("-A DOCKER-USER ")).forEach(l -> chain.append(l).append('\n'));
        r.dockerUser = chain.toString();
        return r;
    }

    static String content(HostConfiguration config, String path) {
        return config.artifacts().stream().filter(a -> a.path().equals(path)).findFirst().orElseThrow().content();
    }

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void afterApplyTheAuditRuleChecksPassOnTheRenderedRules(Family family) {
        Recorded r = applied(family);
        for (String id : AuditedPaths.BY_ID.keySet()) {
            AuditResult result = r.result(id);
            assertThat(result.status()).as(id + ": " + result.evidence()).isEqualTo(Status.PASS);
            boolean absent = family == Family.DEBIAN && id.equals("1.1.13");
            assertThat(result.evidence()).as(id).startsWith(absent ? "/etc/sysconfig/docker absent" : "audited: -w ");
        }
        // rules on disk while auditd is down (a container host): a warning, not a pass
        r.auditd = "inactive";
        assertThat(r.result("1.1.5").status()).isEqualTo(Status.WARN);
        assertThat(r.result("1.1.5").evidence()).contains("but auditd is inactive: nothing is recorded");
        r.auditd = "active";
        r.auditRules = r.auditRules.replace("-w /usr/bin/runc -k docker\n", "");
        assertThat(r.result("1.1.18").status()).isEqualTo(Status.FAIL);
        // a directory's watch covers what is under it: daemon.json stays audited through /etc/docker's
        r.auditRules = r.auditRules.replace("-w /etc/docker/daemon.json -k docker\n", "");
        assertThat(r.result("1.1.11").evidence()).isEqualTo("audited: -w /etc/docker -k docker");
    }

    @ParameterizedTest
    @EnumSource(value = Family.class, names = {"RHEL", "DEBIAN"})
    void afterApplyTheServiceChecksPassOnWhatWasRendered(Family family) {
        Recorded r = applied(family);
        for (String id : List.of("kiban.journald", "kiban.updates", "kiban.firewall.docker-user")) {
            assertThat(r.result(id).status()).as(id + ": " + r.result(id).evidence()).isEqualTo(Status.PASS);
        }
        assertThat(ServiceChecks.dockerUserRules(r.spec)).contains(
                "-A DOCKER-USER -p udp -m conntrack --ctorigdstport 8000:8100 -j RETURN");
    }

    @Test
    void theNamesTheChecksExpectAreTheOnesTheHostRenders() {
        Recorded debian = applied(Family.DEBIAN);
        HostConfiguration d = HostConfiguration.render(debian.spec);
        assertThat(content(d, "/etc/nftables.d/kiban.nft")).contains("table " + ServiceChecks.KIBAN_TABLE + " {");
        assertThat(d.commands()).anyMatch(c -> c.argv().equals(List.of("systemctl", "enable", "--now",
                "kiban-docker-user.service")));
        String jail = content(d, "/etc/fail2ban/jail.local");
        for (String j : ServiceChecks.jails(debian.spec)) assertThat(jail).contains("\n[" + j + "]\nenabled = true");
        assertThat(ServiceChecks.jails(debian.spec)).containsExactly("sshd", "docker-api");
        Recorded rhel = applied(Family.RHEL);
        HostConfiguration h = HostConfiguration.render(rhel.spec);
        assertThat(h.artifacts()).anyMatch(a -> a.path().equals("/etc/firewalld/zones/"
                + rhel.spec.security().firewall().zone() + ".xml"));
        for (String timer : AuditGatherer.updateTimers(Family.RHEL)) {
            assertThat(h.commands()).anyMatch(c -> c.argv().equals(List.of("systemctl", "enable", "--now", timer)));
        }
        assertThat(h.commands()).anyMatch(c -> c.argv().equals(List.of("semanage", "fcontext", "-a", "-t",
                ServiceChecks.VOLUME_LABEL, rhel.spec.storage().volumes().value() + "(/.*)?")));
        assertThat(h.artifacts()).anyMatch(a -> a.path().equals(ServiceChecks.DOCKER_USER_SCRIPT));
        assertThat(h.artifacts()).anyMatch(a -> a.path().equals(ServiceChecks.JOURNALD_DROPIN));
    }
}
