package dev.kiban.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.cli.KibanProcess;
import dev.kiban.testing.LiveEngine;
import dev.kiban.testing.TestSwarm;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Deploying, listing and removing stacks on the live engine, made a swarm manager by kiban for the test. */
@ExtendWith(LiveEngine.class)
@ExtendWith(TestSwarm.class)
class StackIT {
    static final Path STACKS = Path.of("src/test/resources/stacks/deploy");
    @TempDir
    static Path dir;
    static Path spec;

    @BeforeAll
    static void aSwarm() throws Exception {
        spec = TestSwarm.spec(dir, "storage: {compose: " + dir.resolve("compose") + "}\n");
        TestSwarm.init(spec, dir);
    }

    @Test
    void deployConvergesListsAndRemoves() throws Exception {
        KibanProcess.Result deploy = KibanProcess.run("-c", spec.toString(), "stack", "deploy", "kiban-it-web",
                STACKS.resolve("web.yml").toString());
        assertThat(deploy.exit()).as(deploy.err()).isZero();
        assertThat(deploy.out()).contains("kiban-it-web_web 2/2 running",
                "kiban-it-web converged: 1 service running as declared");
        var services = LiveEngine.docker().listServicesCmd().withLabelFilter(Map.of("com.docker.stack.namespace",
                "kiban-it-web")).exec();
        assertThat(services).singleElement().satisfies(s -> {
            assertThat(s.getSpec().getTaskTemplate().getResources().getLimits().getNanoCPUs()).isEqualTo(250_000_000L);
            assertThat(s.getSpec().getTaskTemplate().getResources().getLimits().getMemoryBytes()).isEqualTo(64L << 20);
        });

        assertThat(KibanProcess.run("stack", "ls").out()).contains("kiban-it-web         1 service: kiban-it-web_web");
        assertThat(KibanProcess.run("stack", "ps", "kiban-it-web").out())
                .containsPattern("kiban-it-web_web\\.\\d+\\s+running\\s+running");

        KibanProcess.Result ask = KibanProcess.run("stack", "rm", "kiban-it-web");
        assertThat(ask.exit()).as("declined: nothing removed").isEqualTo(1);
        assertThat(ask.err()).contains("volumes stay");
        KibanProcess.Result rm = KibanProcess.run("stack", "rm", "kiban-it-web", "--yes");
        assertThat(rm.exit()).as(rm.err()).isZero();
        assertThat(LiveEngine.docker().listServicesCmd().withLabelFilter(Map.of("com.docker.stack.namespace",
                "kiban-it-web")).exec()).isEmpty();
    }

    @Test
    void aMissingImageFailsWithTheEnginesReason() throws Exception {
        KibanProcess.Result deploy = KibanProcess.run("-c", spec.toString(), "stack", "deploy", "kiban-it-missing",
                STACKS.resolve("missing-image.yml").toString(), "--timeout", "90s");
        try {
            assertThat(deploy.exit()).isEqualTo(1);
            assertThat(deploy.err()).contains(
                    "kiban-it-missing did not converge: gave up on kiban-it-missing_web after 3 failed tasks: No such "
                            + "image: kiban-test/missing:1.0");
        } finally {
            KibanProcess.run("stack", "rm", "kiban-it-missing", "--yes");
        }
    }

    @Test
    void aStackWithLintErrorsIsNotDeployed() throws Exception {
        Path bad = Path.of("src/test/resources/stacks/bad/everything/docker-compose.yml");
        KibanProcess.Result deploy = KibanProcess.run("-c", spec.toString(), "stack", "deploy", "kiban-it-bad",
                bad.toString());
        assertThat(deploy.exit()).isEqualTo(1);
        assertThat(deploy.err()).contains("not deploying kiban-it-bad: the lint found errors");
        assertThat(deploy.out()).contains("publishes 2375, the Docker API");
        assertThat(LiveEngine.docker().listServicesCmd().withLabelFilter(Map.of("com.docker.stack.namespace",
                "kiban-it-bad")).exec()).isEmpty();
    }
}
