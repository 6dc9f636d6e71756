package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.SecretSpec;
import dev.kiban.cli.KibanProcess;
import dev.kiban.testing.LiveEngine;
import dev.kiban.testing.TestRoots;
import dev.kiban.testing.TestSwarm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Swarm state through a backup (D5): a config comes back with its data; a secret is named, never read. */
@ExtendWith(LiveEngine.class)
@ExtendWith(TestSwarm.class)
class SwarmBackupIT {
    @TempDir
    static Path dir;
    static Path spec;

    @BeforeAll
    static void aSwarm() throws Exception {
        spec = TestSwarm.spec(dir, "");
        TestSwarm.init(spec, TestRoots.withOperator(dir.resolve("root"), "ID=debian\n"));
    }

    @Test
    void aConfigRoundTripsAndASecretIsReportedNotLost() throws Exception {
        var docker = LiveEngine.docker();
        String config = "kiban-it-nginx-conf";
        byte[] data = "server { listen 8080; }\n".getBytes(StandardCharsets.UTF_8);
        docker.createConfigCmd().withName(config).withData(data).withLabels(Map.of("app", "web")).exec();
        docker.createSecretCmd(new SecretSpec().withName("kiban-it-db-password")
                .withData(Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8)))).exec();

        Path repo = dir.resolve("repo");
        KibanProcess.Result run = KibanProcess.run("-c", spec.toString(), "backup", "run",
                "--allow-root-filesystem", "--source", "swarm", "-r",
                repo.toString(), "--log", dir.resolve("log").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 secret recorded by name, labels and users only (kiban-it-db-password)")
                .doesNotContain("hunter2");

        KibanProcess.Result again = KibanProcess.run("-c", spec.toString(), "backup", "run",
                "--allow-root-filesystem", "--source", "swarm", "-r",
                repo.toString(), "--log", dir.resolve("log").toString());
        assertThat(again.out()).as("an unchanged Swarm is not stored again").contains("(1 unchanged)")
                .contains("0 new chunks");

        docker.removeConfigCmd(docker.listConfigsCmd().withFilters(Map.of("name", java.util.List.of(config)))
                .exec().get(0).getId()).exec();
        docker.removeSecretCmd("kiban-it-db-password").exec();

        KibanProcess.Result restore = KibanProcess.run("-c", spec.toString(), "backup", "restore", "latest", "--swarm",
                "-r", repo.toString());
        assertThat(restore.out()).contains("created config " + config + " (" + data.length + " bytes)")
                .contains("recreate secret kiban-it-db-password by hand")
                .contains("1 configs created, 0 kept, 1 secrets to recreate");
        assertThat(restore.exit()).as("a secret left to recreate is a finding").isEqualTo(1);
        // Read back with the docker CLI, not with kiban's own engine code.
        var inspect = dev.kiban.os.HostPrograms.system().run(java.util.List.of("docker", "-H",
                LiveEngine.address().uri(), "config", "inspect", "--format",
                "{{json .Spec}}", config), java.time.Duration.ofSeconds(30));
        assertThat(inspect.ok()).as(inspect.output()).isTrue();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(inspect.output());
        assertThat(json.path("Data").asText()).isEqualTo(Base64.getEncoder().encodeToString(data));
        assertThat(json.path("Labels").path("app").asText()).isEqualTo("web");
        docker.removeConfigCmd(config).exec();
    }
}
