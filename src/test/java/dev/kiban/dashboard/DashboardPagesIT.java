package dev.kiban.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.kiban.engine.DockerEngine;
import dev.kiban.monitor.HistorySample;
import dev.kiban.monitor.Metric;
import dev.kiban.monitor.MetricHistory;
import dev.kiban.os.FilesystemUsage;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.LiveEngine;
import dev.kiban.testing.Prerequisite;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's pages in a real browser (Debian's chromium through chromium-driver, never a downloaded one)
 * against the live engine, with a running container, one that fails and restarts, and one the kernel killed for
 * memory: each page loads, its numbers are the engine's, every link of the overview leads to a page, and an event
 * arrives live. A screenshot of each page goes to target/screenshots.
 */
@ExtendWith(LiveEngine.class)
class DashboardPagesIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path temp;

    ChromeDriver browser;
    DashboardServer server;

    @AfterEach
    void close() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    ChromeDriver browser() {
        Prerequisite.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromium-driver (Debian packages) for the dashboard's page tests; scripts/test-engine "
                        + "installs them");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1100", "--user-data-dir=" + temp.resolve("profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @Test
    void everyPageShowsTheEnginesNumbersAndTheEventsPageFollowsTheEngine(LiveEngine live) throws Exception {
        var docker = LiveEngine.docker();
        String running = live.create("kiban-it-dash-running", c -> c.withCmd("sh", "-c",
                "trap 'exit 0' TERM; while :; do sleep 1; done"));
        String failing = live.create("kiban-it-dash-failing", c -> c.withCmd("sh", "-c", "sleep 1; exit 1")
                .withHostConfig(HostConfig.newHostConfig().withRestartPolicy(RestartPolicy.alwaysRestart())));
        String oom = live.create("kiban-it-dash-oom", c -> c.withCmd("sh", "-c", "tail /dev/zero")
                .withHostConfig(HostConfig.newHostConfig().withMemory(32L << 20).withMemorySwap(32L << 20)));
        for (String name : List.of(running, failing, oom)) docker.startContainerCmd(name).exec();
        docker.waitContainerCmd(oom).start().awaitStatusCode();
        assertThat(docker.inspectContainerCmd(oom).exec().getState().getOOMKilled()).isTrue();
        waitFor(() -> docker.inspectContainerCmd(failing).exec().getRestartCount() >= 1, "a restart of " + failing);

        Path state = temp.resolve("monitor");
        Files.createDirectories(state);
        var spec = SpecDocument.builtin().require();
        server = DashboardServer.start(new DashboardSettings(InetAddress.getLoopbackAddress(), 0, Optional.empty(),
                Optional.empty(), "ssh -L 9440:127.0.0.1:9440 admin@host"), new Sources(
                () -> DockerEngine.connect(LiveEngine.address()), spec, "built-in", state, FilesystemUsage::of,
                Clock.systemUTC()));
        String base = "http://127.0.0.1:" + server.address().getPort();
        browser = browser();
        Files.createDirectories(SCREENSHOTS);

        // overview: the counts are the engine's (read again until a restart of the failing one does not fall between)
        waitFor(() -> {
            browser.get(base + "/");
            List<Container> all = docker.listContainersCmd().withShowAll(true).exec();
            long up = all.stream().filter(c -> "running".equals(c.getState())).count();
            long restarting = all.stream().filter(c -> "restarting".equals(c.getState())).count();
            return text("running").equals(Long.toString(up)) && text("restarting").equals(Long.toString(restarting))
                    && text("stopped").equals(Long.toString(all.size() - up - restarting));
        }, "the overview's container counts to match the engine's");
        assertThat(browser.findElement(By.cssSelector("#engine dl")).getText())
                .contains(docker.versionCmd().exec().getVersion());
        screenshot("overview");

        // every link of the overview's sections leads to a page of the dashboard
        List<String> links = new ArrayList<>();
        for (WebElement a : browser.findElements(By.cssSelector("main a"))) links.add(a.getAttribute("href"));
        assertThat(links).contains(base + "/stacks", base + "/alerts", base + "/backups", base + "/results",
                base + "/metrics");
        for (String link : links) {
            browser.get(link);
            assertThat(browser.findElement(By.tagName("h1")).getText()).as(link).isNotBlank();
            assertThat(browser.getPageSource()).as(link).doesNotContain("Not found", "The page failed");
        }

        // stacks: each container's row says what the engine says
        waitFor(() -> {
            browser.get(base + "/stacks");
            int total = docker.listContainersCmd().withShowAll(true).exec().size();
            return text("container-count").equals(Integer.toString(total));
        }, "the stacks page's container count to match the engine's");
        assertThat(row(running)).contains("running").doesNotContain("OOMKilled");
        assertThat(row(oom)).contains("exited", "OOMKilled", "137");
        String failingRow = row(failing);
        int restarts = docker.inspectContainerCmd(failing).exec().getRestartCount();
        assertThat(failingRow).containsAnyOf("restarting", "running", "exited");
        assertThat(failingRow).containsPattern(" [1-9][0-9]* ");
        assertThat(restarts).isPositive();
        screenshot("stacks");

        for (String page : List.of("metrics", "alerts", "backups", "results")) {
            browser.get(base + "/" + page);
            assertThat(browser.findElement(By.tagName("h1")).getText()).isNotBlank();
            screenshot(page);
        }
        browser.get(base + "/metrics");
        assertThat(browser.findElement(By.id("no-history")).getText()).contains("No metrics history");
        // once the agent has recorded (here: the running container's memory as the engine reports it), the page
        // lists the container and draws its graph
        String name = docker.inspectContainerCmd(running).exec().getName().replaceFirst("^/", "");
        try (var writer = MetricHistory.writer(state.resolve("history"), Duration.ofSeconds(10))) {
            Instant now = Instant.now();
            for (int i = 6; i >= 0; i--) {
                var stats = new com.github.dockerjava.core.InvocationBuilder.AsyncResultCallback<
                        com.github.dockerjava.api.model.Statistics>();
                docker.statsCmd(running).withNoStream(true).exec(stats);
                Long usage = stats.awaitResult().getMemoryStats().getUsage();
                writer.record(now.minusSeconds(10L * i), List.of(new HistorySample(name, Metric.MEMORY_BYTES,
                        usage == null ? Double.NaN : usage)));
            }
        }
        browser.get(base + "/metrics");
        browser.findElement(By.linkText(name)).click();
        assertThat(browser.findElement(By.id("subject")).getText()).isEqualTo(name);
        assertThat(browser.findElement(By.cssSelector("svg title")).getAttribute("textContent")).isNotBlank();
        assertThat(browser.getPageSource()).contains(name + " — Memory").contains("(7 points)"); // the 7 recorded
        screenshot("metrics-container");

        // events: the page is open and connected; a container started now appears in it
        browser.get(base + "/events");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> text("stream-state").equals("connected"));
        String late = live.create("kiban-it-dash-late", c -> c.withCmd("sh", "-c",
                "trap 'exit 0' TERM; while :; do sleep 1; done"));
        docker.startContainerCmd(late).exec();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> browser.findElement(By.id("events")).getText()
                .contains("container start " + late));
        screenshot("events");
    }

    /**
     * The packaged command (bin/kiban, as installed users run it) from process start to its first 200 on the overview,
     * which reads the engine: printed for the build log, and held to well under the time a person waits for a page.
     */
    @Test
    void thePackagedCommandServesItsFirstPageQuickly() throws Exception {
        Path kiban = Path.of("bin", "kiban");
        Prerequisite.require(Files.isRegularFile(Path.of("target", "kiban.jar")), "target/kiban.jar (mvn package)");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(kiban.toString(), "-c", "builtin", "dashboard", "--bind", "127.0.0.1:0",
                "--state", temp.resolve("monitor").toString()).redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertThat(first).as("the command's first line").isNotNull()
                    .startsWith("kiban dashboard: http://127.0.0.1:");
            String port = first.replaceFirst("^kiban dashboard: http://127\\.0\\.0\\.1:(\\d+)/.*$", "$1");
            var client = java.net.http.HttpClient.newHttpClient();
            var answer = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + port + "/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("<span id=\"running\">");
            System.out.println("dashboard start: process start to the first 200 (overview) in " + millis + " ms; "
                    + first);
            assertThat(millis).as("process start to first page, ms").isLessThan(5000);
        } finally {
            p.destroy();
            p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().strip();
    }

    /** The stacks page's row of a container, its cells joined by spaces. */
    private String row(String name) {
        for (WebElement tr : browser.findElements(By.cssSelector("#containers tbody tr"))) {
            List<WebElement> cells = tr.findElements(By.tagName("td"));
            if (cells.size() > 1 && cells.get(1).getText().strip().equals(name)) {
                return " " + String.join(" ", cells.stream().map(WebElement::getText).toList()) + " ";
            }
        }
        throw new AssertionError("no row for " + name + " on the stacks page");
    }

    private void screenshot(String page) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(page + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("dashboard screenshot: " + target.toAbsolutePath());
    }

    private static void waitFor(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) return;
            Thread.sleep(300);
        }
        throw new AssertionError("waited 30 s for " + what);
    }
}
