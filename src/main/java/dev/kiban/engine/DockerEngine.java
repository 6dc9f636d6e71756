package dev.kiban.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@link Engine} over docker-java, built once per command: explicit transport, ping first. */
public final class DockerEngine implements Engine {
    private final EngineAddress address;
    private final DockerClient client;

    private DockerEngine(EngineAddress address, DockerClient client) {
        this.address = address;
        this.client = client;
    }

    /** Connects and pings; an {@link EngineUnavailableException} says where it looked and why not. */
    public static DockerEngine connect(EngineAddress address) {
        if (address.isUnixSocket() && !Files.exists(address.socketPath())) {
            throw unavailable(address, "no socket at " + address.socketPath());
        }
        DockerClient client;
        try {
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(address.uri()).build();
            DockerHttpClient http = address.isUnixSocket()
                    ? new UnixSocketTransport(address.socketPath().toString())
                    : new ZerodepDockerHttpClient.Builder()
                            .dockerHost(URI.create(address.uri()))
                            .sslConfig(config.getSSLConfig())
                            .connectionTimeout(Duration.ofSeconds(3))
                            .responseTimeout(Duration.ofSeconds(30))
                            .build();
            client = DockerClientImpl.getInstance(config, http);
        } catch (RuntimeException e) {
            throw unavailable(address, "cannot use this address: " + rootMessage(e));
        }
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw unavailable(address, rootMessage(e));
        }
        return new DockerEngine(address, client);
    }

    private static EngineUnavailableException unavailable(EngineAddress address, String why) {
        String hint = address.isUnixSocket()
                ? "start one with 'systemctl start docker' (or 'scripts/test-engine' on a test machine), or point DOCKER_HOST at a running engine"
                : "check that the engine listens there, or unset DOCKER_HOST to use the local socket";
        String from = address.source().equals("default") ? "" : " (from " + address.source() + ")";
        return new EngineUnavailableException("no Docker engine answers at " + address + from + ": " + why + "; " + hint);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = Objects.requireNonNullElse(t.getMessage(), t.getClass().getSimpleName());
        if (m.contains("Permission denied") || m.contains("[13]")) return "permission denied (run as root or as a member of the docker group)";
        if (m.contains("Connection refused") || m.contains("[111]")) return "connection refused (the socket exists but nothing listens)";
        return m;
    }

    @Override
    public EngineAddress address() {
        return address;
    }

    @Override
    public EngineInfo info() {
        Version version = client.versionCmd().exec();
        Info info = client.infoCmd().exec();
        SwarmInfo swarm = info.getSwarm();
        LocalNodeState state = swarm == null ? null : swarm.getLocalNodeState();
        boolean manager = swarm != null && Boolean.TRUE.equals(swarm.getControlAvailable());
        EngineInfo.SwarmState swarmState = new EngineInfo.SwarmState(
                state == null ? "inactive" : state.getValue(),
                manager,
                swarm == null || swarm.getNodes() == null ? 0 : swarm.getNodes(),
                swarm == null || swarm.getManagers() == null ? 0 : swarm.getManagers());
        return new EngineInfo(version.getVersion(), version.getApiVersion(), info.getOperatingSystem(), info.getKernelVersion(),
                info.getDriver(), info.getDockerRootDir(), info.getCGroupVersion(), info.getCGroupDriver(), swarmState,
                info.getImages() == null ? 0 : info.getImages());
    }

    @Override
    public List<ContainerSummary> containers() {
        return client.listContainersCmd().withShowAll(true).exec().stream().map(DockerEngine::summary).toList();
    }

    private static ContainerSummary summary(Container c) {
        String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", "");
        return new ContainerSummary(c.getId(), name, c.getImage(), c.getState(), c.getStatus(),
                c.getLabels() == null ? Map.of() : Map.copyOf(c.getLabels()));
    }

    @Override
    public int volumeCount() {
        var volumes = client.listVolumesCmd().exec().getVolumes();
        return volumes == null ? 0 : volumes.size();
    }

    @Override
    public int serviceCount() {
        return client.listServicesCmd().exec().size();
    }

    @Override
    public void close() {
        closeQuietly(client);
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException e) {
            // closing a client whose connection already failed: nothing left to release
        }
    }
}
