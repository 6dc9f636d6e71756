package dev.kiban.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lint rules on realistic compose files (src/test/resources/stacks), no engine needed. */
class StackLintTest {
    static final Path STACKS = Path.of("src/test/resources/stacks");
    final PlatformSpec spec = SpecDocument.builtin().require();

    List<String> lint(Path path) throws Exception {
        List<Problem> problems = new ArrayList<>();
        List<ComposeFile> files = ComposeFile.find(path, problems);
        problems.addAll(StackLint.lint(files, spec));
        return problems.stream().map(p -> p.toString().replace(STACKS + "/", "")).toList();
    }

    @Test
    void theGoodStacksPassTogetherWithinTheBudget() throws Exception {
        List<String> findings = lint(STACKS.resolve("good"));
        assertThat(findings).noneMatch(f -> f.contains(": error:"));
        // web 0.5 + 2x1.0, mail 1, db 2 = 5.5 of 8 vCPU; 0.25G + 2G + 2G + 4G = 8.25G of 16G
        assertThat(findings).isEmpty();
    }

    @Test
    void theBadStackGetsEveryFinding() throws Exception {
        assertThat(lint(STACKS.resolve("bad"))).containsExactly(
                "bad/everything/docker-compose.yml:1:1 version: warning: 'version' is obsolete in Compose v2 and ignored (D10); remove it",
                "bad/everything/docker-compose.yml:1:1 deploy.resources.limits.memory: error: the stacks' memory limits add up to 32G, over the Docker budget of 16G (R1.2): everything/api 4x(2 cpu, 8G)",
                "bad/everything/docker-compose.yml:4:12 services.api.image: warning: example/api is not pinned to a version; a redeploy may run different code",
                "bad/everything/docker-compose.yml:5:17 services.api.privileged: error: privileged gives the container the host; add the label kiban.waiver.privileged to accept it knowingly",
                "bad/everything/docker-compose.yml:7:9 services.api.ports[0]: error: publishes 2375, the Docker API, which must never be reachable (R3.4)",
                "bad/everything/docker-compose.yml:8:9 services.api.ports[1]: error: publishes 9090, outside every port class {web=[80, 443], smtp=[25, 587], imap=[143, 993], app=[8000-8999]} (R3.4)",
                "bad/everything/docker-compose.yml:10:9 services.api.volumes[0]: error: mounting docker.sock is root on the host; add the label kiban.waiver.docker-sock to accept it knowingly",
                "bad/everything/docker-compose.yml:12:7 services.api.deploy.restart_policy: warning: no restart_policy; the design restarts on-failure (R8.2)",
                "bad/everything/docker-compose.yml:14:9 services.api.deploy.resources.reservations: error: no resource reservations; every service declares cpus and memory reservations (R1.3)",
                "bad/everything/docker-compose.yml:16:5 services.worker.deploy.resources.limits: error: no resource limits; every service declares cpus and memory limits (R1.3)",
                "bad/everything/docker-compose.yml:16:5 services.worker.deploy.resources.reservations: error: no resource reservations; every service declares cpus and memory reservations (R1.3)",
                "bad/everything/docker-compose.yml:17:19 services.worker.network_mode: error: host networking bypasses the port policy and the firewall (R3.4); add the label kiban.waiver.host-network to accept it knowingly",
                "bad/everything/docker-compose.yml:20:13 networks.lan.driver: warning: a Swarm stack cannot attach services to a bridge network; use overlay",
                "bad/everything/docker-compose.yml:23:19 networks.lan.ipam.config: error: subnet 10.0.1.0/24 is outside the service networks 172.19.0.0/16 to 172.30.0.0/16 (R3.2)",
                "bad/everything/docker-compose.yml:23:19 networks.lan.ipam.config: error: subnet 10.0.1.0/24 overlaps libvirt network public 10.0.1.0/24 (R3.3)",
                "bad/everything/docker-compose.yml:27:48 volumes.scratch.driver_opts.device: error: /srv/scratch is outside the volume tree /data/docker/volumes (R4.3)");
    }

    @Test
    void theCpuBudgetCountsReplicasAndTheOvercommit() throws Exception {
        PlatformSpec tight = SpecDocument.parse("k", "budget: {overcommit: 1}\n", false).require();
        List<Problem> problems = new ArrayList<>();
        List<ComposeFile> files = ComposeFile.find(STACKS.resolve("good"), problems);
        assertThat(StackLint.lint(files, tight)).extracting(Problem::message).containsExactly(
                "the stacks' CPU limits add up to 5.5 vCPU, over the Docker budget of 4 (4 cores x 1 overcommit, R1.2): "
                        + "db/db 1x(2 cpu, 4G), mail/mail 1x(1 cpu, 2G), web/proxy 1x(0.5 cpu, 256M), web/app 2x(1 cpu, 1G)");
    }

    @Test
    void waiversAcceptAKnownException() throws Exception {
        String yaml = """
                services:
                  traefik:
                    image: traefik:3.1
                    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]
                    deploy:
                      labels: {kiban.waiver.docker-sock: "reads container labels"}
                      restart_policy: {condition: on-failure}
                      resources:
                        limits: {cpus: "0.5", memory: 128M}
                        reservations: {cpus: "0.1", memory: 64M}
                """;
        var tree = dev.kiban.spec.SpecReader.read("proxy.yml", yaml, new ArrayList<>());
        assertThat(StackLint.lint(List.of(new ComposeFile("proxy", "proxy.yml", tree)), spec)).isEmpty();
    }
}
