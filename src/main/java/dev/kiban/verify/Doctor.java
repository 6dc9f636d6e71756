package dev.kiban.verify;

import dev.kiban.engine.ContainerState;
import dev.kiban.engine.Containers;
import dev.kiban.engine.Engine;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.Swarm;
import dev.kiban.engine.TaskSummary;
import dev.kiban.failure.RefusedException;
import dev.kiban.os.FilesystemUsage;
import dev.kiban.os.HostPrograms;
import dev.kiban.os.MemInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Gathers a {@link Diagnosis} for a container or a Swarm service (its newest task's container). */
public final class Doctor {
    private Doctor() {}

    /** What the doctor reads of the host, after the engine's part: its resources and SELinux denials. */
    interface HostReadings {
        Diagnosis.HostResources resources() throws IOException;

        Optional<Integer> selinuxDenials() throws IOException;
    }

    public static Diagnosis examine(Engine engine, HostPrograms programs, String target) throws IOException {
        return examine(engine, engine, target, new HostReadings() {
            @Override
            public Diagnosis.HostResources resources() throws IOException {
                return host(engine);
            }

            @Override
            public Optional<Integer> selinuxDenials() throws IOException {
                return Doctor.selinuxDenials(programs);
            }
        });
    }

    /** Over the roles the engine's part uses: the containers, and the Swarm whose service may be the target. */
    static Diagnosis examine(Containers engine, Swarm swarm, String target, HostReadings host) throws IOException {
        List<String> taskErrors = new ArrayList<>();
        String containerId = target;
        Optional<ServiceSummary> service = swarm.swarm().manager()
                ? swarm.services(Map.of()).stream()
                        .filter(s -> s.name().equals(target) || s.id().startsWith(target)).findFirst()
                : Optional.empty();
        if (service.isPresent()) {
            List<TaskSummary> tasks = swarm.tasks(service.get().id());
            tasks.stream().filter(TaskSummary::failed).map(TaskSummary::error).filter(e -> !e.isEmpty()).distinct()
                    .forEach(taskErrors::add);
            Optional<TaskSummary> withContainer = tasks.stream().filter(t -> !t.containerId().isEmpty()).findFirst();
            if (withContainer.isEmpty()) {
                // not the engine refusing: the service exists, and its tasks never got as far as a container
                throw new RefusedException("service " + target + " has no task with a container"
                        + (taskErrors.isEmpty() ? "" : ": " + taskErrors.get(0)));
            }
            containerId = withContainer.get().containerId();
        }
        ContainerState state = engine.inspectContainer(containerId);
        String logs = engine.logs(state.id(), 30);
        var stats = state.running() ? engine.stats(state.id()) : Optional.<dev.kiban.engine.ContainerStats>empty();
        // Health probes run as exec_* events every few seconds; they would drown the ones that matter.
        List<String> events = engine.events(state.id(), System.currentTimeMillis() / 1000 - 3600).stream()
                .filter(e -> !e.contains(" exec_")).toList();
        return new Diagnosis(target, state, taskErrors, logs, stats, events, host.resources(), host.selinuxDenials());
    }

    private static Diagnosis.HostResources host(Engine engine) throws IOException {
        double load = 0;
        long total = 0;
        long available = 0;
        if (Files.exists(Path.of("/proc/loadavg"))) {
            load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        }
        if (Files.exists(MemInfo.PROC)) {
            MemInfo memory = MemInfo.read();
            total = memory.totalBytes();
            available = memory.availableBytes();
        }
        double disk = engine.address().isLocal()
                ? FilesystemUsage.of(Path.of(engine.info().dataRoot())).map(FilesystemUsage::usedPercent).orElse(0.0)
                : 0;
        return new Diagnosis.HostResources(load, available, total, disk);
    }

    /** AVC denials of the last hour, where the audit tools exist (rhel); empty elsewhere. */
    private static Optional<Integer> selinuxDenials(HostPrograms programs) throws IOException {
        Optional<Path> ausearch = programs.find("ausearch");
        if (ausearch.isEmpty()) return Optional.empty();
        HostPrograms.Result r = programs.run(List.of(ausearch.get().toString(), "-m", "avc", "-ts", "recent"),
                Duration.ofSeconds(30));
        return Optional.of((int) r.output().lines().filter(l -> l.startsWith("type=AVC")).count());
    }
}
