package dev.kiban.cli;

import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineAddress;
import dev.kiban.engine.EngineInfo;
import java.util.List;

/** An engine that answers from fixed data, for testing commands without a daemon. */
record FakeEngine(EngineAddress address, EngineInfo info, List<ContainerSummary> containers, int volumeCount, int serviceCount) implements Engine {

    static FakeEngine withContainers(ContainerSummary... containers) {
        EngineInfo info = new EngineInfo("24.0.9", "1.43", "Rocky Linux 9.6", "5.14.0", "overlay2", "/var/lib/docker", "2", "systemd",
                new EngineInfo.SwarmState("active", true, 1, 1), 7, false);
        return new FakeEngine(new EngineAddress("unix:///fake.sock", "default"), info, List.of(containers), 3, 2);
    }

    static ContainerSummary container(String name, String state, String status) {
        return new ContainerSummary(name + "-id", name, "kiban-test/base", state, status, java.util.Map.of());
    }

    @Override
    public void close() {
    }

    // The status tests use only the reads above.
    @Override
    public dev.kiban.engine.SwarmSettings swarm() {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public void initSwarm(dev.kiban.engine.SwarmInit init) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public String workerJoinToken() {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public List<dev.kiban.engine.NodeSummary> nodes() {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public List<dev.kiban.engine.NetworkSummary> networks() {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public void createNetwork(String name, String driver, String subnet, String gateway, boolean ingress, java.util.Map<String, String> options,
                              java.util.Map<String, String> labels) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public java.util.Optional<dev.kiban.engine.NetworkSummary> network(String nameOrId) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public List<dev.kiban.engine.ServiceSummary> services(java.util.Map<String, String> labels) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public List<dev.kiban.engine.TaskSummary> tasks(String serviceId) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public String runContainer(dev.kiban.engine.ContainerRequest request) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public dev.kiban.engine.ContainerState inspectContainer(String id) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public void removeContainer(String id) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public String logs(String id, int lines) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public java.util.Optional<dev.kiban.engine.ContainerStats> stats(String id) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public List<String> events(String id, long sinceEpochSeconds) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public List<dev.kiban.engine.ImageSummary> images() {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public java.io.InputStream saveImages(List<String> names) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public void loadImages(java.io.InputStream archive) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public boolean hasImage(String image) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public List<dev.kiban.engine.VolumeSummary> volumes() {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public void removeNetwork(String name) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public void stopContainer(String id, int seconds) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public void startContainer(String id) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public dev.kiban.engine.ExecResult exec(String id, List<String> command) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public void scaleService(String id, int replicas) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public List<dev.kiban.engine.SwarmObject> configs() {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public List<dev.kiban.engine.SwarmObject> secrets() {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public String createConfig(String name, java.util.Map<String, String> labels, byte[] data) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public java.util.Optional<dev.kiban.engine.ContainerCounters> counters(String id) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public List<dev.kiban.engine.ServiceReplicas> serviceReplicas() {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public List<String> logLines(String id, long sinceEpochSeconds, int max) {
        throw new AssertionError("not used by these tests");
    }

    @Override
    public void followEvents(long sinceEpochSeconds, java.util.function.Consumer<dev.kiban.engine.EngineEvent> sink) {
        throw new AssertionError("not used by these tests");
    }
}
