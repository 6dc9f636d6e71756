package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.kiban.engine.DockerEngine;
import dev.kiban.engine.Engine;
import dev.kiban.os.HostPrograms;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.testing.DiscordReceiver;
import dev.kiban.testing.HostTools;
import dev.kiban.testing.LiveEngine;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on the real engine with the default rules (their 'for' shortened): containers that burn
 * CPU, fill memory, crash, loop on restart and log errors, a filesystem that fills; every alert arrives
 * on its channel once, and resolves once. Discord is a local stand-in that rate-limits; mail goes to a
 * real SMTP server.
 */
@ExtendWith(LiveEngine.class)
class MonitorIT {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(0, "127.0.0.1",
            ServerSetup.PROTOCOL_SMTP).dynamicPort());

    @TempDir
    Path dir;

    PlatformSpec spec(String extraRules) throws Exception {
        Path file = dir.resolve("kiban.yaml");
        Files.writeString(file, """
                admin: {email: ops@example.org}
                security: {ssh: {allowUsers: [deploy]}}
                monitor:
                  interval: 1s
                  state: %s
                  channels:
                    discord: {webhook: env:DISCORD_WEBHOOK}
                    mail: {smtpHost: 127.0.0.1, smtpPort: %d, from: kiban@ws1.example.org, to: [ops@example.org]}
                  rules:
                    - {name: cpu-high, metric: cpu, above: 80%%, for: 2s, channels: [discord]}
                    - {name: memory-high, metric: memory, above: 70%%, for: 2s, channels: [discord, mail]}
                    - {name: disk-high, metric: disk, above: 80%%, for: 2s, channels: [mail]}
                    - {name: container-down, metric: container-down, channels: [discord]}
                    - {name: restart-loop, metric: restart-loop, count: 3, window: 10m, channels: [discord]}
                    - {name: log-errors, metric: log-errors, channels: [mail]}
                    - {name: backup-failed, metric: backup, channels: [mail]}
                %s""".formatted(dir.resolve("state"), SMTP.getSmtp().getPort(), extraRules));
        return dev.kiban.spec.SpecFiles.find(file.toString()).require();
    }

    MonitorAgent agent(PlatformSpec spec, String webhook, List<Path> filesystems, StringWriter log) throws Exception {
        Engine engine = DockerEngine.connect(LiveEngine.address());
        Map<String, Channel> channels = ChannelSettings.of(spec, Map.of("DISCORD_WEBHOOK", webhook),
                ChannelSettings.used(spec));
        Collector collector = new Collector(engine, CgroupFiles.system(), HostFacts.read(), filesystems,
                dir.resolve("backup.log"), HostPrograms.system());
        return new MonitorAgent(engine, () -> DockerEngine.connect(LiveEngine.address()), collector,
                AlertPolicy.of(spec), channels,
                new MonitorState(dir.resolve("state")), "ws1", Clock.systemUTC(), new PrintWriter(log, true));
    }

    static List<String> titles(DiscordReceiver discord) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : discord.messages()) m.path("embeds").forEach(e -> out.add(e.path("title").asText()));
        return out;
    }

    static List<String> mailLines() throws Exception {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : SMTP.getReceivedMessages()) ((String) m.getContent()).lines()
                .filter(l -> l.startsWith("FIRING") || l.startsWith("RESOLVED")).forEach(out::add);
        return out;
    }

    static void await(String what, Duration max, Predicate<Void> done, MonitorAgent agent,
            StringWriter log) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            agent.sweep();
            if (done.test(null)) return;
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting for " + what + "; agent log:\n" + log);
    }

    static long count(List<String> lines, String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    @Test
    void everyDefaultRuleFiresAndResolvesOnceOnItsChannel(LiveEngine live) throws Exception {
        HostTools.requireRoot();
        Path disk = dir.resolve("disk");
        Files.createDirectories(disk);
        assertThat(HostTools.run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.toString()).ok()).isTrue();
        StringWriter log = new StringWriter();
        try (DiscordReceiver discord = new DiscordReceiver(); MonitorAgent agent = agent(spec(""),
                discord.webhookUrl(), List.of(disk), log)) {
            agent.start();
            var docker = LiveEngine.docker();
            discord.rateLimit(3, 0.3); // a 429 storm at the start: ridden out, nothing lost, nothing twice
            String burner = live.create("kiban-it-cpu", c -> c.withCmd("sh", "-c",
                    "trap 'exit 0' TERM; while :; do :; done")
                    .withHostConfig(HostConfig.newHostConfig().withNanoCPUs(200_000_000L)));
            String filler = live.create("kiban-it-mem", c -> c.withCmd("sh", "-c",
                    "trap 'exit 0' TERM; dd if=/dev/zero of=/dev/shm/fill bs=1M count=50 2>/dev/null; while :; do "
                    + "sleep 1; done")
                    .withHostConfig(HostConfig.newHostConfig().withMemory(64L << 20).withMemorySwap(64L << 20)));
            String victim = live.create("kiban-it-victim", c -> c.withCmd("sh", "-c",
                    "trap 'exit 0' TERM; while :; do sleep 1; done"));
            String stopped = live.create("kiban-it-stopped", c -> c.withCmd("sh", "-c",
                    "trap 'exit 0' TERM; while :; do sleep 1; done"));
            String looper = live.create("kiban-it-loop", c -> c.withCmd("sh", "-c", "sleep 1; exit 3")
                    .withHostConfig(HostConfig.newHostConfig().withRestartPolicy(RestartPolicy.alwaysRestart())));
            String logger = live.create("kiban-it-logs", c -> c.withCmd("sh", "-c",
                    "trap 'exit 0' TERM; sleep 2; echo 'ERROR: connection to db refused'; while :; do sleep 1; done"));
            for (String name : List.of(burner, filler, victim, stopped, looper, logger)) {
                docker.startContainerCmd(name).exec();
            }
            Thread.sleep(1500);
            docker.killContainerCmd(victim).exec(); // SIGKILL: a crash
            docker.stopContainerCmd(stopped).withTimeout(5).exec(); // deliberate: no alert
            Files.write(disk.resolve("fill"), new byte[(int) (3.5 * (1 << 20))]);
            Files.writeString(dir.resolve("backup.log"), java.time.Instant.now()
                    + " FAILED /mnt/backup/docker: the backup disk is full\n");

            await("every rule to fire", Duration.ofSeconds(60), v -> {
                List<String> t = titles(discord);
                try {
                    List<String> mail = mailLines();
                    return count(t, "FIRING cpu-high/" + burner) == 1 && count(t, "FIRING memory-high/" + filler) == 1
                            && count(t, "FIRING container-down/" + victim) == 1
                            && count(t, "FIRING restart-loop/" + looper) == 1
                            && count(mail, "memory-high/" + filler) == 1 && count(mail, "disk-high/" + disk) == 1
                            && count(mail, "log-errors/" + logger) == 1
                            && count(mail, "FIRING   backup-failed/backup: the backup of ") == 1;
                } catch (Exception e) {
                    return false;
                }
            }, agent, log);
            assertThat(titles(discord)).noneMatch(t -> t.contains(stopped));
            assertThat(discord.answered429()).isEqualTo(3);
            assertThat(mailLines()).anyMatch(l -> l.contains("log-errors/" + logger)
                    && l.contains("ERROR: connection to db refused"));
            assertThat(agent.metrics()).contains("kiban_alert{rule=\"container-down\",subject=\"" + victim
                    + "\",state=\"firing\"} 1");

            // Undo every fault: each alert resolves, once.
            docker.removeContainerCmd(burner).withForce(true).exec();
            String exec = docker.execCreateCmd(filler).withCmd("rm", "-f", "/dev/shm/fill").exec().getId();
            docker.execStartCmd(exec).start().awaitCompletion();
            docker.startContainerCmd(victim).exec();
            Files.delete(disk.resolve("fill"));
            Files.writeString(dir.resolve("backup.log"), java.time.Instant.now() + " OK snapshot x\n",
                    java.nio.file.StandardOpenOption.APPEND);
            await("every alert to resolve", Duration.ofSeconds(60), v -> {
                List<String> t = titles(discord);
                try {
                    List<String> mail = mailLines();
                    return count(t, "RESOLVED cpu-high/" + burner) == 1
                            && count(t, "RESOLVED memory-high/" + filler) == 1
                            && count(t, "RESOLVED container-down/" + victim) == 1
                            && count(mail, "RESOLVED disk-high/" + disk) == 1
                            && count(mail, "RESOLVED memory-high/" + filler) == 1
                            && count(mail, "RESOLVED backup-failed/backup") == 1;
                } catch (Exception e) {
                    return false;
                }
            }, agent, log);
            Thread.sleep(2000);
            agent.sweep();
            List<String> t = titles(discord);
            assertThat(count(t, "cpu-high/" + burner)).as("one firing, one resolved: " + t).isEqualTo(2);
            assertThat(count(t, "container-down/" + victim)).isEqualTo(2);
            assertThat(count(mailLines(), "disk-high/" + disk)).isEqualTo(2);
            assertThat(log.toString()).doesNotContain(DiscordReceiver.TOKEN);
        } finally {
            HostTools.run("umount", disk.toString());
        }
    }

    @Test
    void aCrashReachesDiscordWithinTwoSeconds(LiveEngine live) throws Exception {
        StringWriter log = new StringWriter();
        try (DiscordReceiver discord = new DiscordReceiver(); MonitorAgent agent = agent(spec(""),
                discord.webhookUrl(), List.of(), log)) {
            agent.start();
            String victim = live.create("kiban-it-kill", c -> c.withCmd("sh", "-c", "while :; do sleep 1; done"));
            LiveEngine.docker().startContainerCmd(victim).exec();
            Thread.sleep(1000);
            long killed = System.currentTimeMillis();
            LiveEngine.docker().killContainerCmd(victim).exec();
            long deadline = killed + 10_000;
            while (System.currentTimeMillis() < deadline && count(titles(discord), "FIRING container-down/"
                    + victim) == 0) Thread.sleep(20);
            int i = titles(discord).indexOf("FIRING container-down/" + victim);
            assertThat(i).as(log.toString()).isNotNegative();
            long delay = discord.receivedAtMillis().get(discord.messages().size() - 1) - killed;
            assertThat(delay).as("from docker kill to Discord, without waiting for a sweep").isLessThan(2000);
        }
    }

    @Test
    void undeliveredAlertsSurviveAnAgentRestart(LiveEngine live) throws Exception {
        StringWriter log = new StringWriter();
        String victim = live.create("kiban-it-outage", c -> c.withCmd("sh", "-c", "while :; do sleep 1; done"));
        LiveEngine.docker().startContainerCmd(victim).exec();
        String deadUrl;
        try (DiscordReceiver gone = new DiscordReceiver()) {
            deadUrl = gone.webhookUrl(); // a port nobody listens on once closed
        }
        try (MonitorAgent first = agent(spec(""), deadUrl, List.of(), log)) {
            first.start();
            Thread.sleep(500);
            LiveEngine.docker().killContainerCmd(victim).exec();
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline && !log.toString()
                    .contains("will retry discord")) Thread.sleep(50);
            assertThat(log.toString()).contains("FIRING   container-down/" + victim).contains("will retry discord");
        }
        assertThat(new MonitorState(dir.resolve("state")).outbox().pending()).isNotEmpty();
        try (DiscordReceiver discord = new DiscordReceiver(); MonitorAgent second = agent(spec(""),
                discord.webhookUrl(), List.of(), log)) {
            second.start();
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline && count(titles(discord), "container-down/"
                    + victim) == 0) Thread.sleep(100);
            Thread.sleep(1000);
            second.sweep();
            assertThat(count(titles(discord), "FIRING container-down/" + victim))
                    .as("delivered after the restart, once: " + log).isEqualTo(1);
            assertThat(new MonitorState(dir.resolve("state")).outbox().pending()).isEmpty();
        }
    }
}
