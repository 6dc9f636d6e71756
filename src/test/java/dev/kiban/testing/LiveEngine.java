package dev.kiban.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.kiban.engine.EngineAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The live Docker engine for integration tests. Without one, a test fails under CI (CI=true) and is
 * skipped with a message elsewhere. Every container a test makes through {@link #create} carries
 * {@code dev.kiban.test=true} and is removed after the test, whatever its outcome; nothing else is touched.
 */
public final class LiveEngine implements BeforeAllCallback, AfterEachCallback, ParameterResolver {
    public static final String TEST_LABEL = "dev.kiban.test";
    public static final String BASE_IMAGE = "kiban-test/base:latest";

    private static DockerClient client;
    private final List<String> created = new ArrayList<>();

    public static EngineAddress address() {
        return EngineAddress.choose(null, System.getenv());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String problem = reachable();
        if (problem == null) return;
        Prerequisite.missing("no Docker engine for integration tests (" + problem
                + "); run scripts/test-engine as root first");
    }

    private static synchronized String reachable() {
        try {
            docker().pingCmd().exec();
            docker().inspectImageCmd(BASE_IMAGE).exec();
            return null;
        } catch (NotFoundException e) {
            return "image " + BASE_IMAGE + " is missing";
        } catch (RuntimeException e) {
            return address() + ": " + e.getMessage();
        }
    }

    /** A plain docker-java client for setting up test fixtures (kiban's own code is what is tested). */
    public static synchronized DockerClient docker() {
        if (client == null) {
            var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(address().uri()).build();
            client = DockerClientImpl.getInstance(config,
                    new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(address().uri())).build());
        }
        return client;
    }

    /** Creates (not starts) a labelled container from the base image; removed after the test. */
    public String create(String namePrefix, Consumer<CreateContainerCmd> settings) {
        String name = namePrefix + "-" + Long.toHexString(System.nanoTime());
        CreateContainerCmd cmd = docker().createContainerCmd(BASE_IMAGE).withName(name)
                .withLabels(Map.of(TEST_LABEL, "true"));
        settings.accept(cmd);
        String id = cmd.exec().getId();
        created.add(id);
        return name;
    }

    public List<Container> testContainers() {
        return docker().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(TEST_LABEL, "true")).exec();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (String id : created) {
            try {
                docker().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                // already gone
            }
        }
        created.clear();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == LiveEngine.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return this;
    }
}
