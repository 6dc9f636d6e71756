package dev.kiban.stack;

import dev.kiban.engine.EngineAddress;
import dev.kiban.failure.UnavailableException;
import dev.kiban.os.HostPrograms;
import dev.kiban.os.Wait;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The docker CLI, for what only it does: {@code stack deploy} turns a compose file into services on
 * the client side (there is no Engine API call for it), and {@code stack rm} removes them again.
 */
public record DockerCli(HostPrograms programs, Path docker, EngineAddress address) {

    public static DockerCli find(HostPrograms programs, EngineAddress address) {
        Path docker = programs.find("docker").orElseThrow(() -> new UnavailableException(
                "the docker CLI is not installed; stacks are deployed with 'docker stack deploy' (package docker.io or "
                        + "docker-ce-cli)"));
        return new DockerCli(programs, docker, address);
    }

    /** Deploys without waiting (kiban follows the rollout itself); images are used as the engine has them. */
    public HostPrograms.Result deploy(String stack, Path composeFile) throws IOException {
        return run("stack", "deploy", "--compose-file", composeFile.toString(), "--resolve-image", "never",
                "--detach=true", stack);
    }

    /**
     * {@code docker stack rm}, again while it fails only because a network is still "in use by task":
     * the services are gone but their tasks are still stopping, a race the CLI does not wait out.
     */
    public HostPrograms.Result remove(String stack) throws IOException {
        HostPrograms.Result[] last = {null};
        try {
            return Wait.until(() -> {
                last[0] = run("stack", "rm", stack);
                boolean racing = !last[0].ok() && last[0].output().contains("is in use by task");
                return racing ? Optional.empty() : Optional.of(last[0]);
            }, Duration.ofSeconds(15), Duration.ofSeconds(1), "the stack's tasks to stop");
        } catch (Wait.TimedOut e) {
            return last[0]; // the CLI's own error says which network is still in use
        }
    }

    private HostPrograms.Result run(String... args) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of(docker.toString()));
        argv.addAll(List.of(args));
        return programs.run(argv, Map.of("DOCKER_HOST", address.uri()), Duration.ofMinutes(5));
    }
}
