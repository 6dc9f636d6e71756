package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.cli.KibanProcess;
import dev.kiban.os.HostPrograms;
import dev.kiban.testing.DiscordReceiver;
import dev.kiban.testing.HostTools;
import dev.kiban.testing.LiveEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kiban monitor as an operator runs it (the binary), with /metrics checked by promtool and the alert commands
 * against it.
 */
@ExtendWith(LiveEngine.class)
class MonitorCommandIT {
    @TempDir
    Path dir;

    @Test
    void metricsPassPromtoolAndSilencesAndTestNotificationsWork(LiveEngine live) throws Exception {
        Path promtool = HostTools.require("promtool");
        Path spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, """
                admin: {email: ops@example.org}
                security: {ssh: {allowUsers: [deploy]}}
                monitor:
                  state: %s
                  channels: {discord: {webhook: env:DISCORD_WEBHOOK}}
                  rules:
                    - {name: container-down, metric: container-down, channels: [discord]}
                    - {name: memory-high, metric: memory, above: 70%%, for: 5m, channels: [discord]}
                """.formatted(dir.resolve("state")));
        try (DiscordReceiver discord = new DiscordReceiver()) {
            String quiet = live.create("kiban-it-quiet", c -> c.withCmd("sh", "-c", "while :; do sleep 1; done"));
            String loud = live.create("kiban-it-loud", c -> c.withCmd("sh", "-c", "while :; do sleep 1; done"));
            LiveEngine.docker().startContainerCmd(quiet).exec();
            LiveEngine.docker().startContainerCmd(loud).exec();

            KibanProcess.Result silence = KibanProcess.run("-c", spec.toString(), "alert", "silence", "container-down/"
                    + quiet, "--for", "1h", "--comment", "maintenance");
            assertThat(silence.exit()).as(silence.err()).isZero();

            ProcessBuilder pb = new ProcessBuilder("bin/kiban", "-c", spec.toString(), "monitor", "--interval", "1s",
                    "--metrics-port", "0", "--filesystem", dir.toString()).redirectErrorStream(true);
            pb.environment().put("DISCORD_WEBHOOK", discord.webhookUrl());
            Process agent = pb.start();
            List<String> output = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(agent.getInputStream(),
                    StandardCharsets.UTF_8)).lines().forEach(output::add));
            reader.setDaemon(true);
            reader.start();
            try {
                String url = null;
                long deadline = System.currentTimeMillis() + 30_000;
                Pattern metricsLine = Pattern.compile("metrics on (http://\\S+/metrics)");
                while (url == null && System.currentTimeMillis() < deadline) {
                    for (String l : output) {
                        Matcher m = metricsLine.matcher(l);
                        if (m.find()) url = m.group(1);
                    }
                    Thread.sleep(100);
                }
                assertThat(url).as(String.join("\n", output)).isNotNull().startsWith("http://127.0.0.1:");
                Thread.sleep(2500);
                HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type").orElse(""))
                        .startsWith("text/plain; version=0.0.4");
                assertThat(metrics.body()).contains("kiban_container_up{container=\"" + loud + "\",service=\"\"} 1")
                        .contains("kiban_container_memory_working_set_bytes{container=\"" + loud + "\"")
                        .contains("kiban_filesystem_used_ratio{path=\"" + dir + "\"}");
                Path text = dir.resolve("metrics.txt");
                Files.writeString(text, metrics.body());
                HostPrograms.Result check = HostPrograms.system().run(List.of("sh", "-c", promtool + " check metrics < "
                        + text), Duration.ofSeconds(30));
                assertThat(check.ok()).as("promtool check metrics: " + check.output()).isTrue();

                LiveEngine.docker().killContainerCmd(quiet).exec();
                LiveEngine.docker().killContainerCmd(loud).exec();
                deadline = System.currentTimeMillis() + 10_000;
                while (System.currentTimeMillis() < deadline && discord.messages().isEmpty()) Thread.sleep(50);
                Thread.sleep(1500);
                List<String> titles = new ArrayList<>();
                discord.messages().forEach(m -> m.path("embeds").forEach(e -> titles.add(e.path("title").asText())));
                assertThat(titles).as(String.join("\n", output)).contains("FIRING container-down/" + loud)
                        .noneMatch(t -> t.contains(quiet));

                KibanProcess.Result ls = KibanProcess.run("-c", spec.toString(), "alert", "ls");
                assertThat(ls.exit()).as("firing alerts: exit 1").isEqualTo(1);
                assertThat(ls.out()).containsPattern("FIRING +container-down/" + quiet + " .*\\(silenced\\)")
                        .containsPattern("FIRING +container-down/" + loud)
                        .contains("container-down/" + quiet + " until").contains("(maintenance)");

                KibanProcess.Result test = KibanProcess.run(java.util.Map.of("DISCORD_WEBHOOK", discord.webhookUrl()),
                        "-c", spec.toString(), "alert", "test", "--channel", "discord");
                assertThat(test.exit()).as(test.out() + test.err()).isZero();
                assertThat(test.out()).startsWith("discord: delivered (Discord message ");
                assertThat(discord.messages().get(discord.messages().size() - 1).path("content").asText())
                        .startsWith("[kiban] test notification from ");
                assertThat(String.join("\n", output) + ls.out() + test.out()).doesNotContain(DiscordReceiver.TOKEN);
            } finally {
                agent.destroy();
                agent.waitFor();
            }
        }
    }

    @Test
    void theDailyReportCoversContainersErrorsDisksBackupAndAlerts(LiveEngine live) throws Exception {
        Path spec = dir.resolve("kiban.yaml");
        Files.writeString(spec, """
                admin: {email: ops@example.org}
                security: {ssh: {allowUsers: [deploy]}}
                monitor: {state: %s, channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
                backup: {log: %s}
                """.formatted(dir.resolve("state"), dir.resolve("backup.log")));
        Files.writeString(dir.resolve("backup.log"),
                "2026-11-28T02:00:00Z OK snapshot 20261128T020000Z-1: 3 sources\n");
        String app = live.create("kiban-it-report", c -> c.withCmd("sh", "-c",
                "echo 'ERROR: db 17 refused'; echo 'ERROR: db 18 refused'; echo fine; while :; do sleep 1; done"));
        LiveEngine.docker().startContainerCmd(app).exec();
        Thread.sleep(1500);
        KibanProcess.Result r = KibanProcess.run("-c", spec.toString(), "report", "daily");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("== Containers").containsPattern(app + " +running +restarts 0")
                .contains(app + ": 2 error lines").contains("2 x ERROR: db N refused")
                .contains("== Backup").contains("last run: 2026-11-28T02:00:00Z OK snapshot").contains("== Alerts");
    }
}
