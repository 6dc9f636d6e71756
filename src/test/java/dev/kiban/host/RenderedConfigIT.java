package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiban.os.HostPrograms;
import dev.kiban.os.HostRoot;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.testing.HostTools;
import dev.kiban.testing.LiveEngine;
import dev.kiban.testing.HostTools.NetNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rendered file handed to the program that will read it, on this Debian machine. Nothing here
 * writes to the real /etc: files live in temp directories, kernel and firewall settings in throwaway
 * network namespaces, and firewalld and logwatch see their directories through private mount namespaces.
 */
class RenderedConfigIT {
    final HostConfiguration debian = HostConfiguration.render(HostConfigurationTest.spec(Family.DEBIAN));
    final HostConfiguration rhel = HostConfiguration.render(HostConfigurationTest.spec(Family.RHEL));

    static Artifact artifact(HostConfiguration config, String path) {
        return config.artifacts().stream().filter(a -> a.path().equals(path)).findFirst().orElseThrow();
    }

    static Path write(Path dir, Artifact a) throws IOException {
        Path p = HostRoot.resolve(dir, a.path());
        Files.createDirectories(p.getParent());
        Files.writeString(p, a.content());
        return p;
    }

    @Test
    void sshdAcceptsTheHardeningAndRejectsABrokenOne(@TempDir Path dir) throws Exception {
        Path sshd = HostTools.require("sshd");
        Path keygen = HostTools.require("ssh-keygen");
        HostTools.run(keygen.toString(), "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("key").toString());
        Files.createDirectories(Path.of("/run/sshd"));
        Path conf = write(dir, artifact(debian, SshdHardening.PATH));
        HostPrograms.Result ok = HostTools.run(sshd.toString(), "-t", "-f", conf.toString(), "-h",
                dir.resolve("key").toString());
        assertThat(ok.ok()).as(ok.output()).isTrue();

        Files.writeString(conf, Files.readString(conf) + "PermitRootLogin sometimes\n");
        assertThat(HostTools.run(sshd.toString(), "-t", "-f", conf.toString(), "-h", dir.resolve("key").toString())
                .ok()).isFalse();
    }

    @Test
    void fail2banLoadsTheJailsAndTheFilterCatchesApiAttacksOnly(@TempDir Path dir) throws Exception {
        Path client = HostTools.require("fail2ban-client");
        Path regex = HostTools.require("fail2ban-regex");
        Path conf = dir.resolve("fail2ban");
        ReaderChecks.copyTree(Path.of("/etc/fail2ban"), conf);
        Files.writeString(conf.resolve("jail.local"), artifact(rhel, Fail2banJails.JAIL).content());
        Files.writeString(conf.resolve("filter.d/docker-api.conf"), artifact(rhel, Fail2banJails.FILTER).content());
        HostPrograms.Result test = HostTools.run(client.toString(), "-c", conf.toString(), "-t");
        assertThat(test.ok()).as(test.output()).isTrue();
        assertThat(test.output()).contains("OK: configuration test is successful");

        String filter = conf.resolve("filter.d/docker-api.conf").toString();
        String attack = "time=\"2026-11-28T02:00:01.123456789Z\" level=info msg=\"http: TLS handshake error from "
                + "203.0.113.7:41234: "
                + "remote error: tls: bad certificate\"";
        HostPrograms.Result hit = HostTools.run(regex.toString(), "-v", attack, filter);
        assertThat(hit.output()).contains("Failregex: 1 total").containsPattern("\\|\\s+203\\.0\\.113\\.7\\s");
        String normal = "time=\"2026-11-28T02:00:02.000000000Z\" level=info msg=\"API listen on /run/docker.sock\"";
        assertThat(HostTools.run(regex.toString(), normal, filter).output()).contains("Failregex: 0 total");
    }

    @Test
    void aptReadsTheUnattendedUpgradesSettings(@TempDir Path dir) throws Exception {
        Path aptConfig = HostTools.require("apt-config");
        for (Artifact a : debian.artifacts()) {
            if (!a.path().startsWith("/etc/apt/")) continue;
            HostPrograms.Result r = HostTools.run(aptConfig.toString(), "-c", write(dir, a).toString(), "dump");
            assertThat(r.ok()).as(a.path() + ": " + r.output()).isTrue();
            if (a.path().endsWith("unattended-upgrades")) {
                assertThat(r.output())
                        .contains("Unattended-Upgrade::Origins-Pattern:: "
                                + "\"origin=Debian,codename=${distro_codename}-security,label=Debian-Security\";",
                        "Unattended-Upgrade::Package-Blacklist:: \"docker.io\";");
            } else {
                assertThat(r.output()).contains("APT::Periodic::Unattended-Upgrade \"1\";");
            }
        }
    }

    @Test
    void theNftablesTableLoadsAndReloadsInANamespace(@TempDir Path dir) throws Exception {
        HostTools.require("nft");
        Path file = write(dir, artifact(debian, FirewallRules.NFTABLES));
        assertThat(HostTools.run("nft", "-c", "-f", file.toString()).ok()).isTrue();
        try (NetNamespace ns = new NetNamespace()) {
            assertThat(ns.exec("nft", "-f", file.toString()).ok()).isTrue();
            HostPrograms.Result again = ns.exec("nft", "-f", file.toString());
            assertThat(again.ok()).as("a reload replaces the table: " + again.output()).isTrue();
            String table = ns.exec("nft", "list", "table", "inet", "kiban").output();
            assertThat(table).contains("policy drop", "tcp dport 443 accept", "tcp dport 2375 reject",
                    "ip saddr 192.168.10.0/24 tcp dport 2377 accept");
        }
    }

    @Test
    void theDockerUserRulesLoadIntoIptables(@TempDir Path dir) throws Exception {
        HostTools.require("iptables");
        Path script = write(dir, artifact(debian, FirewallRules.DOCKER_USER_SCRIPT));
        try (NetNamespace ns = new NetNamespace()) {
            HostPrograms.Result r = ns.exec("sh", script.toString());
            assertThat(r.ok()).as(r.output()).isTrue();
            assertThat(ns.exec("sh", script.toString()).ok()).as("running it twice is safe").isTrue();
            List<String> rules = ns.exec("iptables", "-S", "DOCKER-USER").output().lines().toList();
            assertThat(rules).contains("-A DOCKER-USER -p tcp -m conntrack --ctorigdstport 443 -j RETURN",
                    "-A DOCKER-USER -p tcp -m conntrack --ctorigdstport 2375 -j DROP",
                    "-A DOCKER-USER -m conntrack --ctstate NEW -j DROP");
            assertThat(rules.stream().filter(l -> l.contains("--ctorigdstport 443")).count()).isEqualTo(1);

            // a rule someone added by hand that lets everything through is replaced with the chain
            assertThat(ns.exec("iptables", "-I", "DOCKER-USER", "-j", "ACCEPT").ok()).isTrue();
            assertThat(ns.exec("sh", script.toString()).ok()).isTrue();
            assertThat(ns.exec("iptables", "-S", "DOCKER-USER").output().lines().toList()).isEqualTo(rules);

            // re-applied (docker restarting takes the unit with it) while something reads the chain: the reader
            // never sees it empty or half filled, which would be published ports open to the world for a moment
            Thread reapply = new Thread(() -> {
                try {
                    for (int i = 0; i < 30; i++) ns.exec("sh", script.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            reapply.start();
            List<List<String>> seen = new ArrayList<>();
            while (reapply.isAlive()) seen.add(ns.exec("iptables", "-S", "DOCKER-USER").output().lines().toList());
            reapply.join();
            assertThat(seen).isNotEmpty().allSatisfy(s -> assertThat(s).isEqualTo(rules));
        }
    }

    @Test
    void theNetworkKernelParametersApplyInANamespaceAndTheOthersExist(@TempDir Path dir) throws Exception {
        Map<String, String> params = KernelParameters.parse(artifact(debian, "/etc/sysctl.d/99-docker.conf").content());
        Path netOnly = dir.resolve("net.conf");
        // Only net.* keys are per namespace; fs.* and vm.* would change the real host, so those are only read.
        Files.writeString(netOnly, params.entrySet().stream().filter(e -> e.getKey().startsWith("net.ipv4."))
                .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        try (NetNamespace ns = new NetNamespace()) {
            HostPrograms.Result r = ns.exec("sysctl", "-p", netOnly.toString());
            assertThat(r.ok()).as(r.output()).isTrue();
            assertThat(ns.exec("sysctl", "-n", "net.ipv4.ip_forward").output().strip()).isEqualTo("1");
        }
        for (String key : params.keySet()) {
            assertThat(Path.of("/proc/sys/" + key.replace('.', '/')))
                    .as(key + " exists on this kernel (br_netfilter loaded)").exists();
        }
        assertThat(Path.of("/proc/sys/vm/swappiness")).exists();
    }

    @Test
    void logwatchReportsOnTheDockerServiceItLacksUpstream(@TempDir Path dir) throws Exception {
        HostTools.require("logwatch");
        Path etc = dir.resolve("etc-logwatch");
        for (Artifact a : debian.artifacts()) {
            if (a.reader() != Artifact.Reader.LOGWATCH) continue;
            Path p = etc.resolve(a.path().substring("/etc/logwatch/".length()));
            Files.createDirectories(p.getParent());
            Files.writeString(p, a.content());
            p.toFile().setExecutable(a.mode().contains("x"));
        }
        // The real service reads the journal, which this machine does not run: a sample log file
        // stands in for journalctl, through logwatch's own LogFile mechanism.
        Path log = dir.resolve("docker.log");
        Files.writeString(log, String.join("\n",
                "Nov 28 02:00:01 host dockerd[812]: time=\"2026-11-28T02:00:01Z\" level=error msg=\"Handler for GET "
                        + "/containers/json returned error: write unix /run/docker.sock: broken pipe\"",
                "Nov 28 02:00:02 host dockerd[812]: time=\"2026-11-28T02:00:02Z\" level=info msg=\"API listen on "
                        + "/run/docker.sock\"",
                "Nov 28 02:00:03 host dockerd[812]: time=\"2026-11-28T02:00:03Z\" level=error msg=\"Handler for GET "
                        + "/containers/json returned error: write unix /run/docker.sock: broken pipe\"", ""));
        Path service = etc.resolve("conf/services/docker.conf");
        Files.writeString(service, Files.readString(service).replace("LogFile = none", "LogFile = kiban-sample")
                .replace("*JournalCtl", "#*JournalCtl"));
        Files.createDirectories(etc.resolve("conf/logfiles"));
        Files.writeString(etc.resolve("conf/logfiles/kiban-sample.conf"), "LogFile = " + log + "\n");
        HostPrograms.Result r = HostTools.withMountedOver(etc, "/etc/logwatch",
                "logwatch --service docker --range All --detail Med --output stdout");
        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Docker")
                .contains("Handler for GET /containers/json returned error: write unix /run/docker.sock: broken pipe: "
                        + "2 time(s)")
                .doesNotContain("API listen");
    }

    @Test
    void firewalldAcceptsTheZone(@TempDir Path dir) throws Exception {
        HostTools.require("firewall-offline-cmd");
        Path etc = dir.resolve("etc-firewalld");
        Files.createDirectories(etc.resolve("zones"));
        Path stock = Path.of("/etc/firewalld/firewalld.conf");
        if (Files.exists(stock)) Files.copy(stock, etc.resolve("firewalld.conf"));
        Artifact zone = rhel.artifacts().stream().filter(a -> a.reader() == Artifact.Reader.FIREWALLD)
                .findFirst().orElseThrow();
        Files.writeString(etc.resolve("zones/public.xml"), zone.content());
        HostPrograms.Result r = HostTools.withMountedOver(etc, "/etc/firewalld",
                "firewall-offline-cmd --check-config && firewall-offline-cmd --zone=public --list-all");
        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("ports: 22/tcp 80/tcp 443/tcp")
                .contains("rule family=\"ipv4\" source address=\"192.168.10.0/24\" port port=\"2377\" protocol=\"tcp\" "
                        + "accept")
                .contains("rule family=\"ipv4\" port port=\"2375\" protocol=\"tcp\" reject");
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(LiveEngine.class)
    void aRealDockerdRunsWithTheRenderedDaemonJson(@TempDir Path dir) throws Exception {
        Path dockerd = HostTools.require("dockerd");
        HostTools.require("docker");
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(artifact(debian, DaemonJson.PATH).content());
        // Its own data root (the flag and the key may not both be given), socket, pid and exec root,
        // in its own network namespace, so its docker0 and iptables rules cannot touch the test engine's.
        config.remove("data-root");
        Path configFile = dir.resolve("daemon.json");
        new ObjectMapper().writeValue(configFile.toFile(), config);
        Path sock = dir.resolve("docker.sock");
        HostTools.requireRoot();
        HostTools.require("unshare");
        HostTools.require("nsenter");
        // unshare -n rather than ip netns exec: the latter remounts /sys, hiding the cgroup mounts dockerd needs.
        Process daemon = new ProcessBuilder("unshare", "-n", dockerd.toString(), "--config-file", configFile.toString(),
                "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(), "-H", "unix://" + sock)
                .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
        try {
            JsonNode info = waitForInfo(sock, daemon, dir.resolve("dockerd.log"));
            assertThat(info.get("LoggingDriver").asText()).isEqualTo("json-file");
            assertThat(info.get("Driver").asText()).isEqualTo("overlay2");
            assertThat(info.get("LiveRestoreEnabled").asBoolean()).isFalse();
            assertThat(info.get("DockerRootDir").asText()).isEqualTo(dir.resolve("data").toString());
            // Settings info does not show are checked from inside a container started by this daemon.
            String docker = "docker -H unix://" + sock;
            HostPrograms.Result load = HostTools.run("sh", "-c", "docker save " + LiveEngine.BASE_IMAGE + " | "
                    + docker + " load");
            assertThat(load.ok()).as(load.output()).isTrue();
            // The rendered nofile 64000 needs dockerd's own hard limit at least as high, which docker.service
            // gives it (LimitNOFILE=infinity); this sandbox caps it at 20000, so the test lowers it per container.
            HostPrograms.Result inside = HostTools.run("sh", "-c", docker
                    + " run --rm --network none --ulimit nofile=1024:1024 " + LiveEngine.BASE_IMAGE
                    + " grep NoNewPrivs /proc/self/status");
            assertThat(inside.output()).as("no-new-privileges").containsPattern("NoNewPrivs:\\s+1");
            HostPrograms.Result bridge = HostTools.run("nsenter", "-t", String.valueOf(daemon.pid()), "-n", "ip", "-4",
                    "addr", "show", "docker0");
            assertThat(bridge.output()).contains("172.17.0.1/16");
        } finally {
            daemon.destroy();
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) daemon.destroyForcibly().waitFor();
            HostTools.run("sh", "-c", "grep -o ' " + dir + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l");
        }
    }

    private static JsonNode waitForInfo(Path sock, Process daemon, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new AssertionError("dockerd exited " + daemon.exitValue() + ":\n" + Files.readString(log));
            }
            if (Files.exists(sock)) {
                HostPrograms.Result r = HostTools.run("docker", "-H", "unix://" + sock, "info", "--format",
                        "{{json .}}");
                if (r.ok()) return new ObjectMapper().readTree(r.output());
            }
            Thread.sleep(250);
        }
        throw new AssertionError("dockerd did not answer within 60 s:\n" + Files.readString(log));
    }

    /**
     * postfix takes kiban's keys as postconf -e sets them (the argv apply runs, on a scratch config
     * directory), and postmap and postalias build the login and the aliases into tables it can query.
     */
    @Test
    void postfixTakesTheKeysTheLoginAndTheAliases(@TempDir Path dir) throws Exception {
        Path postconf = HostTools.require("postconf");
        Path postmap = HostTools.require("postmap");
        Path postalias = HostTools.require("postalias");
        HostConfiguration relay = HostConfiguration.render(OutgoingMailTest.spec(Family.DEBIAN, "smtpHost: "
                + "mail.example.org, smtpPort: 587, starttls: true, username: alerts, password: \"pw with space\""));
        Path conf = Files.createDirectories(dir.resolve("postfix"));
        Files.writeString(conf.resolve("main.cf"), "compatibility_level = 3.6\n");
        PlannedCommand set = relay.commands().stream().filter(c -> c.program().equals("postconf")).findFirst()
                .orElseThrow();
        List<String> argv = new java.util.ArrayList<>(List.of(postconf.toString(), "-c", conf.toString()));
        argv.addAll(set.argv().subList(1, set.argv().size()));
        HostPrograms.Result e = HostTools.run(argv.toArray(String[]::new));
        assertThat(e.ok()).as(e.output()).isTrue();
        HostPrograms.Result n = HostTools.run(postconf.toString(), "-c", conf.toString(), "-n");
        assertThat(n.output()).contains("inet_interfaces = loopback-only", "mydestination = $myhostname, localhost",
                "relayhost = [mail.example.org]:587", "smtp_tls_security_level = encrypt",
                "smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd");

        Path login = conf.resolve("sasl_passwd");
        Files.writeString(login, artifact(relay, OutgoingMail.PASSWORDS).content());
        assertThat(HostTools.run(postmap.toString(), "-c", conf.toString(), "hash:" + login).ok()).isTrue();
        assertThat(HostTools.run(postmap.toString(), "-c", conf.toString(), "-q", "[mail.example.org]:587",
                "hash:" + login).output().strip()).isEqualTo("alerts:pw with space");

        Path aliases = conf.resolve("aliases");
        Files.writeString(aliases, artifact(relay, OutgoingMail.ALIASES).content());
        assertThat(HostTools.run(postalias.toString(), "-c", conf.toString(), "hash:" + aliases).ok()).isTrue();
        assertThat(HostTools.run(postalias.toString(), "-c", conf.toString(), "-q", "root", "hash:" + aliases)
                .output().strip()).isEqualTo("ops@example.org");
    }
}
