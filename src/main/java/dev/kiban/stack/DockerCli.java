package dev.kiban.stack;

import dev.kiban.engine.EngineAddress;
import dev.kiban.failure.UnavailableException;
import dev.kiban.host.Tool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The docker CLI, for what only it does: {@code stack deploy} turns a compose file into services on
 * the client side (there is no Engine API call for it), and {@code stack rm} removes them again.
 */
public record DockerCli(Path docker, EngineAddress address) {

    public static DockerCli find(EngineAddress address) {
        Path docker = Tool.find("docker").orElseThrow(() -> new UnavailableException(
                "the docker CLI is not installed; stacks are deployed with 'docker stack deploy' (package docker.io or docker-ce-cli)"));
        return new DockerCli(docker, address);
    }

    /** Deploys without waiting (kiban follows the rollout itself); images are used as the engine has them. */
    public Tool.Result deploy(String stack, Path composeFile) throws IOException {
        return run("stack", "deploy", "--compose-file", composeFile.toString(), "--resolve-image", "never", "--detach=true", stack);
    }

    /**
     * {@code docker stack rm}, again while it fails only because a network is still "in use by task":
     * the services are gone but their tasks are still stopping, a race the CLI does not wait out.
     */
    public Tool.Result remove(String stack) throws IOException {
        Tool.Result r = run("stack", "rm", stack);
        for (int attempt = 0; attempt < 15 && !r.ok() && r.output().contains("is in use by task"); attempt++) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
            r = run("stack", "rm", stack);
        }
        return r;
    }

    private Tool.Result run(String... args) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of(docker.toString()));
        argv.addAll(List.of(args));
        return Tool.run(argv, Map.of("DOCKER_HOST", address.uri()), Duration.ofMinutes(5));
    }
}
